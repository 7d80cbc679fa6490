from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

from sync.protocol import BRANCH_HEADER, EnrollRequest, EnrollResponse, ErrorBody
from sync.server import admin
from sync.server.api.deps import DbDep, SchemaDep

router = APIRouter(tags=["enroll"])


@router.post("/enroll", response_model=EnrollResponse,
             responses={401: {"model": ErrorBody}, 409: {"model": ErrorBody},
                        426: {"model": ErrorBody}})
def enroll(body: EnrollRequest, db: DbDep, _schema: SchemaDep) -> EnrollResponse:
    """Exchange a one-time enrollment code for this desk's long-lived node token.

    401 when the code is unknown, already used or expired (one answer for all three); 409
    when it is for another branch than the `branch_code` the desk gave (the code stays
    usable; the header X-BranchDesk-Branch names the code's branch)."""
    try:
        token, branch = admin.enroll(db, body.code, body.device_name, body.branch_code)
    except admin.WrongBranch as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=str(exc),
                            headers={BRANCH_HEADER: exc.code_branch}) from None
    except admin.EnrollError as exc:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail=str(exc)) from None
    return EnrollResponse(token=token, branch=branch)

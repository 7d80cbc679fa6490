"""Request dependencies: the database, the caller (from the bearer token), the schema check."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from sync.protocol import MIN_SUPPORTED_SCHEMA, SCHEMA_HEADER, SCHEMA_VERSION
from sync.server import admin
from sync.server.db import Database
from sync.server.replication import Principal


# The dependencies that do no I/O are coroutines: FastAPI would run a plain function on the
# thread pool, a hop per dependency per request (an idle desk's pull is mostly such hops).
async def get_db(request: Request) -> Database:
    return request.app.state.db


DbDep = Annotated[Database, Depends(get_db)]
# The template's name: one Database per app, a session per call inside the services.
SessionDep = DbDep


async def check_schema(request: Request) -> int:
    """Every API request says which schema the client speaks; too old (or none) gets 426."""
    raw = request.headers.get(SCHEMA_HEADER)
    try:
        version = int(raw) if raw is not None and len(raw) < 10 else 0
    except ValueError:
        version = 0
    if version < MIN_SUPPORTED_SCHEMA:
        raise HTTPException(
            status.HTTP_426_UPGRADE_REQUIRED,
            detail=(f"This BranchDesk is too old for HQ (schema {version}; HQ needs "
                    f"{MIN_SUPPORTED_SCHEMA} or newer). Install the update your IT "
                    "department provides."),
            headers={SCHEMA_HEADER: str(SCHEMA_VERSION)},
        )
    return version


SchemaDep = Annotated[int, Depends(check_schema)]

_UNAUTHORIZED = ("HQ does not accept this sign-in token (unknown or revoked). Enroll this "
                 "desk again with a new code from HQ.")


def bearer_token(request: Request) -> str | None:
    """The request's bearer token as sent, if it has a well-formed one."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 200:
        return None
    return token


def unauthorized() -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=_UNAUTHORIZED,
                         headers={"WWW-Authenticate": "Bearer"})


async def get_bearer_token(request: Request, _schema: SchemaDep) -> str:
    """The request's bearer token, as sent (not checked yet: see principal_of)."""
    token = bearer_token(request)
    if token is None:
        raise unauthorized()
    return token


# A route that runs its work on a worker thread takes the token and checks it there with
# principal_of, first thing: a desk's push or pull then makes one thread hop, not two (a
# tenth of HQ's overhead on a small push).
BearerToken = Annotated[str, Depends(get_bearer_token)]


def principal_of(db: Database, token: str) -> Principal:
    """The holder of `token`; 401 when it is unknown or revoked. Blocking (a lookup)."""
    principal = admin.authenticate(db, token)
    if principal is None:
        raise unauthorized()
    return principal


def get_principal(db: DbDep, token: BearerToken) -> Principal:
    return principal_of(db, token)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def get_node(principal: CurrentPrincipal) -> Principal:
    if principal.kind != "node":
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="This needs a desk (node) token.")
    return principal


def get_user(principal: CurrentPrincipal) -> Principal:
    if principal.kind != "user":
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="This needs an HQ user token.")
    return principal


CurrentNode = Annotated[Principal, Depends(get_node)]
CurrentUser = Annotated[Principal, Depends(get_user)]

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from sync.protocol import MIN_SUPPORTED_SCHEMA, SCHEMA_VERSION
from sync.server.api.deps import DbDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(db: DbDep) -> dict:
    """Liveness and database reachability (no token, no schema header)."""
    with db.read() as s:
        s.execute(text("SELECT 1"))
    return {"status": "ok", "schema": SCHEMA_VERSION, "min_schema": MIN_SUPPORTED_SCHEMA}

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.background import BackgroundTask

from sync import compression
from sync.decoders import decoder
from sync.protocol import (
    DEFAULT_PULL_LIMIT,
    TABLES,
    DigestResponse,
    ErrorBody,
    PullResponse,
    PushRequest,
    PushResponse,
)
from sync.server import replication
from sync.server.api.deps import BearerToken, CurrentPrincipal, DbDep, principal_of
from sync.server.db import Database
from sync.server.values import decode_checked

router = APIRouter(prefix="/sync", tags=["sync"])
_decode_push = decoder(PushRequest)
_errors = {401: {"model": ErrorBody}, 403: {"model": ErrorBody}, 413: {"model": ErrorBody},
           422: {"model": ErrorBody}, 426: {"model": ErrorBody}}


def _schemas(model: type[BaseModel]) -> dict[str, dict]:
    """`model`'s JSON schema and its nested models' as OpenAPI components, by name."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    return {**schema.pop("$defs", {}), model.__name__: schema}


# The push body is read by hand (see push): OpenAPI is told its schema here, and main.py
# adds PUSH_SCHEMAS to the components (integrators' generated clients keep the names).
PUSH_SCHEMAS = _schemas(PushRequest)
_PUSH_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": {"$ref": "#/components/schemas/PushRequest"}}}}}


async def _json_answer(request: Request, work: Callable[..., bytes], *args,
                       leftovers: list | None = None) -> Response:
    """`work(*args)` (a route's answer as JSON bytes) on a worker thread, gzipped there too
    when the caller takes gzip: a pull page is megabytes, and GZipMiddleware would compress
    it on the event loop, which every other request waits on, with the slower zlib module
    (sync.compression). The work's time (the token's check, then the transaction or
    snapshot; not the compression) goes out as a Server-Timing entry;
    main.ServerTimingMiddleware adds the whole request's. `leftovers`: a list the work leaves
    its working objects in, dropped once the answer has gone out (a background task): a
    2,000-change push leaves 40,000-80,000 objects (the decoded changes, the rows as loaded
    and as written, each change's outcome), and freed as the push returned they took
    1.7-4.5 ms of the request, which the desk's next batch waited for; now the desk reads
    the answer and sends that batch meanwhile. (All at once: freed a piece at a time, with
    time.sleep(0) between pieces to let the event loop in, a first push took 32 s, not 7.)"""
    gzip_ok = compression.accepts_gzip(request.headers.get("accept-encoding", ""))
    body, took, gzipped = await run_in_threadpool(_encoded, gzip_ok, work, *args)
    headers = {"Server-Timing": f"work;dur={took * 1000:.1f}"}
    if gzipped:
        headers |= {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
    background = None if leftovers is None else BackgroundTask(leftovers.clear)
    return Response(body, media_type="application/json", headers=headers,
                    background=background)


def _encoded(gzip_ok: bool, work: Callable[..., bytes], *args) -> tuple[bytes, float, bool]:
    started = time.perf_counter()
    body = work(*args)
    took = time.perf_counter() - started
    if gzip_ok and len(body) >= compression.MINIMUM_SIZE:
        return compression.gzip_bytes(body), took, True
    return body, took, False


@router.post("/push", response_model=PushResponse, responses=_errors,
             openapi_extra=_PUSH_BODY)
async def push(request: Request, db: DbDep, token: BearerToken,
               pull_after: Annotated[int | None, Query(ge=0, le=2**62)] = None,
               pull_limit: Annotated[int, Query(ge=1, le=2**62)] = DEFAULT_PULL_LIMIT,
               digest_after: Annotated[int | None, Query(ge=0, le=2**62)] = None,
               ) -> Response:
    """Apply outbox entries at most once each; a result per change (rejected ones with a
    reason). One transaction per request. Body: PushRequest. `pull_after`: the answer
    carries, as `pull`, the page GET /sync/pull gives for `after=pull_after`,
    `limit=pull_limit` and `digest_after`, as of the push's commit (a desk's last batch:
    its cycle's pull starts without a request of its own)."""
    body = await request.body()
    ask = None if pull_after is None else \
        replication.PullAsk(pull_after, pull_limit, digest_after)
    leftovers: list = []
    return await _json_answer(request, _push, db, token, body, ask, leftovers,
                              leftovers=leftovers)


def _push(db: Database, token: str, body: bytes, ask: replication.PullAsk | None,
          leftovers: list | None = None) -> bytes:
    """The push on a worker thread: the token (401), the body (422), the role (403), then
    the results as JSON, wire values already in PushResponse's shape (as the pull page,
    they skip a second pydantic pass). `leftovers` takes the push's working objects."""
    principal = principal_of(db, token)
    # Validated straight from the bytes (FastAPI's json.loads and a pass over the Python
    # objects took twice as long as pydantic's own parser, which takes three times as long
    # as msgspec's: see sync.decoders), the usual push with its values checked too (see
    # sync.server.values).
    changes = decode_checked(body)
    if changes is None:
        try:
            changes = _decode_push(body).changes
        except ValidationError as exc:
            raise RequestValidationError(exc.errors(include_url=False)) from None
    if not principal.can_write:
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            detail="This HQ token may only read (role hq_viewer).")
    if leftovers is not None:
        leftovers.append(changes)
    return replication.push_json(db, principal, changes, ask, leftovers)


@router.get("/pull", response_model=PullResponse, responses=_errors)
async def pull(request: Request, db: DbDep, token: BearerToken,
               after: Annotated[int, Query(ge=0, le=2**62)] = 0,
               limit: Annotated[int, Query(ge=1, le=2**62)] = DEFAULT_PULL_LIMIT,
               table: Annotated[str | None, Query(max_length=64)] = None,
               digest_after: Annotated[int | None, Query(ge=0, le=2**62)] = None,
               ) -> Response:
    """Rows in the token's scope changed after `after`, in rev order (limit capped at
    MAX_PULL_LIMIT), plus move_out entries for rows that left the branch. A desk's own
    versions, as it pushed them, are left out. `table`: that table's rows alone, the
    caller's own versions included (to re-download a table whose digest differs).
    `digest_after`: the last page carries each table's digest over the rows above that
    mark, in the page's own snapshot (as /digest, without its race)."""
    # The page as JSON, built off the event loop (on PostgreSQL the database writes each
    # item's JSON), sent as it is: in PullResponse's shape already, so it skips a pydantic
    # or json pass over every row of the page.
    return await _json_answer(request, _pull, db, token, after, limit, table, digest_after)


def _pull(db: Database, token: str, after: int, limit: int, table: str | None,
          digest_after: int | None) -> bytes:
    principal = principal_of(db, token)
    if table is not None and table not in TABLES:
        raise HTTPException(422, detail=f"unknown table {table[:64]!r}")
    return replication.pull(db, principal, after, limit, table, digest_after)


@router.get("/digest", response_model=DigestResponse, responses=_errors)
async def digest(db: DbDep, principal: CurrentPrincipal,
                 tables: Annotated[str | None, Query(max_length=500)] = None,
                 after: Annotated[int, Query(ge=0, le=2**62)] = 0,
                 ) -> DigestResponse:
    """Per table (comma-separated names; all when omitted): how many rows of the caller's
    scope have a rev above `after`, and the sum of their revs. A desk compares them with
    its own at the end of a sync cycle and re-downloads a table that differs
    (`pull?table=`)."""
    wanted = [t for t in (tables.split(",") if tables else TABLES) if t]
    unknown = [t for t in wanted if t not in TABLES]
    if unknown:
        raise HTTPException(422,
                            detail=f"unknown table {unknown[0][:64]!r}")
    answer = await run_in_threadpool(replication.digest, db, principal, wanted, after)
    return DigestResponse.model_validate(answer)

"""The HQ app: create_app(settings) -> FastAPI (OpenAPI at /docs, /healthz, /api/v1/...).

Stateless: everything lives in the database, so several uvicorn workers or hosts can serve
one PostgreSQL.
"""

from __future__ import annotations

import gc
import json
import logging
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync import compression
from sync.protocol import API_PREFIX
from sync.server import admin
from sync.server.api.deps import bearer_token, unauthorized
from sync.server.api.routes import enroll, health
from sync.server.api.routes import sync as sync_routes
from sync.server.core.config import Settings
from sync.server.db import Database

log = logging.getLogger("branchdesk.hq")
# New objects between young garbage collections while HQ serves (Python's: 700; see
# _lifespan).
YOUNG_OBJECTS = 50_000


def _too_large(limit: int) -> str:
    return (f"The request is larger than HQ accepts ({limit // (1024 * 1024)} MiB after "
            "decompression). Send fewer changes per request.")


class BodyLimitMiddleware:
    """413 for bodies over the limit (by Content-Length and by the bytes actually read, after
    gzip decompression); accepts `Content-Encoding: gzip` request bodies."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope["headers"]}
        encoding = headers.get(b"content-encoding", b"identity").decode("latin-1").strip().lower()
        if encoding not in ("identity", "gzip", ""):
            await _error(send, 415, f"HQ does not accept Content-Encoding {encoding!r}; "
                                    "send gzip or plain JSON.")
            return
        length = headers.get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                await _error(send, 400, "The Content-Length header is not a number.")
                return
            if declared > self.max_bytes:
                await _error(send, 413, _too_large(self.max_bytes))
                return
        # Read the whole body (bounded), decompressing as it comes.
        inflater = compression.gunzip_stream() if encoding == "gzip" else None
        chunks: list[bytes] = []
        size = raw_size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            data = message.get("body", b"")
            more = message.get("more_body", False)
            raw_size += len(data)
            if raw_size > self.max_bytes:
                await _error(send, 413, _too_large(self.max_bytes))
                return
            if inflater is not None and data:
                try:
                    data = inflater.decompress(data, self.max_bytes - size + 1)
                except compression.error:
                    await _error(send, 400, "The request body is not valid gzip.")
                    return
                if inflater.unconsumed_tail:
                    await _error(send, 413, _too_large(self.max_bytes))
                    return
            size += len(data)
            if size > self.max_bytes:
                await _error(send, 413, _too_large(self.max_bytes))
                return
            chunks.append(data)
        if inflater is not None and not inflater.eof and raw_size:
            await _error(send, 400, "The request body is not valid gzip (truncated).")
            return
        body = b"".join(chunks)
        if inflater is not None:
            new_headers = [(k, v) for k, v in scope["headers"]
                           if k.lower() not in (b"content-encoding", b"content-length")]
            new_headers.append((b"content-length", str(len(body)).encode()))
            scope = {**scope, "headers": new_headers}
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


class ServerTimingMiddleware:
    """`Server-Timing: app;dur=<ms>` on every answer: HQ's time from the request's arrival
    to its answer's start (reading and inflating the body, the token check, the work),
    beside the sync routes' own `work` entry (the token's check and their transaction or
    snapshot, see routes/sync.py). Whoever waits on a slow sync can tell HQ's share from
    the network's and the desk's (bench/sync_throughput.py prints them)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                took = (time.perf_counter() - started) * 1000
                message = {**message, "headers": [*message.get("headers", ()), (
                    b"server-timing", f"app;dur={took:.1f}".encode())]}
            await send(message)

        await self.app(scope, receive, timed)


async def _error(send: Send, status_code: int, detail: str) -> None:
    payload = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status_code,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(payload)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": payload})


def _describe(errors) -> str:
    parts = []
    for err in errors[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{where or 'body'}: {err.get('msg', 'invalid')}")
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "The request is malformed: " + "; ".join(parts) + more


@asynccontextmanager
async def _lifespan(_app: FastAPI):
    # What is loaded by now (the libraries, the app) lives as long as the process: Python's
    # full garbage collections need not walk it again and again. A first push of 200,000
    # rows spent a tenth of its time in them.
    gc.collect()
    gc.freeze()
    # A push request's 2,000 changes live as long as the request, and each young collection
    # (every 700 new objects) walked them again: 4,400 of them and 400 middle ones, 0.65-1.0
    # s of a 210,000-change first push, against none at 50,000. Reference counting frees a
    # request's objects; what cycles remain wait for the next young collection.
    young, middle, full = gc.get_threshold()
    gc.set_threshold(max(young, YOUNG_OBJECTS), middle, full)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, full)
        gc.unfreeze()  # (an app served again in the same process: tests)


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    """The HQ app. Migrations are not run here (the CLI runs them before serving)."""
    settings = settings or Settings.from_env()
    app = FastAPI(
        lifespan=_lifespan,
        title="BranchDesk HQ",
        version="1",
        description="Group HQ of BranchDesk: desks enroll, push their outbox and pull "
                    "changes (DESIGN section 3, docs/SYNC.md).",
    )
    app.state.settings = settings
    app.state.db = db or Database(settings)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        # The sync routes check the token on their worker thread, after FastAPI has read
        # the query: a token HQ does not accept is still answered first (401), as before.
        token = bearer_token(request)
        if token is not None and request.url.path.startswith(f"{API_PREFIX}/sync/") and \
                await run_in_threadpool(admin.authenticate, app.state.db, token) is None:
            return await _http(request, unauthorized())
        return JSONResponse({"detail": _describe(exc.errors())}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        return JSONResponse({"detail": detail}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception):  # pragma: no cover - a bug
        log.exception("unexpected error", exc_info=exc)
        return JSONResponse({"detail": "HQ hit an internal error; the request changed "
                                       "nothing. Try again later."}, status_code=500)

    app.include_router(health.router)
    app.include_router(enroll.router, prefix=API_PREFIX)
    app.include_router(sync_routes.router, prefix=API_PREFIX)
    _add_components(app, sync_routes.PUSH_SCHEMAS)
    # The other answers. The sync routes compress theirs on their worker thread
    # (sync.compression), not on the event loop; this passes them on as they are. Level 1:
    # level 9, the default, took longer than building a pull page.
    app.add_middleware(GZipMiddleware, minimum_size=compression.MINIMUM_SIZE, compresslevel=1)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    app.add_middleware(ServerTimingMiddleware)  # the outermost: it times all of the above
    return app


def _add_components(app: FastAPI, schemas: dict[str, dict]) -> None:
    """OpenAPI components FastAPI cannot see (a body a route reads by hand)."""
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            spec = generate()
            spec.setdefault("components", {}).setdefault("schemas", {}).update(schemas)
        return app.openapi_schema

    app.openapi = openapi


def app_from_env() -> FastAPI:
    """uvicorn factory for `branchdesk-hq serve --workers N` (reads BRANCHDESK_HQ_DB)."""
    return create_app(Settings.from_env())

"""The desk's side of the wire: one HTTP client for HQ (DESIGN section 3, docs/SYNC.md).

One `requests.Session` (keep-alive), the bearer token and schema header on every request,
gzip both ways, explicit timeouts, bounded retries with exponential backoff and jitter on
connection errors, timeouts and 5xx, TLS verification always on. Errors come back as
exceptions whose text a clerk can read. No Qt, no desktop imports: this module depends only
on sync's wire modules (protocol, decoders, compression), requests and pydantic.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import requests
from pydantic import BaseModel, ValidationError

from sync.compression import gzip_bytes
from sync.decoders import decoder
from sync.protocol import (
    API_PREFIX,
    DEFAULT_PULL_LIMIT,
    SCHEMA_HEADER,
    SCHEMA_VERSION,
    Change,
    DigestResponse,
    EnrollRequest,
    EnrollResponse,
    PullResponse,
    PushRequest,
    PushResponse,
)

USER_AGENT = f"BranchDesk-desk/schema-{SCHEMA_VERSION}"


class HQError(Exception):
    """Anything that stopped a request to HQ; `str()` is a sentence a clerk can read."""


class HQUnreachable(HQError):
    """The network or HQ is down (after the retries): the desk simply stays offline."""


class HQRejected(HQError):
    """HQ refused the request (401 unknown or revoked token, 403 outside scope, 413 too
    large, 422 malformed, ...). `detail` is HQ's own explanation."""

    def __init__(self, status: int, detail: str, headers: Mapping[str, str] | None = None):
        self.status = status
        self.detail = detail
        self.headers = headers or {}  # requests' case-insensitive mapping
        super().__init__(f"HQ refused the request ({status}): {detail}")


class ClientTooOld(HQRejected):
    """HQ no longer supports this desk's schema version (426): install the update HQ names."""

    def __init__(self, detail: str):
        super().__init__(426, detail)

    def __str__(self) -> str:
        return f"this BranchDesk is too old for HQ: {self.detail}"


class HQClient:
    def __init__(self, base_url: str, token: str | None = None, *,
                 timeout: tuple[float, float] = (5, 30), ca_bundle: str | None = None,
                 retries: int = 4, sleep: Callable[[float], None] = time.sleep,
                 backoff: float = 0.5, max_backoff: float = 8.0,
                 session: requests.Session | None = None):
        if not base_url or not base_url.startswith(("http://", "https://")):
            raise ValueError(f"HQ address must start with https:// (got {base_url!r})")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.retries = max(1, int(retries))
        self.sleep = sleep
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.session = session or requests.Session()
        # The environment (proxies and NO_PROXY, REQUESTS_CA_BUNDLE) is read once, here:
        # requests reads it on every request otherwise (a fifth of a request's time on the
        # desk), and it would also take a .netrc password over the bearer token.
        environment = self.session.merge_environment_settings(
            self.base_url, {}, None, ca_bundle or True, None)
        self.session.trust_env = False
        self.session.proxies.update(environment["proxies"])
        # TLS verification stays on: a custom CA file, else requests' default (its bundled
        # CAs, or REQUESTS_CA_BUNDLE).
        self.verify: str | bool = environment["verify"]
        self.session.verify = self.verify
        self.session.headers.update({
            SCHEMA_HEADER: str(SCHEMA_VERSION),
            "Accept": "application/json",
            "Accept-Encoding": "gzip",
            "User-Agent": USER_AGENT,
        })

    # ---- the endpoints -----------------------------------------------------------------

    def enroll(self, code: str, device_name: str,
               branch_code: str | None = None) -> EnrollResponse:
        body = EnrollRequest(code=code, device_name=device_name, branch_code=branch_code)
        data = self._request("POST", "/enroll", json_body=body.model_dump(), auth=False)
        response = self._parse(EnrollResponse, data)
        self.token = response.token
        return response

    def push(self, changes: Sequence[Change | dict]) -> PushResponse:
        items = [c if isinstance(c, Change) else Change.model_validate(c) for c in changes]
        body = PushRequest(changes=items).model_dump(mode="json")
        answer = self._request("POST", "/sync/push", json_body=body, raw=True)
        return self._parse_json(PushResponse, answer)

    def push_gzipped(self, data: bytes, pull_after: int | None = None,
                     pull_limit: int = DEFAULT_PULL_LIMIT,
                     digest_after: int | None = None) -> _RawAnswer:
        """`push` of a PushRequest already encoded as JSON (sync.protocol.encode_push: the
        desk's outbox holds each change's fields as JSON already) and gzipped
        (sync.compression.gzip_bytes).
        HQ's answer comes unparsed (push_answer): a desk compresses the next batch and
        reads this answer while HQ works on the next, not between the two requests.
        `pull_after`: the answer carries the pull page after that cursor too (`pull`, with
        `pull_limit` and `digest_after` as `pull` takes them), one request instead of two;
        an HQ older than that leaves `pull` out."""
        params = None
        if pull_after is not None:
            params = {"pull_after": int(pull_after), "pull_limit": int(pull_limit)}
            if digest_after is not None:
                params["digest_after"] = int(digest_after)
        return self._request("POST", "/sync/push", body=data, gzipped=True, params=params,
                             raw=True)

    def push_answer(self, answer: _RawAnswer) -> PushResponse:
        return self._parse_json(PushResponse, answer)

    def pull(self, after: int, limit: int = DEFAULT_PULL_LIMIT, table: str | None = None,
             digest_after: int | None = None) -> PullResponse:
        params: dict[str, Any] = {"after": int(after), "limit": int(limit)}
        if table is not None:
            params["table"] = table
        if digest_after is not None:
            params["digest_after"] = int(digest_after)
        # A page is thousands of rows: decoded and checked straight from the bytes (see
        # sync.decoders), not parsed to Python objects first and validated again.
        answer = self._request("GET", "/sync/pull", params=params, raw=True)
        return self._parse_json(PullResponse, answer)

    def digest(self, tables: Sequence[str], after: int = 0) -> DigestResponse:
        data = self._request("GET", "/sync/digest", params={"tables": ",".join(tables),
                                                             "after": int(after)})
        return self._parse(DigestResponse, data)

    def health(self) -> dict:
        """HQ's liveness answer (`/healthz`, outside the API prefix; no token needed)."""
        return self._request("GET", "/healthz", auth=False, api=False)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HQClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- plumbing ----------------------------------------------------------------------

    def _headers(self, auth: bool) -> dict[str, str]:
        headers = {}
        if auth:
            if not self.token:
                raise HQRejected(401, "this desk is not enrolled with HQ: run "
                                      "`branchdesk enroll` first")
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def _request(self, method: str, path: str, *, json_body: Any = None,
                 body: bytes | None = None, gzipped: bool = False, params: dict | None = None,
                 auth: bool = True, api: bool = True, raw: bool = False) -> Any:
        """HQ's answer as parsed JSON, or with `raw` as the body's bytes (for _parse_json).
        The request's JSON: `json_body` to encode, or `body` encoded already (and
        compressed already: `gzipped`)."""
        url = f"{self.base_url}{API_PREFIX if api else ''}{path}"
        headers = self._headers(auth)
        data = None
        if json_body is not None:
            body = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode()
        if body is not None:
            headers["Content-Type"] = "application/json"
            headers["Content-Encoding"] = "gzip"
            data = body if gzipped else gzip_bytes(body)
        last_problem = "no answer"
        for attempt in range(1, self.retries + 1):
            try:
                response = self.session.request(method, url, data=data, params=params,
                                                headers=headers, timeout=self.timeout,
                                                verify=self.verify)
            except requests.exceptions.SSLError as e:
                # Not transient: a retry would fail the same way.
                raise HQUnreachable(f"cannot verify HQ's certificate at {self.base_url}: "
                                    f"{_short(e)}") from e
            except (requests.ConnectionError, requests.Timeout) as e:
                last_problem = _short(e)
            else:
                if response.status_code < 500:
                    return self._answer(response, raw=raw)
                last_problem = (f"HQ answered {response.status_code}: "
                                f"{_detail(response)}")
            if attempt < self.retries:
                self.sleep(self._delay(attempt))
        raise HQUnreachable(f"cannot reach HQ at {self.base_url} after {self.retries} "
                            f"attempt(s): {last_problem}")

    def _delay(self, attempt: int) -> float:
        """Exponential backoff with jitter: uniform in [c/2, c], c = base * 2**(attempt-1)
        capped at max_backoff."""
        ceiling = min(self.max_backoff, self.backoff * (2 ** (attempt - 1)))
        return random.uniform(ceiling / 2, ceiling)

    @staticmethod
    def _answer(response: requests.Response, raw: bool = False) -> Any:
        status = response.status_code
        if status == 426:
            raise ClientTooOld(_detail(response))
        if status >= 400:
            raise HQRejected(status, _detail(response), response.headers)
        if raw:
            return _RawAnswer(status, response.content)
        try:
            return response.json()
        except ValueError as e:
            raise HQRejected(status, "HQ's answer was not JSON") from e

    @staticmethod
    def _parse(model: type[BaseModel], data: Any):
        try:
            return model.model_validate(data)
        except ValidationError as e:
            raise HQRejected(200, f"HQ's answer does not match the protocol "
                                  f"({model.__name__}: {e.error_count()} problem(s))") from e

    @staticmethod
    def _parse_json(model: type[BaseModel], answer: _RawAnswer):
        """`_parse` of a body still in bytes: the same errors as `_answer` + `_parse` (an
        answer that is not JSON, one that does not match the protocol). A pull page or a
        push's answer comes as sync.decoders' structs (the model's attributes)."""
        try:
            return decoder(model)(answer.content)
        except ValidationError as e:
            if any(error["type"] == "json_invalid" for error in e.errors(include_url=False)):
                raise HQRejected(answer.status, "HQ's answer was not JSON") from e
            raise HQRejected(200, f"HQ's answer does not match the protocol "
                                  f"({model.__name__}: {e.error_count()} problem(s))") from e


class _RawAnswer(NamedTuple):
    """A successful answer's status and body, not parsed yet."""

    status: int
    content: bytes


def _detail(response: requests.Response) -> str:
    """HQ's `detail` sentence (ErrorBody), or FastAPI's validation list, or the status."""
    try:
        body = response.json()
    except ValueError:
        text = (response.text or "").strip()
        return text[:200] or (response.reason or f"HTTP {response.status_code}")
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list):  # FastAPI's request validation errors
        parts = []
        for item in detail[:3]:
            if isinstance(item, dict):
                where = ".".join(str(p) for p in item.get("loc", ()))
                parts.append(f"{where}: {item.get('msg', '')}".strip(": "))
        return "; ".join(parts) or "malformed request"
    return response.reason or f"HTTP {response.status_code}"


def _short(exc: Exception) -> str:
    text = str(exc) or exc.__class__.__name__
    return text if len(text) <= 200 else text[:197] + "..."

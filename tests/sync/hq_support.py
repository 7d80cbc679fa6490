"""Helpers for the HQ server tests: a real uvicorn server on loopback, desks as plain
`requests` sessions with hand-written payloads."""

from __future__ import annotations

import socket
import threading
import time
import uuid

import requests
import uvicorn

from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION
from sync.server import admin
from sync.server.core.config import Settings
from sync.server.db import Database
from sync.server.ids import reference_id
from sync.server.main import create_app

FINANCE = reference_id("department", "finance")
SALES = reference_id("department", "sales")
COLLECTION = reference_id("department", "collection")
STANDARD_DEPARTMENTS = {FINANCE, SALES, COLLECTION}
TIMEOUT = 15  # seconds, every HTTP call and wait


def new_id() -> str:
    return str(uuid.uuid4())


def employee_fields(no: str, department_id: str = FINANCE, **over) -> dict:
    fields = {
        "employee_no": no, "name": "张三", "gender": "M", "id_number": "110101199003070011",
        "birth_date": "1990-03-07", "phone": "13800000000", "department_id": department_id,
        "position": "collector", "hire_date": "2024-01-02", "base_salary": "8000.00",
        "bank_account": "6222000000000000", "status": "active", "leave_date": None,
        "leave_reason": None, "updated_at": "2026-01-01T00:00:00.000000Z", "deleted": False,
    }
    fields.update(over)
    return fields


def change(table: str, row_id: str, fields: dict | None = None, *, base_rev: int = 0,
           op: str = "upsert", change_id: str | None = None) -> dict:
    return {"change_id": change_id or new_id(), "table": table, "op": op, "row_id": row_id,
            "base_rev": base_rev, "fields": fields or {}}


class Client:
    """One desk (or HQ user) talking to HQ the way the wire says: bearer token + schema."""

    def __init__(self, base: str, token: str | None, schema: int | None = SCHEMA_VERSION):
        self.base = base
        self.http = requests.Session()
        if token is not None:
            self.http.headers["Authorization"] = f"Bearer {token}"
        if schema is not None:
            self.http.headers[SCHEMA_HEADER] = str(schema)

    def post(self, path: str, **kw) -> requests.Response:
        return self.http.post(self.base + path, timeout=TIMEOUT, **kw)

    def get(self, path: str, **kw) -> requests.Response:
        return self.http.get(self.base + path, timeout=TIMEOUT, **kw)

    def push(self, *changes: dict) -> list[dict]:
        r = self.post("/api/v1/sync/push", json={"changes": list(changes)})
        assert r.status_code == 200, r.text
        return r.json()["results"]

    def pull_page(self, after: int = 0, limit: int | None = None) -> dict:
        params = {"after": after}
        if limit is not None:
            params["limit"] = limit
        r = self.get("/api/v1/sync/pull", params=params)
        assert r.status_code == 200, r.text
        return r.json()

    def pull_all(self, after: int = 0, limit: int | None = None) -> tuple[list[dict], int]:
        changes: list[dict] = []
        for _ in range(1000):
            page = self.pull_page(after, limit)
            changes += page["changes"]
            after = page["next_after"]
            if not page["more"]:
                return changes, after
        raise AssertionError("pull never ended")


class Desk(Client):
    def __init__(self, base: str, token: str, branch: dict):
        super().__init__(base, token)
        self.token = token
        self.branch = branch

    @property
    def branch_id(self) -> str:
        return self.branch["id"]


class Hq:
    """A real HQ: uvicorn on a free 127.0.0.1 port, serving `db_url`."""

    def __init__(self, db_url: str):
        self.settings = Settings.from_env(db_url)
        self.db = Database(self.settings)
        self.db.migrate()
        self.app = create_app(self.settings, self.db)
        for _attempt in range(3):  # a free port can be taken between probe and bind: retry
            if self._start():
                return
            self.server.should_exit = True
            self.thread.join(TIMEOUT)
        raise RuntimeError("HQ did not come up on loopback")

    def _start(self) -> bool:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        return self._serve()

    def pause(self) -> None:
        """HQ goes down (the process stops serving; the database stays)."""
        self.server.should_exit = True
        self.thread.join(TIMEOUT)

    def resume(self) -> None:
        """HQ comes back on the same address."""
        for _attempt in range(50):  # the old socket may linger a moment
            if self._serve():
                return
            time.sleep(0.1)
        raise RuntimeError("HQ did not come back on its port")

    def _serve(self) -> bool:
        # host/port (not a pre-bound socket): uvicorn then sets TCP_NODELAY on connections.
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port,
                                log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + TIMEOUT
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                return False
            time.sleep(0.02)
        r = requests.get(self.base + "/healthz", timeout=TIMEOUT)
        return r.status_code == 200

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(TIMEOUT)
        self.db.dispose()

    def client(self, token: str | None = None, schema: int | None = SCHEMA_VERSION) -> Client:
        return Client(self.base, token, schema)

    def add_branch(self, prefix: str = "B") -> tuple[dict, str]:
        return admin.add_branch(self.db, f"{prefix}{uuid.uuid4().hex[:8].upper()}",
                                f"Branch {prefix}")

    def desk(self, prefix: str = "B", branch_code: str | None = None) -> Desk:
        """A freshly enrolled desk of a new branch (or a new code for an existing one)."""
        if branch_code is None:
            branch, code = self.add_branch(prefix)
        else:
            code = admin.new_code(self.db, branch_code)
        r = self.client().post("/api/v1/enroll", json={"code": code, "device_name": "desk-1"})
        assert r.status_code == 200, r.text
        body = r.json()
        return Desk(self.base, body["token"], body["branch"])

    def reader(self, desk: Desk) -> Desk:
        """Another desk of `desk`'s branch: it pulls the versions `desk` pushed, which
        `desk`'s own pulls skip."""
        return self.desk(branch_code=desk.branch["code"])

    def admin_client(self, role: str = "hq_admin") -> Client:
        token = admin.add_user(self.db, f"u{uuid.uuid4().hex[:10]}", role)
        return self.client(token)

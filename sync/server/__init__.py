"""BranchDesk group HQ server (FastAPI + SQLAlchemy; PostgreSQL, or SQLite by default).

Layout after the full-stack-fastapi-template: `core/` (settings, security), `db.py`
(engine, sessions, migrations), `models.py`, `replication.py` (the push/pull rules of
docs/SYNC.md), `admin.py` (branches, enrollment, users, transfers, status), `api/`
(dependencies and routes), `main.py` (the app), `cli.py` (`branchdesk-hq`).
Depends on `sync.protocol` only: never on desktop/ or ui/, never on Qt.
"""

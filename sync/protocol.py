"""The sync wire (DESIGN section 3), shared by the desktop client and the HQ server.

Names here are the contract other group systems integrate with: keep them. No Qt, no
desktop imports: both ends depend on this module, it depends on neither.

Values on the wire are JSON: money as a decimal string ("8000.00"), dates as ISO dates,
timestamps as ISO-8601 UTC with a trailing Z, booleans as JSON booleans.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

API_PREFIX = "/api/v1"
SCHEMA_HEADER = "X-BranchDesk-Schema"
# The schema this build speaks, and the oldest one HQ still serves (older gets 426).
SCHEMA_VERSION = 1
MIN_SUPPORTED_SCHEMA = 1

# Per request; the client sends batches of at most this. A first push of 210,000 changes took
# 9.6-10.2 s in batches of 2,000 against 10.6-11.2 s in batches of 1,000 (five alternating
# pairs), and longer in batches of 3,000 or 5,000, where the desk's and HQ's work on
# successive batches overlap less. A full batch of the longest changes the desk's columns
# allow stays under MAX_REQUEST_BYTES (tests/sync/test_hq_http.py).
MAX_PUSH_CHANGES = 2000
MAX_PULL_LIMIT = 10_000
# A desk asks for the most: each page is one request and one SQLite transaction at the desk
# (a first pull of 205,000 rows took 5.3 s in pages of 2,000, 4.8 s in pages of 5,000; then,
# on a faster machine, 4.27-4.71 s in pages of 5,000, 3.96-4.21 s in pages of 10,000 and
# 4.18-4.52 s in pages of 20,000, alternating). A commit writes every index page its rows
# touched, and the name and phone indexes take a page's rows all over: in pages twice as
# large each such index page is written half as often. An HQ older than this caps pages
# at 5,000: the desk gets more pages, as it would from a smaller limit.
DEFAULT_PULL_LIMIT = 10_000
MAX_REQUEST_BYTES = 8 * 1024 * 1024  # after gzip decompression; larger gets 413

# ---- the synced tables ------------------------------------------------------------------

# Every synced table carries these (DESIGN section 2); `rev` travels beside the row.
COMMON_COLUMNS = ("id", "branch_id", "updated_at", "deleted")


@dataclass(frozen=True)
class TableSpec:
    """What HQ and a desk agree about one synced table.

    scope "reference": HQ-owned group data (branch_id NULL), read by every branch, written
    only by HQ users. scope "branch": rows owned by the branch in branch_id; a table may
    also hold reference rows (departments: the group's standard ones have branch_id NULL).
    `hq_fields` / `branch_fields`: who wins when both sides changed the same field since
    the common base (DESIGN: field ownership); fields in neither go to the branch.
    """

    name: str
    scope: Literal["reference", "branch"]
    columns: tuple[str, ...]  # besides COMMON_COLUMNS
    append_only: bool = False
    hq_fields: frozenset[str] = field(default_factory=frozenset)
    # values a branch may not write (e.g. status "transferred" is HQ's to set)
    hq_values: dict[str, frozenset] = field(default_factory=dict)

    @property
    def all_columns(self) -> tuple[str, ...]:
        return COMMON_COLUMNS + self.columns


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec("branch", "reference", ("code", "name")),
        TableSpec("department", "branch", ("code", "name", "name_en")),
        TableSpec(
            "employee", "branch",
            ("employee_no", "name", "gender", "id_number", "birth_date", "phone",
             "department_id", "position", "hire_date", "base_salary", "bank_account",
             "status", "leave_date", "leave_reason"),
            hq_fields=frozenset({"branch_id", "base_salary"}),
            hq_values={"status": frozenset({"transferred"})},
        ),
        TableSpec("employee_event", "branch",
                  ("employee_id", "kind", "effective_date", "reason", "actor"),
                  append_only=True),
    )
}

# Parents before children, so a page applied in order never breaks a foreign key.
TABLE_ORDER = ("branch", "department", "employee", "employee_event")


# ---- payloads ---------------------------------------------------------------------------

class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=10_000)


class EnrollRequest(_Wire):
    code: str = Field(min_length=6, max_length=64)
    device_name: str = Field(min_length=1, max_length=100)
    # A desk set up standalone names its branch: HQ answers 409 to a code of another branch
    # without using the code up (header BRANCH_HEADER: the code's branch).
    branch_code: str | None = Field(default=None, min_length=1, max_length=32)


BRANCH_HEADER = "X-BranchDesk-Branch"


class BranchRef(_Wire):
    id: str
    code: str
    name: str


class EnrollResponse(_Wire):
    token: str
    branch: BranchRef


class Change(_Wire):
    change_id: str = Field(min_length=1, max_length=64)
    table: str = Field(max_length=64)
    op: Literal["upsert", "delete"]
    row_id: str = Field(min_length=1, max_length=64)
    base_rev: int = Field(ge=0)
    fields: dict[str, Any] = Field(default_factory=dict)


class PushRequest(_Wire):
    changes: list[Change] = Field(max_length=MAX_PUSH_CHANGES)


def encode_push(changes: Iterable[tuple[str, str, str, str, int, bytes | str]]) -> bytes:
    """A PushRequest as JSON from (change_id, table, op, row_id, base_rev, fields as a JSON
    object, in UTF-8 bytes or text) tuples: the fields are spliced in as they are, not
    parsed and encoded again (a desk's outbox stores them as JSON; an initial push sends
    hundreds of thousands)."""
    quote = json.encoder.encode_basestring_ascii  # json.dumps of a str, without its set-up
    parts = []
    for change_id, table, op, row_id, base_rev, fields in changes:
        parts.append(f'{{"change_id":{quote(change_id)},"table":{quote(table)},'
                     f'"op":{quote(op)},"row_id":{quote(row_id)},"base_rev":{int(base_rev)},'
                     f'"fields":'.encode())
        parts.append(fields if isinstance(fields, bytes) else fields.encode())
        parts.append(b"},")
    if parts:
        parts[-1] = b"}"
    return b'{"changes":[' + b"".join(parts) + b"]}"


ChangeStatus = Literal["applied", "merged", "conflict", "rejected"]


class FieldConflict(_Wire):
    """One field both sides changed: the owner's value won, the other is kept here."""

    field: str
    hq_value: Any = None
    branch_value: Any = None
    winner: Literal["hq", "branch"]


class ChangeResult(_Wire):
    change_id: str
    status: ChangeStatus
    rev: int | None = None
    reason: str | None = None
    conflicts: list[FieldConflict] = Field(default_factory=list)  # with status "conflict"


class PulledChange(_Wire):
    table: str
    row_id: str
    rev: int
    op: Literal["upsert", "delete", "move_out"]
    row: dict[str, Any] = Field(default_factory=dict)


class TableDigest(_Wire):
    """A table's rows in the caller's scope with a rev above the asked mark: how many, and
    the sum of their revs. Revs are unique, so a missing, extra or stale row changes one of
    them."""

    count: int
    rev_sum: int


class PullResponse(_Wire):
    changes: list[PulledChange]
    next_after: int
    more: bool
    # Asked for with `digest_after`: on the last page, each table's digest taken in that
    # page's snapshot.
    digest: dict[str, TableDigest] | None = None


class PushResponse(_Wire):
    results: list[ChangeResult]
    # Asked for with the push's `pull_after` (a desk's batch that empties its outbox): the
    # first pull page, read once the push committed, as GET /sync/pull answers it.
    pull: PullResponse | None = None


class DigestResponse(_Wire):
    tables: dict[str, TableDigest]


class ErrorBody(_Wire):
    """Every error response: `detail` is a sentence a clerk can act on."""

    detail: str

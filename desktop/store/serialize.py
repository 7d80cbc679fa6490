"""Column values as JSON-safe wire values (Decimal as string, ISO dates, UTC timestamps)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal


def to_wire(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        if value.utcoffset():
            value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def canonical_json(obj) -> str:
    """One spelling per value, so hashes of equal content are equal."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=to_wire)


def sorted_json(obj) -> str:
    """`canonical_json` of `obj` whose dicts hold their keys in sorted order already: the same
    text, without sorting every dict again (a pulled page's audit detail, thousands of rows)."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=to_wire)


def row_fields(row, columns=None) -> dict:
    """The mapped column values of `row` as wire values."""
    table = row.__table__
    names = columns if columns is not None else [c.key for c in table.columns]
    return {name: to_wire(getattr(row, name)) for name in names}

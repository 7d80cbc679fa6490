"""Column values as JSON-safe wire values (Decimal as string, ISO dates, UTC timestamps)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import orjson


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


def sorted_json(obj, *, floatless: bool = False) -> str:
    """`canonical_json` of `obj` whose dicts hold their keys in sorted order already: the same
    text, without sorting every dict again (a pulled page's audit detail, thousands of rows).
    `floatless`: the caller knows `obj` holds no float, and orjson writes it, 20 times
    faster and in the same spelling (tests/desktop/test_serialize.py); orjson spells some
    floats differently (1e-07, NaN), and what it will not write (an integer past 64 bits)
    goes to the standard library too."""
    if floatless:
        try:
            return orjson.dumps(obj, default=to_wire, option=_AS_STDLIB).decode()
        except orjson.JSONEncodeError:
            pass
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=to_wire)


# Dates and timestamps go through `default` (to_wire), as the standard library writes
# them; orjson's own spelling differs.
_AS_STDLIB = orjson.OPT_PASSTHROUGH_DATETIME


def row_fields(row, columns=None) -> dict:
    """The mapped column values of `row` as wire values."""
    table = row.__table__
    names = columns if columns is not None else [c.key for c in table.columns]
    return {name: to_wire(getattr(row, name)) for name in names}

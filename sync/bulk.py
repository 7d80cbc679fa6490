"""Rows for a bulk write that bypasses SQLAlchemy's per-row parameter handling (the desk's
sqlite3 executemany, HQ's COPY): each row as a list of column values, with only the
columns that have a bind processor (money, UTC timestamps, JSON...) going through it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Table
from sqlalchemy.engine import Dialect

# A JSON value as its text, for a driver that takes the text (COPY): the driver's own JSON
# adapter took five times as long, and a push's rows each carry one (field_meta).
json_text = json.JSONEncoder(separators=(",", ":")).encode


class JsonText(str):
    """A JSON value written as its text already: bound_rows passes it on as it is."""


def _json_column(value: Any) -> str:
    return value if value.__class__ is JsonText else json_text(value)


def bound_rows(table: Table, dialect: Dialect, names: list[str],
               rows: Iterable[dict[str, Any]], *, json_as_text: bool = False
               ) -> Iterator[list[Any]]:
    """The values of `names`, in that order, of each row, as `dialect` stores them
    (`json_as_text`: JSON columns' values as their text, see json_text and JsonText)."""
    processors = [_json_column if json_as_text and isinstance(table.c[name].type, JSON)
                  else table.c[name].type._cached_bind_processor(dialect)  # noqa: SLF001
                  for name in names]
    converted = [(i, process) for i, process in enumerate(processors) if process is not None]
    values = itemgetter(*names) if len(names) > 1 else (lambda row: (row[names[0]],))
    for row in rows:
        record = list(values(row))
        for i, process in converted:
            if record[i] is not None:
                record[i] = process(record[i])
        yield record

"""Pushed wire values as column values: what a push's fields must be, value by value
(`CHECKS`; `coerce` says why one is refused) and, for the usual push, every value of the
body at once while msgspec parses it (`decode_checked`).

Why the second way: a first push checks millions of values, and a Python call a value
(CHECKS) was a sixth of HQ's work on it. `decode_checked` parses the body into a struct a
table whose fields are the table's columns, typed as the checks take them: text no longer
than its column, dates (parsed), booleans, a value only where the column may be empty; the
money and timestamp columns stay text, for their checks (cents, UTC) in `field_values`.
Anything the structs turn down (an unknown table or field, a value of another type, text
too long, a date in another form, a NUL anywhere) is left to the generic decoder and to
CHECKS, which decide it and say why: this path takes no more than CHECKS do, with the same
values (tests/sync/test_checked_push.py holds it to them).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Union

import msgspec
from sqlalchemy import Boolean, Date, String

from sync import decoders, reasons
from sync.protocol import MAX_PUSH_CHANGES
from sync.server.models import SYNCED_MODELS
from sync.server.types import CENT, Money, UTCDateTime, to_money

MAX_TEXT = 1 << 62  # the length limit of a text column without one
MONEY_LIMIT = Decimal("1e12")


class Rejected(Exception):
    """A change HQ will not apply; the message is the reason the desk shows."""


@dataclass(frozen=True)
class ColumnInfo:
    kind: str  # str | date | money | bool | datetime
    nullable: bool
    length: int | None
    required: bool  # must be given when the row is new


def _column_info() -> dict[str, dict[str, ColumnInfo]]:
    out: dict[str, dict[str, ColumnInfo]] = {}
    for name, model in SYNCED_MODELS.items():
        cols = {}
        for col in model.__table__.columns:
            if col.key in ("rev", "field_meta", "origin_node"):  # HQ's bookkeeping
                continue
            t = col.type
            if isinstance(t, Money):
                kind = "money"
            elif isinstance(t, UTCDateTime):
                kind = "datetime"
            elif isinstance(t, Boolean):
                kind = "bool"
            elif isinstance(t, Date):
                kind = "date"
            else:
                kind = "str"
            length = t.length if isinstance(t, String) else None
            defaulted = col.default is not None or col.key in ("id", "branch_id", "updated_at",
                                                                "deleted")
            cols[col.key] = ColumnInfo(kind, bool(col.nullable), length,
                                       not col.nullable and not defaulted)
        out[name] = cols
    return out


COLUMNS = _column_info()


def coerce(table: str, name: str, value: Any) -> Any:
    """A wire value as the column's Python value, or Rejected naming what is wrong."""
    info = COLUMNS[table][name]
    if value is None:
        if info.nullable:
            return None
        raise Rejected(reasons.FIELD_EMPTY.format(field=name))
    kind = info.kind
    if kind == "str":
        if not isinstance(value, str):
            raise Rejected(reasons.FIELD_NOT_TEXT.format(field=name))
        if "\x00" in value:
            raise Rejected(reasons.FIELD_NUL.format(field=name))
        if info.length is not None and len(value) > info.length:
            raise Rejected(reasons.FIELD_TOO_LONG.format(field=name, length=info.length))
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise Rejected(reasons.FIELD_NOT_BOOL.format(field=name))
        return value
    if kind == "date":
        if not isinstance(value, str) or len(value) != 10:
            raise Rejected(reasons.FIELD_NOT_DATE.format(field=name))
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise Rejected(reasons.FIELD_NOT_DATE.format(field=name)) from None
    if kind == "datetime":
        if not isinstance(value, str) or len(value) > 40:
            raise Rejected(reasons.FIELD_NOT_TIMESTAMP.format(field=name))
        try:
            stamp = dt.datetime.fromisoformat(value)
        except ValueError:
            raise Rejected(reasons.FIELD_NOT_TIMESTAMP.format(field=name)) from None
        return stamp.replace(tzinfo=dt.UTC) if stamp.tzinfo is None else stamp.astimezone(dt.UTC)
    # money: a decimal string (or an integer); never a float
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise Rejected(reasons.FIELD_AMOUNT_TEXT.format(field=name))
    try:
        amount = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, ValueError):
        raise Rejected(reasons.FIELD_NOT_AMOUNT.format(field=name)) from None
    if not amount.is_finite() or abs(amount) >= MONEY_LIMIT:
        raise Rejected(reasons.FIELD_AMOUNT_UNUSABLE.format(field=name))
    if amount != amount.quantize(CENT):
        raise Rejected(reasons.FIELD_AMOUNT_DECIMALS.format(field=name))
    return to_money(amount)


def _check(table: str, name: str, info: ColumnInfo) -> Callable[[Any], Any]:
    """coerce for one column, the usual value first: text that fits is taken as it is, a
    date or a timestamp parsed, a boolean or an amount in cents checked, an empty value of a
    column that may be empty passed on; anything else goes to coerce, for its value or the
    reason (a first push checks millions of values, and coerce's dispatch cost more than
    the checks)."""
    slow = functools.partial(coerce, table, name)
    nullable = info.nullable
    if info.kind == "str":
        limit = info.length if info.length is not None else MAX_TEXT

        def check_text(value):
            if value.__class__ is str and len(value) <= limit and "\x00" not in value:
                return value
            return None if value is None and nullable else slow(value)
        return check_text
    if info.kind == "date":
        parse_date = dt.date.fromisoformat

        def check_date(value):
            if value.__class__ is str and len(value) == 10:
                try:
                    return parse_date(value)
                except ValueError:
                    pass
            return None if value is None and nullable else slow(value)
        return check_date
    if info.kind == "datetime":
        parse_stamp, utc = dt.datetime.fromisoformat, dt.UTC

        def check_stamp(value):
            if value.__class__ is str and len(value) <= 40:
                try:
                    stamp = parse_stamp(value)
                except ValueError:
                    pass
                else:
                    return stamp.replace(tzinfo=utc) if stamp.tzinfo is None \
                        else stamp.astimezone(utc)
            return None if value is None and nullable else slow(value)
        return check_stamp
    if info.kind == "bool":
        def check_bool(value):
            return value if value.__class__ is bool else slow(value)
        return check_bool

    def check_money(value):
        if value.__class__ is str:
            try:
                amount = Decimal(value.strip())
            except InvalidOperation:
                return slow(value)
            if amount.is_finite() and abs(amount) < MONEY_LIMIT and \
                    amount == amount.quantize(CENT):
                return to_money(amount)
        return None if value is None and nullable else slow(value)
    return check_money


CHECKS = {table: {name: _check(table, name, info) for name, info in cols.items()}
          for table, cols in COLUMNS.items()}


def field_values(table: str, fields: dict[str, Any], checked: bool) -> dict[str, Any]:
    """A change's fields (but its id) as column values, in the order of their names, or
    Rejected naming the first one, by name, that cannot be its column's. `checked`: the
    fields of a CheckedChange, whose money and timestamps alone are left to check."""
    checks = CHECKS[table]
    if checked:
        values = dict(fields)
        values.pop("id", None)
        for name in _LEFT_TO_CHECK[table]:
            if name in values:
                values[name] = checks[name](values[name])
        return values
    try:  # (in name order, as decode_checked gives them: the same first refused field)
        return {name: checks[name](fields[name]) for name in sorted(fields) if name != "id"}
    except KeyError:
        unknown = next(name for name in fields if name not in checks)
        raise Rejected(reasons.UNKNOWN_FIELD.format(table=table, field=unknown[:64])) from None


class CheckedChange(decoders.Change):
    """A change from decode_checked: its fields' text, dates (parsed) and booleans are as
    CHECKS gives them; money and timestamps as sent."""


def _field_type(info: ColumnInfo) -> Any:
    """A column's type in its table's fields struct (see the module's doc)."""
    if info.kind == "str" and info.length is not None:
        kind: Any = Annotated[str, msgspec.Meta(max_length=info.length)]
    else:  # (text without a limit; money and timestamps, checked in field_values)
        kind = {"date": dt.date, "bool": bool}.get(info.kind, str)
    return Union[kind, None, msgspec.UnsetType] if info.nullable \
        else Union[kind, msgspec.UnsetType]  # noqa: UP007 - built at run time


def _change_struct(table: str) -> type[msgspec.Struct]:
    """decoders.Change of one table (its "table" the struct's tag), its fields typed."""
    fields = msgspec.defstruct(
        f"{table}_fields", [(name, _field_type(info), msgspec.UNSET)
                            for name, info in sorted(COLUMNS[table].items())],
        forbid_unknown_fields=True)
    envelope = [(f.name, f.type) for f in msgspec.structs.fields(decoders.Change)
                if f.name not in ("table", "fields")]
    return msgspec.defstruct(
        f"{table}_change", [*envelope,
                            ("fields", fields, msgspec.field(default_factory=fields))],
        tag_field="table", tag=table, forbid_unknown_fields=True,
        module=__name__)


_TABLE_CHANGES = {table: _change_struct(table) for table in COLUMNS}
_LEFT_TO_CHECK = {table: tuple(sorted(name for name, info in cols.items()
                                      if info.kind in ("money", "datetime")))
                  for table, cols in COLUMNS.items()}
_CHECKED_PUSH = msgspec.json.Decoder(msgspec.defstruct(
    "CheckedPush", [("changes", Annotated[list[Union[tuple(_TABLE_CHANGES.values())]],  # noqa: UP007
                                          msgspec.Meta(max_length=MAX_PUSH_CHANGES)])],
    forbid_unknown_fields=True))
_NATIVE = (dt.date,)  # (what to_builtins passes through as it is)


def decode_checked(body: bytes) -> list[CheckedChange] | None:
    """A push request's changes, each value checked as it is parsed (see the module's doc),
    or None when the body takes the generic decoder and CHECKS."""
    # (a NUL is CHECKS' to refuse: msgspec has no such constraint. A body without a
    # backslash, the usual one, is told by memchr in a fiftieth of the search's time.)
    if b"\\" in body and b"\\u0000" in body:
        return None
    try:
        changes = _CHECKED_PUSH.decode(body).changes
    except (msgspec.MsgspecError, RecursionError):  # (skipping a deep value to find the tag)
        return None
    values = msgspec.to_builtins([c.fields for c in changes], builtin_types=_NATIVE)
    return [CheckedChange(c.change_id, c.__struct_config__.tag, c.op, c.row_id, c.base_rev, v)
            for c, v in zip(changes, values, strict=True)]

"""Column types: money as NUMERIC(14,2) (integer cents on SQLite), UTC timestamps."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, DateTime, Float, Numeric, String, Text, cast, func, literal
from sqlalchemy.types import TypeDecorator

CENT = Decimal("0.01")
# to_char's pattern for a timestamp as to_wire writes it (six fraction digits, Z)
WIRE_TIMESTAMP = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'


def to_money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Money(TypeDecorator):
    impl = Numeric(14, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(14, 2, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        money = to_money(value)
        return int(money * 100) if dialect.name == "sqlite" else money

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / 100).quantize(CENT)
        return to_money(value)


class UTCDateTime(TypeDecorator):
    """TIMESTAMP WITH TIME ZONE on PostgreSQL; ISO-8601 text ending in Z on SQLite."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(32))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: timestamps must be UTC-aware")
        value = value.astimezone(dt.UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            return dt.datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def to_wire(value):
    """A column value as JSON: Decimal as string, ISO dates, UTC timestamps with Z."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC) if value.tzinfo else value
        return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def wire_sql(column):
    """`column`'s value as to_wire writes it, computed by PostgreSQL for its JSON functions
    (a pull page's items are written by the database): money (NUMERIC) as its text
    ("8000.00"), timestamps as UTC with six fraction digits and a Z whatever the session's
    TimeZone. Dates (ISO in JSON whatever the DateStyle), text, booleans and integers are
    already what to_wire gives."""
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind, Numeric) and kind.asdecimal and not isinstance(kind, Float):
        return cast(column, Text)
    if isinstance(kind, DateTime):
        stamp = func.timezone(literal("UTC"), column) if kind.timezone else column
        return func.to_char(stamp, literal(WIRE_TIMESTAMP))
    return column

"""Column types shared by the models and the migrations."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, Numeric, String
from sqlalchemy.types import TypeDecorator

CENT = Decimal("0.01")


def to_money(value) -> Decimal:
    """Money as a Decimal rounded half-up to the cent (never via float)."""
    if isinstance(value, float):
        value = repr(value)
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class Money(TypeDecorator):
    """NUMERIC(14,2) where the database has it; exact integer cents on SQLite.

    SQLite has no decimal type and would round-trip NUMERIC through a double, so there the
    column holds cents as an integer: exact, sortable and summable in SQL.
    """

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
        if dialect.name == "sqlite":
            return int(money * 100)
        return money

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / 100).quantize(CENT)
        return to_money(value)


class UTCDateTime(TypeDecorator):
    """Timestamps stored as ISO-8601 UTC text ("2026-11-22T21:42:33.123456Z")."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: timestamps must be UTC-aware")
        if value.utcoffset():
            value = value.astimezone(dt.UTC)
        # isoformat is several times faster than strftime; same text: 2026-11-22T21:42:33.123456Z
        return value.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return dt.datetime.fromisoformat(value)  # "...Z" parses as UTC (Python 3.11+)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)

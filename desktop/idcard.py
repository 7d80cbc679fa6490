"""PRC resident identity card numbers (GB 11643-1999): 18 characters, the last a checksum."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from desktop import messages as M
from desktop.messages import Message

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_PATTERN = re.compile(r"^[1-9]\d{16}[\dX]$")


class InvalidIdNumber(ValueError):
    pass


@dataclass(frozen=True)
class IdNumberInfo:
    number: str
    birth_date: dt.date
    gender: str  # "M" or "F": the 17th digit is odd for men


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def parse(number: str, *, today: dt.date | None = None) -> IdNumberInfo:
    """Validate an 18-character ID number and derive birth date and gender from it."""
    number = (number or "").strip().upper()
    if len(number) != 18:
        raise InvalidIdNumber(Message(M.ID_LENGTH, length=len(number)))
    if not _PATTERN.match(number):
        raise InvalidIdNumber(M.ID_PATTERN)
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber(Message(M.ID_BIRTH_NOT_A_DATE, digits=number[6:14])) from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise InvalidIdNumber(Message(M.ID_BIRTH_OUT_OF_RANGE, date=birth.isoformat()))
    expected = check_char(number[:17])
    if number[17] != expected:
        raise InvalidIdNumber(Message(M.ID_CHECKSUM, got=number[17], expected=expected))
    return IdNumberInfo(number, birth, "M" if int(number[16]) % 2 else "F")


def make(region: str, birth: dt.date, sequence: int, gender: str) -> str:
    """A valid number for demo data: 6-digit region, birth date, 3-digit sequence."""
    seq = sequence % 500 * 2 + (1 if gender == "M" else 0)
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)

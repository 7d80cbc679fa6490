"""Why HQ rejects a change: one catalogue for both ends of the wire.

HQ writes a change's `reason` in English from these templates (the text any integrator
reads); the desk reads a reason back into its template and values (`parse`) to show it in
the clerk's language. As sync.protocol: no Qt, no desktop imports. `QT_TRANSLATE_NOOP`
marks each template for Qt Linguist (context "HQReasons") without importing Qt.

Placeholders by name: field, column (a column), columns (several, comma-separated),
table, target (a table), value (a field's value, `field`'s), length (a number), detail
(any text: the database's own words).
"""

from __future__ import annotations

import ast
import functools
import re


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's keyword
    return text


# ---- a value that does not fit its column ----
FIELD_EMPTY = QT_TRANSLATE_NOOP("HQReasons", "field {field!r} cannot be empty")
FIELD_NOT_TEXT = QT_TRANSLATE_NOOP("HQReasons", "field {field!r} must be text")
FIELD_NUL = QT_TRANSLATE_NOOP("HQReasons", "field {field!r} contains a NUL character")
FIELD_TOO_LONG = QT_TRANSLATE_NOOP("HQReasons", "field {field!r} is longer than {length} characters")
FIELD_NOT_BOOL = QT_TRANSLATE_NOOP("HQReasons", "field {field!r} must be true or false")
FIELD_NOT_DATE = QT_TRANSLATE_NOOP("HQReasons", "field {field!r} must be a date like 2026-01-31")
FIELD_NOT_TIMESTAMP = QT_TRANSLATE_NOOP("HQReasons", "field {field!r} must be an ISO-8601 UTC timestamp")
FIELD_AMOUNT_TEXT = QT_TRANSLATE_NOOP("HQReasons", 'field {field!r} must be an amount as a decimal string like "8000.00"')
FIELD_NOT_AMOUNT = QT_TRANSLATE_NOOP("HQReasons", 'field {field!r} must be an amount like "8000.00"')
FIELD_AMOUNT_UNUSABLE = QT_TRANSLATE_NOOP("HQReasons", "field {field!r} is not a usable amount")
FIELD_AMOUNT_DECIMALS = QT_TRANSLATE_NOOP("HQReasons", "field {field!r} has more than two decimal places")

# ---- the change itself ----
CHANGE_ID_INVALID = QT_TRANSLATE_NOOP("HQReasons", "change_id is not valid")
CHANGE_ID_USED = QT_TRANSLATE_NOOP("HQReasons", "this change id was already used by another node")
READ_ONLY_TOKEN = QT_TRANSLATE_NOOP("HQReasons", "this token may only read")
UNKNOWN_TABLE = QT_TRANSLATE_NOOP("HQReasons", "unknown table {table!r}")
ROW_ID_INVALID = QT_TRANSLATE_NOOP("HQReasons", "row_id is not a valid id")
NO_ROW_TO_DELETE = QT_TRANSLATE_NOOP("HQReasons", "HQ has no such row to delete")
UNKNOWN_FIELD = QT_TRANSLATE_NOOP("HQReasons", "{table} has no field {field!r}")
ID_DIFFERS = QT_TRANSLATE_NOOP("HQReasons", "field 'id' differs from row_id")
NEW_ROW_NEEDS = QT_TRANSLATE_NOOP("HQReasons", "a new row needs {columns}")
APPEND_ONLY = QT_TRANSLATE_NOOP("HQReasons", "{table} is append-only: a correction is a new row")

# ---- scope: what a branch may change ----
REFERENCE_TABLE = QT_TRANSLATE_NOOP("HQReasons", "{table} is group reference data: only HQ changes it")
REFERENCE_ROW = QT_TRANSLATE_NOOP("HQReasons", "this {table} is group reference data: only HQ changes it")
NOT_YOUR_BRANCH = QT_TRANSLATE_NOOP("HQReasons", "this {table} is not in your branch (it belongs to another branch or was transferred)")
NO_MOVE = QT_TRANSLATE_NOOP("HQReasons", "a branch cannot move a row to another branch or to the group; HQ transfers employees")
HQ_ONLY_VALUE = QT_TRANSLATE_NOOP("HQReasons", "only HQ sets {field} {value!r}")
MISSING_REFERENCE = QT_TRANSLATE_NOOP("HQReasons", "{column} refers to a {target} HQ does not have")
FOREIGN_REFERENCE = QT_TRANSLATE_NOOP("HQReasons", "{column} refers to a {target} of another branch")

# ---- what PostgreSQL or SQLite refused ----
VALUE_TAKEN = QT_TRANSLATE_NOOP("HQReasons", "HQ cannot store this row: a unique value (such as the employee number or code) is already taken, or a row it refers to is missing")
VALUE_DOES_NOT_FIT = QT_TRANSLATE_NOOP("HQReasons", "HQ cannot store this row: a value does not fit its column")

# The desk's own words: a rejection HQ gave no reason for, and a row HQ sent that the desk
# could not store (the first, more precise, before the second).
NO_REASON = QT_TRANSLATE_NOOP("HQReasons", "rejected by HQ")
DESK_VALUE_TAKEN = QT_TRANSLATE_NOOP("HQReasons", "this desk could not store HQ's version: its {field} is already used by another {table} here")
DESK_CANNOT_STORE = QT_TRANSLATE_NOOP("HQReasons", "this desk could not store HQ's version: {detail}")

TEMPLATES = tuple(value for name, value in list(globals().items())
                  if name.isupper() and isinstance(value, str))

_PLACEHOLDER = re.compile(r"\{(\w+)(!r)?\}")


def parse(reason: str) -> tuple[str, dict[str, str]] | None:
    """(template, values) of a reason written from one of the TEMPLATES, else None."""
    for template, pattern in _patterns():
        match = pattern.fullmatch(reason)
        if match is not None:
            try:
                return template, {name: ast.literal_eval(text) if text[:1] in "'\"" else text
                                  for name, text in match.groupdict().items()}
            except (SyntaxError, ValueError):  # quoted, but not as Python's repr() quotes
                return None
    return None


# What an unquoted placeholder holds: a name, names, a number ({x!r}: a quoted literal).
_UNQUOTED = {"columns": r"\w+(?:, \w+)*", "length": r"\d+", "detail": r".+"}


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """Each template as a regular expression (a name is one word, so "this {table} ..."
    is never read as "{table} ..." with a table called "this employee")."""
    out = []
    for template in TEMPLATES:
        parts, end = [], 0
        for m in _PLACEHOLDER.finditer(template):
            parts.append(re.escape(template[end:m.start()]))
            held = r"'[^']*'|\"[^\"]*\"" if m[2] else _UNQUOTED.get(m[1], r"\w+")
            parts.append(rf"(?P<{m[1]}>{held})")
            end = m.end()
        parts.append(re.escape(template[end:]))
        out.append((template, re.compile("".join(parts))))
    return tuple(out)

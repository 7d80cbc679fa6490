"""The JSON the audit log hashes: written fast (orjson) where that gives the standard
library's spelling exactly, so a log written by an earlier BranchDesk still verifies."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal

import pytest

from desktop import audit
from desktop.store.serialize import canonical_json, sorted_json, to_wire

# Every ASCII character (controls, quotes, backslash, DEL), the separators JavaScript
# escapes and JSON does not, CJK, text beyond the BMP, and whole numbers at the 64-bit edge.
TEXTS = ["".join(map(chr, range(128))), "\u2028\u2029\u00a0\ufeff", "上海分公司·张三",
         "😀𠀀", "\ud7ff\ue000\uffff", 'a"b\\c/d', ""]
VALUES = [*TEXTS, 0, -1, 2**63 - 1, -(2**63), True, False, None, [], {},
          Decimal("1234.50"), dt.date(2024, 2, 29),
          dt.datetime(2024, 1, 31, 23, 59, 59, 123456, tzinfo=dt.UTC),
          dt.datetime(2024, 2, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))]


def stdlib(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), default=to_wire)


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_floatless_json_is_spelled_as_the_standard_library_spells_it(value):
    nested = {"columns": ["a", "b"], "op": "pull", "rows": {"r1": [value, [value]]}}
    assert sorted_json(value, floatless=True) == stdlib(value)
    assert sorted_json(nested, floatless=True) == stdlib(nested) == canonical_json(nested)


def test_what_orjson_cannot_write_is_left_to_the_standard_library():
    huge = {"a": [2**64, -(2**70)], "b": {1: "key not text"}}
    assert sorted_json(huge, floatless=True) == stdlib(huge)


@pytest.mark.parametrize("value", [1e-07, 1e16, 0.1, float("nan")], ids=repr)
def test_floats_keep_the_standard_librarys_spelling(value):
    assert sorted_json([value]) == stdlib([value])


@pytest.mark.parametrize("text", TEXTS, ids=repr)
def test_an_entry_hashed_by_an_earlier_version_still_verifies(text):
    """entry_hash used canonical_json for the hashed body until orjson wrote it."""
    at = dt.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=dt.UTC)
    body = canonical_json([7, to_wire(at), text, "pull", "employee", text, text])
    before = hashlib.sha256(("f" * 64 + body).encode()).hexdigest()
    assert audit.entry_hash("f" * 64, 7, at, text, "pull", "employee", text, text) == before

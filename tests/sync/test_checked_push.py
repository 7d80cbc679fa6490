"""sync.server.values.decode_checked, the usual push's values checked while it is parsed,
takes no more than the generic decoder and CHECKS do, with the same values, the same
first refused field and the same reason; what it turns down is theirs to decide."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sync import decoders, protocol, reasons
from sync.server.values import COLUMNS, CheckedChange, Rejected, decode_checked, field_values
from tests.sync.hq_support import FINANCE, employee_fields
from tests.sync.test_decoders import PUSHES

_decode_generic = decoders.decoder(protocol.PushRequest)

# Wire values at the edges of each kind of column (JSON text, as a desk might send them).
EDGES = {
    "str": ['""', '"a"', '"张三"', '"a\\u0000b"', '"\\\\u0000"', '"\\ud800"', "5", "true",
            "1.5", "[]", "{}", "null", '"' + "字" * 200 + '"'],
    "date": ['"2024-02-29"', '"2023-02-29"', '"2024-W01-1"', '"20240101"', '"0001-01-01"',
             '"9999-12-31"', '"2024-01-01T00:00"', '" 2024-01-01"', '"２０２４-01-01"', "20240101",
             '""', "null"],
    "bool": ["true", "false", "0", "1", '"true"', "null"],
    "money": ['"8000.00"', '"8000"', '"-0.5"', "8000", "8000.5", '"8000.001"', '" 8000.00 "',
              '"1e3"', '"NaN"', '"Infinity"', '"1e12"', '"999999999999.99"', "true", "null"],
    "datetime": ['"2026-12-04T02:57:35.336261Z"', '"2026-12-04T02:57:35"',
                 '"2026-12-04T10:57:35+08:00"', '"2026-12-04T02:57:35.1234567Z"',
                 '"2026-12-04"', '"' + "2" * 41 + '"', "5", "null"],
}
CASES = [(table, name, value) for table, cols in COLUMNS.items()
         for name, info in cols.items() for value in EDGES[info.kind]]


def _body(table: str, fields: str, *, op: str = "upsert") -> bytes:
    return ('{"changes":[{"change_id":"c1","table":' + json.dumps(table) + ',"op":'
            + json.dumps(op) + ',"row_id":"r1","base_rev":0,"fields":' + fields + "}]}").encode()


def _decided(change) -> tuple[str, Any]:
    """What _apply takes from a change's fields: its values in their order, or the reason."""
    try:
        values = field_values(change.table, change.fields, change.__class__ is CheckedChange)
    except Rejected as exc:
        return "rejected", str(exc)
    return "values", list(values.items())


def _same_as_generic(body: bytes) -> bool:
    """Asserts that decode_checked decides `body` as the generic path does; True when it
    took the body (False: it left it to the generic path)."""
    checked = decode_checked(body)
    if checked is None:
        return False
    generic = _decode_generic(body).changes
    assert len(checked) == len(generic)
    for fast, slow in zip(checked, generic, strict=True):
        assert (fast.change_id, fast.table, fast.op, fast.row_id, fast.base_rev) == \
            (slow.change_id, slow.table, slow.op, slow.row_id, slow.base_rev)
        assert _decided(fast) == _decided(slow)
    return True


@pytest.mark.parametrize(("table", "name", "value"), CASES,
                         ids=[f"{t}.{n}={v[:20]}" for t, n, v in CASES])
def test_each_value_is_decided_as_the_checks_decide_it(table, name, value):
    body = _body(table, f'{{"{name}":{value}}}')
    taken = _same_as_generic(body)
    # What the checks take as it is sent, at its column's length, is taken on this path.
    info = COLUMNS[table][name]
    plain = {"str": '"a"', "date": '"2024-02-29"', "bool": "true", "money": '"8000.00"',
             "datetime": '"2026-12-04T02:57:35.336261Z"'}[info.kind]
    if value == plain or (value == "null" and info.nullable):
        assert taken


def test_values_come_in_name_order_and_the_first_refused_field_by_name_is_named():
    # Two amounts refused (checked after the body is parsed), in another order than sent.
    fields = employee_fields("E-1", base_salary="1.005", updated_at="noon")
    sent = json.dumps(dict(reversed(list(fields.items()))), ensure_ascii=False)
    assert _same_as_generic(_body("employee", sent))
    checked = decode_checked(_body("employee", sent))
    assert _decided(checked[0]) == (
        "rejected", reasons.FIELD_AMOUNT_DECIMALS.format(field="base_salary"))
    good = json.dumps(employee_fields("E-1"), ensure_ascii=False)
    assert _same_as_generic(_body("employee", good))
    kind, values = _decided(decode_checked(_body("employee", good))[0])
    assert kind == "values" and [name for name, _v in values] == sorted(
        set(employee_fields("E-1")))


def test_a_desks_usual_changes_take_this_path():
    event = {"employee_id": "e1", "kind": "hire", "effective_date": "2024-01-02",
             "reason": None, "actor": "demo", "branch_id": FINANCE, "deleted": False,
             "updated_at": "2026-01-01T00:00:00.000000Z"}
    for body in (_body("employee", json.dumps({**employee_fields("E-1"), "id": "r1"})),
                 _body("employee_event", json.dumps(event)),
                 _body("employee", '{"phone":"13900000000","updated_at":'
                                   '"2026-01-02T00:00:00.000000Z"}'),
                 _body("employee", '{"updated_at":"2026-01-02T00:00:00.000000Z"}',
                       op="delete"),
                 _body("employee", "{}", op="delete")):
        assert _same_as_generic(body), body


@pytest.mark.parametrize("name", [
    "an unknown table", "an unknown field", "the table twice, differing", "a NUL in an id"])
def test_what_it_cannot_decide_is_left_to_the_generic_path(name):
    body = {
        "an unknown table": _body("payroll", "{}"),
        "an unknown field": _body("employee", '{"salary":"8000.00"}'),
        "the table twice, differing": _body("employee", "{}").replace(
            b'"op"', b'"table":"branch","op"'),
        "a NUL in an id": _body("employee", "{}").replace(b'"r1"', b'"r\\u00001"'),
    }[name]
    assert decode_checked(body) is None
    _decode_generic(body)  # (the generic path takes it; _apply rejects the change)


def test_a_value_nested_deeper_than_python_recurses_is_left_to_the_generic_path():
    # The tag after the value: msgspec skips the value recursively to find it.
    deep = "[" * 3000 + "]" * 3000
    body = ('{"changes":[{"change_id":"c1","op":"upsert","row_id":"r1","base_rev":0,'
            '"x":' + deep + ',"table":"employee"}]}').encode()
    assert decode_checked(body) is None


@pytest.mark.parametrize("name", list(PUSHES))
def test_the_envelopes_edges_are_decided_as_the_generic_decoder_decides_them(name):
    body = ('{"changes":[' + PUSHES[name] + "]}").encode()
    try:
        _decode_generic(body)
    except Exception:  # noqa: BLE001 - refused there: never taken here
        assert decode_checked(body) is None
        return
    _same_as_generic(body)

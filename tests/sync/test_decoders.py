"""sync.decoders' fast paths take what protocol's models take, with the same values, and
leave the rest to the models (which refuse it, or take it in pydantic's lax mode)."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from pydantic import BaseModel, ValidationError

from sync import decoders, protocol

# decoders.Value (any JSON value, nested a few levels at most) stands for the models' Any.
_VALUE = msgspec.json.schema(decoders.Value)


def _schema_defs(schema: dict[str, Any]) -> dict[str, Any]:
    """Every object schema of `schema` by name, in one shape for pydantic's and msgspec's:
    no titles or descriptions, enums as sets, a default only where pydantic states one,
    decoders.Value as Any."""
    defs = dict(schema.pop("$defs", {}))
    if "$ref" not in schema:
        defs[schema["title"]] = schema

    def plain(node):
        if isinstance(node, dict):
            if all(node.get(k) == v for k, v in _VALUE.items()):
                node = {k: v for k, v in node.items() if k not in _VALUE}
            out = {k: plain(v) for k, v in node.items() if k not in ("title", "description")}
            if out.get("additionalProperties") in (True, {}):  # (JSON Schema's default)
                del out["additionalProperties"]
            if "enum" in out:
                out["enum"] = sorted(out["enum"])
                out.pop("type", None)
            return out
        if isinstance(node, list):
            return [plain(v) for v in node]
        return node

    return {name: plain(d) for name, d in defs.items()}


@pytest.mark.parametrize("model", list(decoders.STRUCTS), ids=lambda m: m.__name__)
def test_each_struct_states_what_its_model_states(model):
    struct = decoders.STRUCTS[model]
    ours = _schema_defs(model.model_json_schema())
    theirs = _schema_defs(msgspec.json.schema(struct))
    assert ours.keys() == theirs.keys()
    for name, definition in ours.items():
        fast = theirs[name]
        assert definition["required"] == fast["required"], name
        assert definition["additionalProperties"] is fast["additionalProperties"] is False, name
        assert definition["properties"].keys() == fast["properties"].keys(), name
        for field, spec in definition["properties"].items():
            fast_spec = dict(fast["properties"][field])
            if "default" not in spec:  # (pydantic leaves a default_factory's out)
                fast_spec.pop("default", None)
            assert spec == fast_spec, f"{name}.{field}"


def _push(change: str) -> str:
    return '{"changes":[' + change + "]}"


_CHANGE = ('{"change_id":"c1","table":"employee","op":"upsert","row_id":"r1","base_rev":0,'
           '"fields":%s}')
PUSHES = {
    "a create": _CHANGE % '{"id":"r1","name":"张三","base_salary":"8000.00","deleted":false}',
    "no fields": '{"change_id":"c1","table":"employee","op":"delete","row_id":"r1","base_rev":3}',
    "no changes": "",
    "a 64-character CJK id": _CHANGE.replace('"c1"', '"' + "字" * 64 + '"') % "{}",
    "a 65-character CJK id": _CHANGE.replace('"c1"', '"' + "字" * 65 + '"') % "{}",
    "an empty row id": _CHANGE.replace('"r1"', '""') % "{}",
    "a 10,000-character key": _CHANGE % ('{"' + "k" * 10_000 + '":1}'),
    "a 10,001-character key": _CHANGE % ('{"' + "k" * 10_001 + '":1}'),
    "a 10,001-character value": _CHANGE % ('{"x":"' + "v" * 10_001 + '"}'),
    "integers past 64 bits": _CHANGE % '{"x":123456789012345678901234567890,"y":-9223372036854775809}',
    "a base rev past 64 bits": _CHANGE.replace('"base_rev":0', '"base_rev":99999999999999999999') % "{}",
    "a negative base rev": _CHANGE.replace('"base_rev":0', '"base_rev":-1') % "{}",
    "a base rev of 1.0": _CHANGE.replace('"base_rev":0', '"base_rev":1.0') % "{}",
    "a base rev of '1'": _CHANGE.replace('"base_rev":0', '"base_rev":"1"') % "{}",
    "a base rev of true": _CHANGE.replace('"base_rev":0', '"base_rev":true') % "{}",
    "floats at the edges": _CHANGE % '{"a":1e-400,"b":1.7976931348623157e308,"c":0.1,"d":-0.0}',
    "a float beyond range": _CHANGE % '{"x":1e400}',
    "NaN and Infinity": _CHANGE % '{"x":NaN,"y":-Infinity}',
    "escapes and a surrogate pair": _CHANGE % r'{"x":"\/\b\f\n\r\t\"\\\u0000\ud83d\ude00"}',
    "a lone surrogate": _CHANGE % r'{"x":"\ud800"}',
    "a raw control character": _CHANGE % '{"x":"a\tb"}',
    "a key twice": _CHANGE % '{"x":1,"x":2}',
    "a field twice": _CHANGE.replace('"row_id":"r1"', '"row_id":"r1","row_id":"r2"') % "{}",
    "an unknown field": _CHANGE.replace('"base_rev":0', '"base_rev":0,"extra":1') % "{}",
    "an unknown op": _CHANGE.replace('"upsert"', '"merge"') % "{}",
    "fields null": _CHANGE % "null",
    "fields a list": _CHANGE % "[]",
    "a value nested 8 deep": _CHANGE % ('{"x":' + "[{" * 4 + '"k":1' + "}]" * 4 + "}"),
    "a value nested 9 deep": _CHANGE % ('{"x":' + "[" * 9 + "]" * 9 + "}"),
    "a value nested 150 deep": _CHANGE % ('{"x":' + "[" * 150 + "]" * 150 + "}"),
    "a value nested 250 deep": _CHANGE % ('{"x":' + "[" * 250 + "]" * 250 + "}"),
    "a value nested 3,000 deep": _CHANGE % ('{"x":' + "[" * 3000 + "]" * 3000 + "}"),
}
_PAGE = ('{"changes":[{"table":"employee","row_id":"r1","rev":7,"op":"upsert",'
         '"row":{"id":"r1","name":"李四","base_salary":"9000.00"}}%s],"next_after":7,'
         '"more":false%s}')
PAGES = {
    "a page": _PAGE % ("", ""),
    "a page with its digest": _PAGE % ("", ',"digest":{"employee":{"count":1,"rev_sum":7}}'),
    "a move out": _PAGE % (',{"table":"employee","row_id":"r2","rev":8,"op":"move_out"}', ""),
    "an unknown op": _PAGE.replace('"upsert"', '"merge"') % ("", ""),
    "no cursor": _PAGE.replace('"next_after":7,', "") % ("", ""),
    "a digest without its sum": _PAGE % ("", ',"digest":{"employee":{"count":1}}'),
    "an unknown field": _PAGE % ("", ',"cursor":7'),
    "more as a string": _PAGE.replace('"more":false', '"more":"no"') % ("", ""),
    "a row value nested 250 deep": _PAGE.replace('"李四"', "[" * 250 + "]" * 250) % ("", ""),
}
_RESULT = '{"change_id":"c1","status":"%s","rev":%s,"reason":%s,"conflicts":%s}'
ANSWERS = {
    "applied": '{"results":[%s]}' % (_RESULT % ("applied", 5, "null", "[]")),
    "a conflict": '{"results":[%s]}' % (_RESULT % (
        "conflict", 6, "null",
        '[{"field":"base_salary","hq_value":"9000.00","branch_value":"8500.00",'
        '"winner":"hq"}]')),
    "a rejection": '{"results":[%s]}' % (_RESULT % ("rejected", "null", '"no such row"', "[]")),
    "with the pull page": '{"results":[],"pull":%s}' % (_PAGE % ("", "")),
    "an unknown status": '{"results":[%s]}' % (_RESULT % ("lost", 5, "null", "[]")),
    "a conflict without its winner": '{"results":[%s]}' % (_RESULT % (
        "conflict", 6, "null", '[{"field":"x","hq_value":1,"branch_value":2}]')),
    "a conflict's value nested 250 deep": '{"results":[%s]}' % (_RESULT % (
        "conflict", 6, "null", '[{"field":"x","hq_value":' + "[" * 250 + "]" * 250
        + ',"branch_value":2,"winner":"hq"}]')),
    "not JSON": '{"results":[',
}
CASES = [(protocol.PushRequest, name, _push(body))
         for name, body in PUSHES.items()] + \
    [(protocol.PullResponse, name, body) for name, body in PAGES.items()] + \
    [(protocol.PushResponse, name, body) for name, body in ANSWERS.items()]


def _plain(value) -> str:
    """A decoded message as comparable text (NaN equals NaN here)."""
    data = value.model_dump() if isinstance(value, BaseModel) else msgspec.to_builtins(value)
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


@pytest.mark.parametrize(("model", "name", "body"), CASES,
                         ids=[f"{m.__name__}: {n}" for m, n, _b in CASES])
def test_a_body_decodes_as_its_model_decodes_it(model, name, body):
    data = body.encode()
    try:
        expected = model.model_validate_json(data)
    except ValidationError as exc:
        with pytest.raises(ValidationError) as refused:
            decoders.decoder(model)(data)
        assert refused.value.errors() == exc.errors()  # the model's own words
        return
    got = decoders.decoder(model)(data)
    assert _plain(got) == _plain(expected)


def test_ordinary_messages_take_the_fast_path():
    for model, bodies, name in ((protocol.PushRequest, PUSHES, "a create"),
                                (protocol.PullResponse, PAGES, "a move out"),
                                (protocol.PushResponse, ANSWERS, "a conflict")):
        body = _push(bodies[name]) if model is protocol.PushRequest else bodies[name]
        assert isinstance(decoders.decoder(model)(body.encode()), decoders.STRUCTS[model])

"""The sync wire's bulk messages decoded by msgspec: a push request at HQ, a pull page and a
push answer at the desk. pydantic's models in protocol.py stay the contract (OpenAPI,
every other message, and every error); each decoder here is a fast path that accepts no
more than its model does, into objects with the same attributes.

Why: pydantic took 9-12 µs a change to turn a push's JSON into its models, over a tenth of
HQ's work on a first push, and as long for each row of a pulled page at the desk; msgspec
parses and checks the same JSON in a third of that. What msgspec turns down (a malformed
body, but also values pydantic's lax mode still takes: a base_rev of 1.0 or "1", NaN, a
number beyond a float's range) goes to the model, which decides as it always did and says
why. tests/sync/test_decoders.py holds each struct to its model, field for field, and
feeds both the edge cases of JSON (a value nested deeper than `Value` allows goes to the
model as well).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar, Union

import msgspec
from pydantic import BaseModel

from sync import protocol

# protocol._Wire's str_max_length, on every string the models type as one (keys included)
Text = Annotated[str, msgspec.Meta(max_length=10_000)]
_Id = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]


def _json_value(depth: int) -> Any:
    """Any JSON value with arrays and objects nested at most `depth` deep (the models'
    `Any`). Not msgspec's Any: pydantic's parser refuses JSON nested past about 200
    levels, msgspec's only at Python's recursion limit, so a body nested between the two
    would pass here and not there. A wire value is a scalar (the synced tables' columns);
    anything nested deeper than this goes to the model."""
    value = Union[str, int, float, bool, None]  # noqa: UP007 - built at run time
    for _ in range(depth):
        value = Union[str, int, float, bool, None, list[value], dict[str, value]]  # noqa: UP007
    return value


Value = _json_value(8)


class _Struct(msgspec.Struct, forbid_unknown_fields=True):
    """protocol._Wire's extra="forbid"."""


class Change(_Struct):
    change_id: _Id
    table: Annotated[str, msgspec.Meta(max_length=64)]
    op: Literal["upsert", "delete"]
    row_id: _Id
    base_rev: Annotated[int, msgspec.Meta(ge=0)]
    fields: dict[Text, Value] = {}  # (msgspec gives each struct its own empty dict)


class PushRequest(_Struct):
    changes: Annotated[list[Change], msgspec.Meta(max_length=protocol.MAX_PUSH_CHANGES)]


class FieldConflict(_Struct):
    field: Text
    winner: Literal["hq", "branch"]
    hq_value: Value = None
    branch_value: Value = None


class ChangeResult(_Struct):
    change_id: Text
    status: Literal["applied", "merged", "conflict", "rejected"]
    rev: int | None = None
    reason: Text | None = None
    conflicts: list[FieldConflict] = []


class PulledChange(_Struct):
    table: Text
    row_id: Text
    rev: int
    op: Literal["upsert", "delete", "move_out"]
    row: dict[Text, Value] = {}


class TableDigest(_Struct):
    count: int
    rev_sum: int


class PullResponse(_Struct):
    changes: list[PulledChange]
    next_after: int
    more: bool
    digest: dict[Text, TableDigest] | None = None


class PushResponse(_Struct):
    results: list[ChangeResult]
    pull: PullResponse | None = None


# Each model with a fast path, and the struct that mirrors it (the test's list too).
STRUCTS: dict[type[BaseModel], type[msgspec.Struct]] = {
    protocol.Change: Change, protocol.PushRequest: PushRequest,
    protocol.FieldConflict: FieldConflict, protocol.ChangeResult: ChangeResult,
    protocol.PulledChange: PulledChange, protocol.TableDigest: TableDigest,
    protocol.PullResponse: PullResponse, protocol.PushResponse: PushResponse,
}
_DECODERS = {model: msgspec.json.Decoder(struct) for model, struct in STRUCTS.items()}

M = TypeVar("M", bound=BaseModel)


@functools.cache
def decoder(model: type[M]) -> Callable[[bytes], M]:
    """`model.model_validate_json`, through msgspec where it has a fast path for `model`:
    the same values, or pydantic's ValidationError for what the model refuses."""
    fast = _DECODERS.get(model)
    if fast is None:
        return model.model_validate_json

    def decode(data: bytes) -> M:
        try:
            return fast.decode(data)
        except (msgspec.MsgspecError, RecursionError):  # (msgspec's nesting limit)
            return model.model_validate_json(data)

    return decode

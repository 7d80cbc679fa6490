"""A push's working objects are dropped after its answer (sync.server.leftovers): all of
them, or HQ's memory would grow with every push it serves."""

from __future__ import annotations

import weakref

from sync.server.leftovers import PIECE, release


class Row:
    """Stands for a loaded or written row (any object a push keeps per change)."""


def test_release_frees_every_leftover_however_nested():
    rows = [Row() for _ in range(5 * PIECE + 3)]
    watched = [weakref.ref(row) for row in rows[::37]]
    leftovers = [
        rows,  # a list a change (the decoded changes, their outcomes)
        {("employee", i): row for i, row in enumerate(rows)},  # a dict a change
        {"employee": {str(i): row for i, row in enumerate(rows)}, "branch": {}},  # a table's
        "one object",
    ]
    del rows
    assert all(ref() is not None for ref in watched)

    release(leftovers)

    assert leftovers == []
    assert [ref() for ref in watched] == [None] * len(watched)

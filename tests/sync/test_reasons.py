"""HQ's rejection reasons are written from one catalogue and read back into it by the desk."""

from __future__ import annotations

import string

import pytest

from sync import reasons

SAMPLE = {"field": "base_salary", "column": "department_id", "columns": "name, phone",
          "table": "employee", "target": "department", "value": "it's 'odd'", "length": 64,
          "detail": "CHECK constraint failed: x > 0"}


@pytest.mark.parametrize("template", reasons.TEMPLATES)
def test_every_reason_hq_writes_is_read_back_with_its_values(template):
    names = {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}
    values = {name: SAMPLE[name] for name in names}
    assert reasons.parse(template.format(**values)) == \
        (template, {name: str(value) for name, value in values.items()})


def test_text_that_is_no_reason_of_hq_is_not_read_as_one():
    assert reasons.parse("only HQ sets status") is None
    assert reasons.parse("field 'x' cannot be empty, says the proxy") is None


def test_a_quoted_value_python_would_not_write_is_shown_as_it_came():
    assert reasons.parse(r"field '\x' cannot be empty") is None  # a broken escape

"""The reference schema validator and the fast one agree on every pattern, and with ECMA-262.

JSON Schema patterns are ECMA-262 regexes: ``$`` matches only at the very
end. Python's ``$`` also matches before a final newline, so that
python-jsonschema once accepted ``"ds-1\\n"`` and ``"2012-03-20\\n"`` where
jsonschema-rs and ajv refuse them. Generated strings, trailing newlines
among them, get the same verdict, and the same problems, from both.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import jsonschema
import jsonschema_rs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from benchmarkkit import validate_data
from benchmarkkit._dates import DATE_PATTERN, PartialDate
from benchmarkkit._schema import SCHEMA_NAMES, _reference_validator, python_regex, schema


def _patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("pattern"), str):
            yield node["pattern"]
        for value in node.values():
            yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


PATTERNS = sorted({pattern for name in SCHEMA_NAMES for pattern in _patterns(schema(name))})


def test_every_schema_pattern_is_found() -> None:
    assert DATE_PATTERN in PATTERNS
    assert len(PATTERNS) >= 6


def _texts(pattern: str) -> st.SearchStrategy[str]:
    matching = st.from_regex(python_regex(pattern), fullmatch=True)
    return st.one_of(
        matching,
        matching.map(lambda text: text + "\n"),
        matching.map(lambda text: "\n" + text),
        matching.map(lambda text: text + "\r\n"),
        st.text(max_size=12),
        st.text(alphabet="0123456789-\n .", max_size=12),
    )


def _verdicts(pattern: str, text: str) -> tuple[bool, bool, bool]:
    subschema = {"type": "string", "pattern": pattern}
    fast = jsonschema_rs.validator_for(subschema).is_valid(text)
    reference_class = type(_reference_validator("definitions"))
    reference = reference_class(subschema).is_valid(text)
    # ECMA-262 without flags: "^" and "$" only at the ends of the whole string.
    ecma = python_regex(pattern).search(text) is not None
    return fast, reference, ecma


@pytest.mark.parametrize("pattern", PATTERNS)
@given(data=st.data())
def test_both_backends_give_every_pattern_the_same_verdict(
    pattern: str, data: st.DataObject
) -> None:
    text = data.draw(_texts(pattern))
    fast, reference, ecma = _verdicts(pattern, text)
    assert fast == reference == ecma, (pattern, text)
    if text.endswith("\n"):
        assert not reference


def test_plain_python_regexes_would_have_accepted_a_trailing_newline() -> None:
    # What the reference backend did before: the reason for python_regex.
    [identifier] = [p for p in PATTERNS if p.startswith("^[A-Za-z0-9][A-Za-z0-9._:-]*")]
    assert re.search(identifier, "ds-1\n") is not None
    assert _verdicts(identifier, "ds-1\n") == (False, False, False)
    assert jsonschema.Draft202012Validator({"pattern": identifier}).is_valid("ds-1\n")


def _dataset(identifier: str, date: str) -> dict[str, Any]:
    return {
        "schema_version": "1.0",
        "id": identifier,
        "title": "T",
        "actors": [{"id": "a", "name": "A", "kind": "ngo"}],
        "sources": [{"id": "s", "title": "S", "kind": "report", "publishers": ["a"], "date": date}],
    }


def _codes(document: dict[str, Any], backend: str) -> list[tuple[str, str, str]]:
    report = validate_data(document, backend=backend, checks=(), plugins=False)  # type: ignore[arg-type]
    return [(p.code, p.pointer, p.message) for p in report.problems]


@given(
    identifier=_texts(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$"),
    date=st.one_of(_texts(DATE_PATTERN), st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\n?\Z")),
)
@example(identifier="ds-1\n", date="2012-03-20\n")
@example(identifier="ds-1", date="2013-02-29")
def test_both_backends_report_the_same_problems_in_the_same_words(
    identifier: str, date: str
) -> None:
    document = _dataset(identifier, date)
    assert _codes(document, "fast") == _codes(document, "reference")


@given(st.from_regex(r"\A[0-9]{4}-[0-9]{2}(-[0-9]{2})?\n?\Z"))
@example("2012-03-20\n")
def test_the_date_parser_and_the_schema_agree(text: str) -> None:
    accepted = python_regex(DATE_PATTERN).search(text) is not None
    try:
        PartialDate.parse(text)
    except ValueError:
        parsed = False
    else:
        parsed = True
    assert parsed == accepted

"""The fast paths of validation give what the plain ways give, on every input.

Each optimisation of the pipeline (docs/performance.md) replaced a plain way
of doing something by a faster one; here the plain way is the oracle:
orjson for parsing, ``str.translate`` and ``re.sub`` for quote normalisation,
the word index for quote lookup, cattrs' own hooks for structuring (and for
the records msgspec builds), and a record-by-record loop for references.
"""

from __future__ import annotations

import gc
import json
import re
import sys
import types
import unicodedata
from pathlib import Path
from typing import Any

import cattrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import benchmarkkit
from benchmarkkit import _fast_records, _files, _json_file, _quote_text, _quotes
from benchmarkkit._checks import _Known, _unknown, check_references
from benchmarkkit._context import CheckContext, Origin
from benchmarkkit._converter import converter
from benchmarkkit._dates import PartialDate
from benchmarkkit._index import RecordIndex
from benchmarkkit._model import COLLECTIONS, Dataset
from benchmarkkit._references import plan
from benchmarkkit._vocabulary import EvidenceDirection, Reliability
from benchmarkkit._wording import SINGULAR, short
from tests import strategies
from tests.conftest import EXAMPLE, FIXTURES
from tests.test_fast_records import built_both_ways, exactly, json_of

# -- parsing: the standard library where it reads as orjson does, orjson elsewhere ------------


def _parse(raw: bytes) -> tuple[str, Any]:
    """What the file reader makes of ``raw``: ("data", value) or ("error", details)."""
    file = _files.DataFile(
        path=Path("x.json"), display="x.json", format="json", role="dataset", raw=raw
    )
    try:
        return "data", _json_file._parse_json(file)[0]
    except json.JSONDecodeError as error:
        return "error", (type(error), error.msg, error.lineno, error.colno)


def _orjson(raw: bytes) -> tuple[str, Any]:
    try:
        return "data", orjson.loads(raw.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as error:
        return "error", (type(error), error.msg, error.lineno, error.colno)


def _exactly(parsed: tuple[str, Any]) -> tuple[str, Any]:
    """Values with their types and key order (1, 1.0 and -0.0 differ), however deep."""
    kind, value = parsed
    if kind != "data":
        return parsed
    tokens: list[Any] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            tokens.append(("dict", list(item)))
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            tokens.append(("list", len(item)))
            stack.extend(reversed(item))
        else:
            tokens.append((type(item), repr(item)))
    return kind, tokens


EDGE_CASES = [
    b'{"a": 1, "b": 2, "a": 3}',
    b"[NaN]",
    b"[Infinity, -Infinity]",
    b"[1e400]",
    b"[-1e400]",
    b"[1.7976931348623157e309]",
    b"[1e-400, 4.9e-324, -0.0, -0, 0.1, 1E2]",
    b"[9223372036854775807, -9223372036854775808, 18446744073709551615]",
    b"[18446744073709551616, -9223372036854775809, 123456789012345678901234567890]",
    b"[" + b"9" * 5000 + b"]",
    b'["\\ud800"]',
    b'["\\udc00 and \\ud83d"]',
    b'["\\ud83d\\ude00", "\\u00e9", "\\\\ud800 is text"]',
    b'["a\tb"]',
    b"[1,]",
    b"[01]",
    b"[.5]",
    b"",
    b"   ",
    b"[1] x",
    b"\xef\xbb\xbf{}",
    b'{"a": "\xff"}',
    b'{"a": "\xed\xa0\x80"}',
    b'{"\xc3\xa9": "caf\xc3\xa9", "emoji": "\xf0\x9f\x98\x80"}',
    b"[" * 990 + b"]" * 990,
    b"[" * 1024 + b"]" * 1024,
    b"[" * 1025 + b"]" * 1025,
    b"[" * 3000 + b"]" * 3000,
    b'{"a": [1, 2, {"b": null, "c": true, "d": false}]}',
]


@pytest.mark.parametrize("raw", EDGE_CASES, ids=lambda raw: repr(raw[:30]))
def test_a_json_file_reads_as_orjson_reads_it(raw: bytes) -> None:
    assert _exactly(_parse(raw)) == _exactly(_orjson(raw))


json_documents = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@given(json_documents, st.booleans(), st.booleans())
def test_any_json_document_reads_as_orjson_reads_it(
    document: Any, ascii_only: bool, indent: bool
) -> None:
    raw = json.dumps(document, ensure_ascii=ascii_only, indent=2 if indent else None).encode(
        "utf-8", "surrogatepass"
    )
    assert _exactly(_parse(raw)) == _exactly(_orjson(raw))


NUMBERS = r"-?(0|[1-9][0-9]{0,25})(\.[0-9]{1,25})?([eE][-+]?[0-9]{1,3})?"


@given(st.from_regex(NUMBERS, fullmatch=True))
def test_any_number_reads_as_orjson_reads_it(number: str) -> None:
    raw = f"[{number}]".encode()
    assert _exactly(_parse(raw)) == _exactly(_orjson(raw))


def test_the_text_of_a_parsed_file_is_kept_instead_of_its_bytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_json_file, "_STDLIB_NESTS_LESS", True)  # as on Python 3.10 and 3.11
    raw = '\ufeff{"title": "caf\u00e9"}'.encode()
    file = _files.DataFile(
        path=Path("x.json"), display="x.json", format="json", role="dataset", raw=raw
    )
    assert _json_file._parse_json(file) == ({"title": "caf\u00e9"}, False)
    assert (file.raw, file.text) == (b"", '{"title": "caf\u00e9"}')


def test_with_a_raised_recursion_limit_orjson_reads_every_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "getrecursionlimit", lambda: 10_000)
    raw = b"[" * 2000 + b"]" * 2000
    assert _exactly(_parse(raw)) == _exactly(_orjson(raw))


# -- quotes: faster normalising and reading, scanning before indexing ---------------------------

TYPOGRAPHIC = "".join(chr(code) for code in _quote_text.CHARACTERS)
quote_texts = st.text(
    alphabet=st.sampled_from(
        [*"ab AB1_-.,'\"\n\t\r", "\u00a0", "\u2028", "\u0301", "\ufb01", "\u2026", *TYPOGRAPHIC]
    ),
    max_size=40,
)
# The line-end hyphen as written before it was made to start with the hyphen.
LINE_END_HYPHEN = re.compile(r"(?<=[^\W\d_])-[^\S\r\n]*(?:\r\n?|\n)[^\S\r\n]*(?=[^\W\d_])")


def reference_read(characters: str, kind: str) -> str:
    if kind == "joined":
        characters = LINE_END_HYPHEN.sub("", characters)
    elif kind == "hyphenated":
        characters = LINE_END_HYPHEN.sub("-", characters)
    return re.sub(r"\s+", " ", characters)


@given(quote_texts)
def test_characters_are_normalised_as_translate_and_nfkc_do(text: str) -> None:
    table = _quote_text.CHARACTERS
    expected = unicodedata.normalize("NFKC", text.translate(table)).translate(table)
    assert _quote_text.normalise_characters(text) == expected


@given(quote_texts, st.sampled_from(_quote_text.READINGS))
def test_each_reading_is_what_a_regular_expression_makes_of_it(text: str, kind: str) -> None:
    characters = _quote_text.normalise_characters(text)
    expected = reference_read(characters, kind)
    assert _quote_text.read(characters, kind) == expected
    printed = _quote_text.read(characters, _quote_text.AS_PRINTED)
    assert _quote_text.reread(characters, printed, kind) == expected
    parts = [p.strip() for p in _quotes._ELLIPSIS.split(expected)]
    assert _quotes._parts(characters, kind) == [part for part in parts if part]


@settings(max_examples=200)
@given(quote_texts, st.lists(quote_texts, min_size=1, max_size=5), st.data())
def test_scanning_finds_what_the_word_index_finds(
    text: str, quotes: list[str], data: st.DataObject
) -> None:
    text = text * data.draw(st.integers(1, 3))
    spans = data.draw(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=5))
    quotes += [text[start:end] for start, end in spans]

    def answers(limit: int) -> list[Any]:
        saved = _quote_text.SCAN_LIMIT
        _quote_text.SCAN_LIMIT = limit
        try:
            index = _quotes.QuoteIndex(text)
            return [(index.find(quote), index.contains(quote)) for quote in quotes]
        finally:
            _quote_text.SCAN_LIMIT = saved

    assert answers(10**9) == answers(-1)  # always scanning, always the index


# -- structuring: shortcuts for plain JSON values, the same results and errors ----------------


def _outcome(function: Any, *args: Any) -> Any:
    try:
        return "value", function(*args)
    except Exception as error:  # the error is the outcome compared
        return "error", type(error), str(error)


class _Text(str):
    __slots__ = ()


ODD_VALUES = [
    None,
    "text",
    _Text("subclass"),
    1,
    1.5,
    True,
    [],
    ["a", "b"],
    ["a", 1],
    ["a", None],
    [_Text("a")],
    ("a", "b"),
    "ab",
    {"a": 1},
    [["a"]],
]


@pytest.mark.parametrize("value", ODD_VALUES, ids=repr)
@pytest.mark.parametrize("hint", [str | None, tuple[str, ...]], ids=str)
def test_text_hooks_give_what_cattrs_gives(value: Any, hint: Any) -> None:
    plain = cattrs.Converter(detailed_validation=True)
    ours = _outcome(converter.structure, value, hint)
    theirs = _outcome(plain.structure, value, hint)
    assert ours == theirs
    if ours[0] == "value":
        assert [type(item) for item in ours[1] or ()] == [type(item) for item in theirs[1] or ()]


@pytest.mark.parametrize("value", ["progress", "mixed", "Progress", "", 1, None, [], ["progress"]])
@pytest.mark.parametrize("vocabulary", [EvidenceDirection, Reliability])
def test_vocabulary_hook_gives_what_the_enum_gives(value: Any, vocabulary: type) -> None:
    ours = _outcome(converter.structure, value, vocabulary)
    assert ours == _outcome(vocabulary, value)
    assert ours[0] == "error" or ours[1] is _outcome(vocabulary, value)[1]


@pytest.mark.parametrize(
    "text", ["2012", "2012-03", "2012-03-20", "2012-02-29", "2011-02-29", "2012-13", "x", ""]
)
def test_dates_read_once_are_the_dates_parse_gives(text: str) -> None:
    first = _outcome(converter.structure, text, PartialDate)
    assert first == _outcome(PartialDate.parse, text)
    assert _outcome(converter.structure, text, PartialDate) == first


# Dates one year apart at most, so that a year, its months and their last days meet often.
_near_dates = strategies.partial_dates(min_year=2011, max_year=2012)


@given(_near_dates, _near_dates)
def test_certainly_after_compares_the_first_and_last_days_as_dates_do(
    later: PartialDate, earlier: PartialDate
) -> None:
    assert (later.first_day > earlier.last_day) == later.is_certainly_after(earlier)


@pytest.mark.parametrize(
    ("later", "earlier", "expected"),
    [
        ("2012-03-01", "2012-02", True),  # the day after February's last day (a leap year)
        ("2012-02-29", "2012-02", False),  # February's last day is in February
        ("2013", "2012-12-31", True),
        ("2012-12-31", "2012", False),
        ("2012-03", "2012-03-31", False),
    ],
)
def test_certainly_after_at_the_edges_of_months_and_years(
    later: str, earlier: str, expected: bool
) -> None:
    assert expected == PartialDate.parse(later).is_certainly_after(PartialDate.parse(earlier))


# -- typed records: msgspec straight into the attrs classes, cattrs the oracle ------------------
# (tests/test_fast_records.py checks each record class, drawn from the model and from the schema)


@given(strategies.datasets)
def test_msgspec_builds_every_dataset_as_cattrs_builds_it(dataset: Dataset) -> None:
    """Every optional field, partial dates of each precision, the fields format 1.1 added."""
    document = json_of(dataset)
    fast = _fast_records.structure(document, Dataset)
    assert exactly(fast) == exactly(converter.structure(document, Dataset))
    assert fast == dataset


@given(strategies.valid_datasets())
def test_a_consistent_dataset_is_built_and_checked_alike_by_msgspec_and_cattrs(
    dataset: Dataset,
) -> None:
    fast, reference = built_both_ways(json_of(dataset))
    assert fast == reference
    assert fast[1] == []


# -- references: gathered per field, reported per record as before ----------------------------


def reference_check_fields(dataset: Dataset, context: CheckContext) -> list[tuple[str, str]]:
    """The record-by-record loop the set-based check replaced: (pointer, message) pairs."""
    known = _Known(RecordIndex(dataset), context)  # the same ids and did-you-mean candidates
    found = []
    for collection, cls in COLLECTIONS.items():
        for record in getattr(dataset, collection):
            label = f"{SINGULAR[collection]} {short(record.id)}"
            for reference in plan(cls).references:
                value = getattr(record, reference.field)
                refs: tuple[tuple[str, tuple[int, ...]], ...] = (
                    ((value, ()),) if isinstance(value, str) else ()
                )
                if isinstance(value, tuple):
                    refs = tuple((ref, (index,)) for index, ref in enumerate(value))
                for ref, index in refs:
                    if ref not in known[reference.target]:
                        problem = _unknown(
                            context,
                            record,
                            label,
                            reference.target,
                            ref,
                            reference.field,
                            *index,
                            known=known,
                        )
                        found.append((problem.pointer, problem.message))
    return sorted(found)


@given(strategies.datasets)
def test_references_are_reported_as_record_by_record(dataset: Dataset) -> None:
    context = CheckContext(root=None)
    for collection in COLLECTIONS:
        for index, record in enumerate(getattr(dataset, collection)):
            context.record_origin(record, Origin("d.json", f"/{collection}/{index}"))
    fields = sorted(
        (problem.pointer, problem.message)
        for problem in check_references(dataset, context)
        if problem.code == "unknown-reference"
        and problem.pointer.split("/")[3]
        not in ("baseline", "target", "readings", "condition", "responses")
    )
    assert fields == reference_check_fields(dataset, context)


# -- the pipeline lets go of what it built -----------------------------------------------------


def test_a_broken_dataset_leaves_no_cycle_holding_the_parsed_files() -> None:
    benchmarkkit.validate(FIXTURES / "invalid" / "dates.yaml")
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        report = benchmarkkit.validate(FIXTURES / "invalid" / "dates.yaml")
        gc.collect()
        frames = [item for item in gc.garbage if isinstance(item, types.FrameType)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert "invalid-date" in report.codes()
    assert [frame.f_code.co_name for frame in frames] == []


def test_the_library_never_touches_the_garbage_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    """Process-wide state is the application's: validate, score and report leave gc alone."""
    from benchmarkkit.reports import build_report, report_to_html
    from benchmarkkit.scoring import compare, score

    # Recorded, not raised: a rule's failure would be caught and reported as a problem.
    calls: list[str] = []
    for name in ("disable", "enable", "freeze", "unfreeze", "set_threshold"):
        monkeypatch.setattr(gc, name, lambda *args, name=name: calls.append(name))
    report = benchmarkkit.validate(EXAMPLE)
    assert report.dataset is not None
    card = score(report.dataset, as_of="2012-03-20")
    comparison = compare(report.dataset, "2012-01-01", "2012-03-20")
    report_to_html(build_report(report.dataset, card, comparison=comparison))
    benchmarkkit.validate_data(benchmarkkit.unstructure(report.dataset), root=EXAMPLE)
    assert calls == []
    assert card.problems == ()


def test_the_command_pauses_the_collector_and_resumes_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The command line owns its process: it pauses the collector while a command runs."""
    from benchmarkkit.cli import main

    seen: list[bool] = []
    real = benchmarkkit.validate

    def validate(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("benchmarkkit._cli.validate.validate", validate)
    assert main(["validate", str(FIXTURES / "valid" / "minimal.yaml")]) == 0
    capsys.readouterr()
    assert seen == [False]
    assert gc.isenabled()


def test_objects_an_application_froze_stay_frozen() -> None:
    gc.freeze()
    try:
        benchmarkkit.validate(FIXTURES / "valid" / "minimal.yaml")
        # Frozen objects validation freed leave the count; unfreezing would empty it.
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()

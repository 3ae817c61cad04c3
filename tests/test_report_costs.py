"""What a report costs to render: templates compiled once per process, sources numbered once.

No timings here (the machine is shared): what is pinned is what makes the
cost, and that the faster ways give the same results as the plain ones.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attrs
import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from benchmarkkit import Dataset, load_dataset
from benchmarkkit.reports import Report, build_report, report_to_html, report_to_markdown
from benchmarkkit.reports._html import _escaped
from benchmarkkit.reports._markdown import escape_markdown
from benchmarkkit.reports._markdown_report import _finalize
from benchmarkkit.scoring import score
from tests.conftest import EXAMPLE
from tests.strategies import valid_datasets
from tests.test_report_html import AS_OF


@pytest.fixture(scope="module")
def example() -> Report:
    dataset = load_dataset(EXAMPLE)
    return build_report(dataset, score(dataset, as_of=AS_OF))


def _numbers_by_scan(report: Report) -> dict[str, int | None]:
    """Each source's number as a scan of every source finds it: the first with the id."""
    found: dict[str, int | None] = {"no-such-source": None}
    for number, source in enumerate(report.sources, start=1):
        found.setdefault(source.id, number)
    return found


def test_rendering_again_compiles_no_template(
    example: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    report_to_markdown(example)
    report_to_html(example)
    compiled: list[str | None] = []
    compile_template = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: Any, *args: Any, **kwargs: Any) -> Any:
        compiled.append(args[0] if args else kwargs.get("name"))
        return compile_template(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    for _ in range(2):
        report_to_markdown(example)
        report_to_markdown(example, details=False)
        report_to_html(example)
    assert compiled == []


def test_threads_rendering_at_once_write_what_one_thread_writes(example: Report) -> None:
    expected = (report_to_markdown(example), report_to_html(example))
    with ThreadPoolExecutor(max_workers=4) as pool:
        written = list(
            pool.map(lambda _: (report_to_markdown(example), report_to_html(example)), range(8))
        )
    assert [expected] * 8 == written


def test_example_sources_are_numbered_as_a_scan_of_every_source_numbers_them(
    example: Report,
) -> None:
    expected = _numbers_by_scan(example)
    assert expected == {source_id: example.source_number(source_id) for source_id in expected}


def test_a_source_listed_twice_keeps_its_first_number(example: Report) -> None:
    first = example.sources[0]
    twice = attrs.evolve(example, sources=(*example.sources, first))
    assert twice.source_number(first.id) == 1
    assert _numbers_by_scan(twice) == {
        source_id: twice.source_number(source_id) for source_id in _numbers_by_scan(twice)
    }


@given(valid_datasets())
def test_generated_sources_are_numbered_as_a_scan_of_every_source_numbers_them(
    dataset: Dataset,
) -> None:
    report = build_report(dataset, score(dataset))
    ids = [source.id for source in dataset.sources]
    expected = _numbers_by_scan(report)
    expected.update((source_id, None) for source_id in ids if source_id not in expected)
    assert expected == {source_id: report.source_number(source_id) for source_id in expected}


#: Text with what HTML and Markdown escape, controls, line breaks and surrounding space.
_TEXT = st.text(st.sampled_from([*"<>&\"'`*_[]|#@!~{}\\-+=1. \n\r\t", "\x1b", "\u202e", "é"]))


@given(_TEXT | st.text())
def test_the_html_pieces_escape_a_str_as_markupsafe_does(text: str) -> None:
    assert str(escape(text)) == _escaped(text)


@given(st.lists(_TEXT | st.text(), max_size=5))
def test_a_short_text_escaped_again_for_markdown_is_escaped_as_the_first_time(
    texts: list[str],
) -> None:
    """Short texts are escaped once and kept; long ones each time: the same either way."""
    for text in [*texts, *texts]:
        assert escape_markdown(text.strip()) == _finalize(text)


def _escape_markdown_plainly(text: str) -> str:
    """escape_markdown as it was before it skipped the substitutions that cannot apply."""
    import re

    from benchmarkkit.reports._controls import visible_controls
    from benchmarkkit.reports._markdown import (
        _GITHUB_REFERENCE,
        _LINE_BREAK,
        _SPECIAL,
        _ZERO_WIDTH_SPACE,
    )

    text = visible_controls(_LINE_BREAK.sub(" ", text), keep="")
    text = _SPECIAL.sub(r"\\\1", text)
    text = re.sub(r"^([-+])(?=\s|-|$)|^=", lambda m: "\\" + m.group(0), text)
    text = re.sub(r"^(\d+)([.)])(?=\s|$)", r"\1\\\2", text)
    return _GITHUB_REFERENCE.sub(r"\1" + _ZERO_WIDTH_SPACE, text)


_MARKDOWN_PIECES = st.sampled_from(
    [
        "-",
        "+",
        "=",
        "1.",
        "12)",
        "٣.",
        "²",
        "@",
        "#",
        "\\#",
        "a",
        " ",
        "\n",
        "\r\n",
        "\u2028",
        "\u2029",
        "\x1b",
        "*",
        "|",
        "`",
        "_",
        "[",
        "]",
        "&",
        "\t",
        "x@y",
        "#12",
    ]
)


@given(st.lists(_MARKDOWN_PIECES | st.text(max_size=4), max_size=8).map("".join))
def test_markdown_escaping_skips_only_what_cannot_apply(text: str) -> None:
    assert escape_markdown(text) == _escape_markdown_plainly(text)

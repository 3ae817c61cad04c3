"""What an archived text is: quotes are verified against it whatever it is, and shown as such.

A quote from a verbatim copy is the source's own words, in quotation marks; a quote
from a translation, notes, a paraphrase or text extracted from a PDF is marked with
what it was taken from, in the HTML and the Markdown report alike.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit import dump_dataset, load_dataset, validate
from benchmarkkit._model import Source
from benchmarkkit._since import added_fields
from benchmarkkit._vocabulary import ArchiveKind
from benchmarkkit.reports import build_report, report_to_html, report_to_markdown
from benchmarkkit.reports._markdown_report import quoted
from benchmarkkit.reports._report import AreaView, CommitmentView, EvidenceView, GateView
from benchmarkkit.scoring import score

AS_OF = dt.date(2012, 12, 31)
FROZEN_1_0 = Path(__file__).parent / "data" / "format-1.0" / "kazakhstan-2012"

ORIGINAL = "Le gouvernement doit libérer les prisonniers."
TRANSLATION = "The government must release the prisoners."
NOTES = "Minister said releases would follow by June."
VERBATIM = "No prisoner has been released."

DATASET = """\
schema_version: "1.1"
id: d
title: Archive kinds
actors:
  - {id: state, name: The State, kind: state}
  - {id: ngo, name: The NGO, kind: ngo}
sources:
  - {id: s-verbatim, title: A report, kind: report, archive: verbatim.txt}
  - {id: s-translation, title: An appeal in French, kind: appeal, archive: translation.txt,
     archive_kind: translation}
  - {id: s-notes, title: A meeting, kind: statement, archive: notes.txt, archive_kind: notes}
  - {id: s-cited, title: A letter quoted in the appeal, kind: statement, cited_in: s-translation}
commitments:
  - {id: cm, title: Releases, actor: state, date: "2012", source: s-notes, quote: %(notes)r}
areas:
  - {id: a, title: Prisoners, source: s-translation, quote: %(translation)r}
benchmarks:
  - {id: b, title: Release, statement: Prisoners are released, area: a, type: outcome,
     commitments: [cm], recommendations: [r]}
evidence:
  - {id: e1, source: s-verbatim, date: "2012-05", benchmarks: [b], direction: no-change,
     summary: None released, quote: %(verbatim)r}
  - {id: e2, source: s-cited, date: "2012-04", benchmarks: [b], direction: mixed,
     summary: The letter, quote: %(translation)r}
gates:
  - id: g
    title: The gate
    source: s-translation
    quote: %(translation)r
    condition: {kind: benchmark, benchmark: b, minimum_score: 0.5}
recommendations:
  - id: r
    text: Release the prisoners.
    by: [ngo]
    to: state
    date: "2012-03"
    mechanism: ngo
    source: s-translation
    quote: %(translation)r
    responses:
      - {by: state, position: supported, date: "2012-04", source: s-notes, quote: %(notes)r}
"""


def _write(folder: Path, **quotes: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "verbatim.txt").write_text(VERBATIM + "\n", encoding="utf-8")
    (folder / "translation.txt").write_text(TRANSLATION + "\n", encoding="utf-8")
    (folder / "notes.txt").write_text(NOTES + "\n", encoding="utf-8")
    words = {"notes": NOTES, "translation": TRANSLATION, "verbatim": VERBATIM, **quotes}
    path = folder / "dataset.yaml"
    path.write_text(DATASET % words, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def dataset_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write(tmp_path_factory.mktemp("kinds"))


@pytest.fixture(scope="module")
def rendered(dataset_path: Path) -> dict[str, str]:
    dataset = load_dataset(dataset_path)
    report = build_report(dataset, score(dataset, as_of=AS_OF))
    return {"html": report_to_html(report), "markdown": report_to_markdown(report)}


# -- verification ------------------------------------------------------------------------------


def test_quotes_from_every_kind_of_archive_are_verified(dataset_path: Path) -> None:
    assert validate(dataset_path).problems == ()


def test_a_quote_from_a_translation_is_checked_against_the_translation(tmp_path: Path) -> None:
    # The original's words are not in the archived translation: the quote is not verified.
    path = _write(tmp_path, translation=ORIGINAL)
    problems = sorted((p.code, p.pointer) for p in validate(path).problems)
    assert problems == [
        ("quote-not-found", "/areas/0/quote"),
        ("quote-not-found", "/evidence/1/quote"),
        ("quote-not-found", "/gates/0/quote"),
        ("quote-not-found", "/recommendations/0/quote"),
    ]


def test_an_unknown_archive_kind_is_a_schema_problem_that_lists_the_kinds(tmp_path: Path) -> None:
    path = _write(tmp_path)
    text = path.read_text(encoding="utf-8").replace("archive_kind: notes", "archive_kind: memo")
    path.write_text(text, encoding="utf-8")
    [problem] = validate(path).problems
    assert (problem.pointer, problem.line) == ("/sources/2/archive_kind", 11)
    assert "'memo'" in problem.message
    for kind in ArchiveKind:
        assert repr(kind.value) in problem.message


# -- rendering ---------------------------------------------------------------------------------


def test_a_verbatim_quote_is_in_quotation_marks_in_html(rendered: dict[str, str]) -> None:
    assert f"<blockquote>{VERBATIM}</blockquote>" in rendered["html"]


def test_a_quote_from_a_translation_is_marked_in_html_not_quoted(rendered: dict[str, str]) -> None:
    page = rendered["html"]
    marked = (
        f'<p class="quote-from"><span class="quote-kind">From a translation:</span> '
        f"{TRANSLATION}</p>"
    )
    # The gate's quote, the evidence quoting a source known through the translation, and the
    # recommendation's quote (under its benchmark and in its area's section).
    assert page.count(marked) >= 3
    assert f"<blockquote>{TRANSLATION}</blockquote>" not in page


def test_a_quote_from_notes_is_marked_in_html(rendered: dict[str, str]) -> None:
    page = rendered["html"]
    assert f'<p class="quote-from"><span class="quote-kind">From notes:</span> {NOTES}</p>' in page
    assert f"<blockquote>{NOTES}</blockquote>" not in page


def test_quotes_of_a_recommendation_and_its_response_are_marked(
    rendered: dict[str, str],
) -> None:
    page, text = rendered["html"], rendered["markdown"]
    assert f"From a translation:</span> {TRANSLATION}</p>" in page
    assert f"From notes:</span> {NOTES}</p>" in page
    assert f"  *From a translation:* {TRANSLATION}\n" in text
    assert f"    *From notes:* {NOTES}\n" in text


def test_the_html_bibliography_says_what_each_archive_is(rendered: dict[str, str]) -> None:
    page = html.unescape(rendered["html"])
    assert "archived copy (a translation) in the dataset: <code>translation.txt</code>" in page
    assert "archived copy (notes) in the dataset: <code>notes.txt</code>" in page
    assert "archived copy in the dataset: <code>verbatim.txt</code>" in page


def test_a_verbatim_quote_is_a_blockquote_in_markdown(rendered: dict[str, str]) -> None:
    assert f"  > {VERBATIM}\n" in rendered["markdown"]


def test_quotes_from_a_translation_and_notes_are_marked_in_markdown(
    rendered: dict[str, str],
) -> None:
    text = rendered["markdown"]
    assert f"\n*From a translation:* {TRANSLATION}\n" in text  # the gate
    assert f"\n  *From a translation:* {TRANSLATION}\n" in text  # the evidence
    assert f"\n  *From notes:* {NOTES}\n" in text  # the commitment
    assert f"> {TRANSLATION}" not in text
    assert f"> {NOTES}" not in text


def test_the_markdown_bibliography_says_what_each_archive_is(rendered: dict[str, str]) -> None:
    text = rendered["markdown"]
    assert "Archived copy (a translation): `translation.txt`." in text
    assert "Archived copy (notes): `notes.txt`." in text
    assert "Archived copy: `verbatim.txt`." in text


def test_the_report_model_says_what_each_quote_is_taken_from(dataset_path: Path) -> None:
    dataset = load_dataset(dataset_path)
    report = build_report(dataset, score(dataset, as_of=AS_OF))
    [area] = report.areas
    [gate] = report.gates
    [benchmark] = area.benchmarks
    assert area.quote_from == gate.quote_from == "From a translation"
    assert [(e.id, e.quote_from) for e in benchmark.evidence] == [
        ("e1", None),
        ("e2", "From a translation"),
    ]
    assert [c.quote_from for c in benchmark.commitments] == ["From notes"]


_LABELS = {
    ArchiveKind.VERBATIM: None,
    ArchiveKind.EXTRACTED_TEXT: "From text extracted from a PDF",
    ArchiveKind.TRANSLATION: "From a translation",
    ArchiveKind.NOTES: "From notes",
    ArchiveKind.PARAPHRASE: "From a paraphrase",
}


@pytest.mark.parametrize("kind", list(ArchiveKind))
def test_every_kind_but_verbatim_is_marked_with_its_words(
    tmp_path: Path, kind: ArchiveKind
) -> None:
    path = _write(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "archive: verbatim.txt}", f"archive: verbatim.txt, archive_kind: {kind.value}}}"
    )
    path.write_text(text, encoding="utf-8")
    dataset = load_dataset(path)
    report = build_report(dataset, score(dataset, as_of=AS_OF))
    evidence = {e.id: e for e in report.areas[0].benchmarks[0].evidence}
    assert evidence["e1"].quote_from == _LABELS[kind]
    markdown = report_to_markdown(report)
    expected = (
        f"  > {VERBATIM}" if kind is ArchiveKind.VERBATIM else f"  *{_LABELS[kind]}:* {VERBATIM}"
    )
    assert expected in markdown


@given(text=st.text(min_size=1).filter(str.strip), kind=st.sampled_from(list(ArchiveKind)))
def test_only_a_verbatim_quote_is_written_as_a_blockquote(text: str, kind: ArchiveKind) -> None:
    written = quoted(text, _LABELS[kind])
    assert written.startswith("> ") == (kind is ArchiveKind.VERBATIM)
    assert "\n" not in written


# -- format 1.0 --------------------------------------------------------------------------------


def test_archive_kind_is_a_field_of_format_1_1_with_verbatim_its_default() -> None:
    assert added_fields(Source) == {"archive_kind": ArchiveKind.VERBATIM}
    assert Source(id="s", title="S", kind="report", archive_kind="notes").archive_kind is (
        ArchiveKind.NOTES
    )


def test_a_verbatim_archive_is_not_written_out(dataset_path: Path) -> None:
    text = dump_dataset(load_dataset(dataset_path), "yaml")
    assert text.count("archive_kind:") == 2
    assert "archive_kind: verbatim" not in text


def test_a_dataset_of_format_1_0_shows_its_quotes_as_before() -> None:
    dataset = load_dataset(FROZEN_1_0)
    report = build_report(dataset, score(dataset, as_of=dt.date(2012, 3, 20)))
    views: list[AreaView | GateView | EvidenceView | CommitmentView] = [
        *report.areas,
        *report.gates,
        *(e for area in report.areas for b in area.benchmarks for e in b.evidence),
        *(c for area in report.areas for b in area.benchmarks for c in b.commitments),
    ]
    assert [view for view in views if view.quote_from is not None] == []
    text = report_to_markdown(report)
    assert "*From " not in text
    assert "Archived copy: `sources/2012-03-20-appeal-eu-kazakhstan.txt`." in text
    assert "archived copy in the dataset: <code>sources/" in report_to_html(report)

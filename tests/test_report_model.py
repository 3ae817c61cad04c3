"""The report model: what a report shows of a scorecard and its dataset, before any template."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit import PartialDate, load_dataset
from benchmarkkit.reports import Report, build_report
from benchmarkkit.reports._chart import NARROW_CHART_SIZE, WIDE_CHART_SIZE, line_chart
from benchmarkkit.reports._links import safe_url
from benchmarkkit.reports._palette import tone
from benchmarkkit.reports._report import ChangeItem, ChangeView
from benchmarkkit.reports._timeline import history_dates
from benchmarkkit.scoring import compare, score
from tests.conftest import EXAMPLE
from tests.test_report_html import AS_OF, example_with_more_dates


@pytest.fixture(scope="module")
def example() -> Report:
    dataset = load_dataset(EXAMPLE)
    return build_report(dataset, score(dataset, as_of=AS_OF))


def test_example_report_has_six_areas_in_dataset_order_with_their_benchmarks(
    example: Report,
) -> None:
    dataset = load_dataset(EXAMPLE)
    assert [area.title for area in example.areas] == [area.title for area in dataset.areas]
    assert [b.id for b in example.benchmarks] == [b.id for b in dataset.benchmarks]
    assert (example.benchmarks_total, example.benchmarks_assessable, example.benchmarks_met) == (
        20,
        18,
        0,
    )
    zhanaozen = example.areas[1]
    assert (zhanaozen.scored, zhanaozen.total, zhanaozen.score_text) == (3, 5, "0.44")


def test_example_gate_counts_its_conditions_and_names_benchmarks_by_title(
    example: Report,
) -> None:
    [gate] = example.gates
    assert (gate.verdict, gate.verdict_label) == ("fail", "Fails")
    assert (gate.held, gate.failed, gate.undetermined) == (0, 18, 2)
    first_area = gate.condition.children[0]
    assert first_area.label == "Political participation"  # the dataset's own label
    leaf = first_area.children[0]
    assert leaf.label == "Election and party legislation consistent with international standards"
    assert leaf.target_anchor == "benchmark-bm-election-law"


def test_example_statuses_are_counted_worst_first_and_coloured_by_level(example: Report) -> None:
    counts = [(s.label, s.count) for s in example.status_counts]
    assert counts == [
        ("Not met, moving away", 8),
        ("Not met", 8),
        ("Partly met", 2),
        ("Not assessable", 2),
    ]
    [scale] = example.legend
    assert [level.label for level in scale.levels] == [
        "Not met, moving away",
        "Not met",
        "Partly met",
        "Met",
    ]
    by_status = {b.status: b.tone for b in example.benchmarks}
    assert by_status["Not met"] == tone(0.33)
    assert by_status["Not assessable"] is None
    assert {t.name for t in example.tones} >= {level.tone.name for level in scale.levels}


def test_benchmark_shows_its_commitments_standards_recommendations_evidence_and_assessment(
    example: Report,
) -> None:
    [benchmark] = [b for b in example.benchmarks if b.id == "bm-election-law"]
    assert [c.id for c in benchmark.commitments] == ["cm-madrid", "cm-further-reforms"]
    assert benchmark.commitments[0].actor == "Government of Kazakhstan"
    assert benchmark.commitments[0].quote is not None
    assert [s.id for s in benchmark.standards] == ["iccpr-25", "iccpr-22"]
    assert [r.id for r in benchmark.recommendations] == [
        "rec-appeal-political-participation",
        "rec-osce-coe-elections",
        "rec-ep-further-reforms",
        "rec-ep-must-depend",
    ]
    assert len(benchmark.evidence) == 3
    assert all(e.source is not None and e.source.id == "appeal" for e in benchmark.evidence)
    assert benchmark.assessment is not None
    assert benchmark.assessment.level == "Not met"
    assert benchmark.steps[0].startswith("The latest assessment as of 2012-03-20")
    assert benchmark.proposed_by_editors


def test_only_cited_sources_are_listed_and_numbered(example: Report) -> None:
    dataset = load_dataset(EXAMPLE)
    listed = [s.id for s in example.sources]
    assert listed == [s.id for s in dataset.sources if s.id in set(listed)]
    assert listed[0] == "appeal"
    assert example.source_number("appeal") == 1
    assert example.source_number("no-such-source") is None


def test_evidence_dated_after_the_report_is_left_out() -> None:
    dataset = load_dataset(EXAMPLE)
    report = build_report(dataset, score(dataset, as_of="2011-12-31"))
    day = dt.date(2011, 12, 31)
    for benchmark in report.benchmarks:
        for evidence in benchmark.evidence:
            assert PartialDate.parse(evidence.date).first_day <= day


def test_comparison_adds_changes_with_titles(example: Report) -> None:
    dataset = load_dataset(EXAMPLE)
    comparison = compare(dataset, "2012-01-01", AS_OF)
    report = build_report(dataset, comparison.scorecard_after, comparison=comparison)
    assert report.compared_with == dt.date(2012, 1, 1)
    assert report.overall_change is not None
    assert report.overall_change.kind == "improved"
    [first, *_] = report.changes
    assert (first.subject, first.title, first.change.before) == ("overall", "Overall score", "0.03")
    unchanged_shown = [item for item in report.changes if item.change.kind == "unchanged"]
    assert unchanged_shown == []
    # A difference too small for two decimals is written with three, so that it shows
    # (here between a provisional score and an assessed one, which are not compared).
    every = compare(dataset, "2012-01-01", AS_OF, materiality=0)
    report_of_every = build_report(dataset, every.scorecard_after, comparison=every)
    [tiny] = [item for item in report_of_every.differences if item.id == "bm-pluralistic-elections"]
    assert (tiny.change.kind, tiny.change.before, tiny.change.after) == (
        "different-kind",
        "0.333",
        "0.330",
    )
    assert "bm-pluralistic-elections" not in {item.id for item in report.changes}
    # Scores of different kinds are differences, listed apart, never changes.
    assert {item.change.kind for item in report_of_every.differences} == {"different-kind"}
    assert "different-kind" not in {item.change.kind for item in report_of_every.changes}
    assert [item.id for item in report.differences] == [
        "bm-zhanaozen-disclosure",
        "bm-zhanaozen-accountability",
        "bm-political-charges-dropped",
        "bm-sokolova",
    ]
    assert report.timeline is not None
    assert report.timeline.dates == (dt.date(2012, 1, 1), dt.date(2012, 3, 20))


def test_history_gives_the_timeline_oldest_first(tmp_path: Path) -> None:
    dataset = load_dataset(example_with_more_dates(tmp_path / "example"))
    as_of = dt.date(2012, 12, 31)
    dates = history_dates(dataset, as_of)
    assert dates == (
        dt.date(2012, 3, 20),
        dt.date(2012, 6, 30),
        dt.date(2012, 11, 30),  # an assessment as of "2012-11" counts once November is over
        as_of,
    )
    cards = [score(dataset, as_of=day) for day in reversed(dates)]
    report = build_report(dataset, cards[0], history=cards[1:])
    assert report.timeline is not None
    assert report.timeline.dates == dates
    overall, *areas = report.timeline.series
    assert overall.overall
    assert overall.label == "Overall"
    assert [s.label for s in areas] == [a.title for a in dataset.areas]
    assert [b.history for b in report.benchmarks if b.id == "bm-sokolova"] == [
        (0.67, 1.0, 1.0, 1.0)
    ]


def test_history_dates_keep_the_latest_within_the_limit() -> None:
    dataset = load_dataset(EXAMPLE)
    also = [dt.date(2012, 1, day) for day in range(1, 31)]
    dates = history_dates(dataset, dt.date(2012, 3, 20), also=also, limit=5)
    assert dates == (*also[-4:], dt.date(2012, 3, 20))
    assert history_dates(dataset, dt.date(2012, 1, 1)) == (dt.date(2012, 1, 1),)


def test_a_comparison_or_history_of_another_dataset_is_refused() -> None:
    dataset = load_dataset(EXAMPLE)
    card = score(dataset, as_of=AS_OF)
    other = attrs.evolve(score(dataset, as_of="2012-01-01"), dataset_id="other")
    with pytest.raises(ValueError, match="in the history is of dataset 'other'"):
        build_report(dataset, card, history=[other])
    comparison = compare(dataset, "2012-01-01", "2012-02-01")
    with pytest.raises(ValueError, match="must end on the scorecard's date, 2012-03-20"):
        build_report(dataset, card, comparison=comparison)


# -- links, colours, charts ------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "https://www.osce.org/odihr",
        "http://www.nhc.no",
        "HTTPS://EXAMPLE.ORG/a?b=c&d=e#f",
        "mailto:monitor@example.org",
        "https://example.org/ünicode",
    ],
)
def test_web_and_mail_addresses_are_linked(address: str) -> None:
    assert safe_url(address) == address


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x00javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "//evil.example/x",
        "/relative/path",
        "https:evil",
        "https://",
        "mailto:",
        'https://example.org/"onmouseover="alert(1)',
        "https://example.org/<script>",
        "https://[broken/",
        "",
        None,
    ],
)
def test_other_addresses_are_not_linked(address: str | None) -> None:
    assert safe_url(address) is None


@given(st.text(max_size=40))
def test_a_linked_address_is_always_plain_http_https_or_mailto(address: str) -> None:
    linked = safe_url(address)
    if linked is not None:
        assert re.match(r"(?i)(https?://[^/?#\s]|mailto:.)", linked)
        assert not re.search(r"[\x00-\x20\x7f<>\"'`\\]", linked.replace("'", ""))


@given(st.floats(min_value=-1, max_value=2, allow_nan=False))
def test_every_value_has_a_tone_with_hex_colours(value: float) -> None:
    result = tone(value)
    assert 0.0 <= result.value <= 1.0
    assert re.fullmatch(r"tone-\d{3}", result.name)
    assert re.fullmatch(r"#[0-9a-f]{6}", result.strong)
    assert re.fullmatch(r"#[0-9a-f]{6}", result.tint)
    assert result.emoji in "🟥🟧🟨🟩"


def test_tones_run_from_red_for_zero_to_teal_for_one() -> None:
    assert (tone(0).emoji, tone(0.33).emoji, tone(0.67).emoji, tone(1).emoji) == (
        "🟥",
        "🟧",
        "🟨",
        "🟩",
    )
    assert tone(0).strong == "#a51c30"
    assert tone(1).strong == "#1a7f72"


_DAYS = st.lists(
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31)),
    min_size=2,
    max_size=30,
    unique=True,
).map(sorted)


@given(_DAYS, st.sampled_from([WIDE_CHART_SIZE, NARROW_CHART_SIZE]), st.data())
def test_chart_labels_never_overlap_and_points_stay_inside(
    days: list[dt.date], size: tuple[float, float], data: st.DataObject
) -> None:
    scores = data.draw(
        st.lists(st.one_of(st.none(), st.floats(0, 1)), min_size=len(days), max_size=len(days))
    )
    chart = line_chart(days, [("Area", scores, "#000000", False)], size=size)
    assert [t.label for t in (chart.x_ticks[0], chart.x_ticks[-1])] == [
        days[0].isoformat(),
        days[-1].isoformat(),
    ]
    # A date label at 13 units is under 80 units wide; its anchor says where it lies.
    spans = [
        {"start": (t.position, t.position + 80), "end": (t.position - 80, t.position)}.get(
            t.anchor, (t.position - 40, t.position + 40)
        )
        for t in chart.x_ticks
    ]
    for (_, left_end), (right_start, _) in itertools.pairwise(spans):
        assert left_end <= right_start
    [line] = chart.lines
    assert len(line.points) == sum(1 for s in scores if s is not None)
    for point in line.points:
        assert chart.left - 0.1 <= point.x <= chart.right + 0.1
        assert chart.top - 0.1 <= point.y <= chart.bottom + 0.1


def test_a_score_that_is_not_assessable_leaves_a_gap_in_its_line() -> None:
    days = [dt.date(2012, 1, 1), dt.date(2012, 2, 1), dt.date(2012, 3, 1), dt.date(2012, 4, 1)]
    chart = line_chart(days, [("A", [0.0, 0.5, None, 1.0], "#000000", False)])
    [line] = chart.lines
    assert len(line.segments) == 1  # the last point stands alone: no line through the gap
    assert len(line.points) == 3
    with pytest.raises(ValueError, match="at least two dates"):
        line_chart(days[:1], [("A", [0.5], "#000000", False)])


@pytest.mark.parametrize(
    ("subject", "kind", "before", "after", "expected"),
    [
        ("overall", "improved", "0.03", "0.22", "The overall score improved, from 0.03 to 0.22."),
        ("area", "regressed", "0.50", "0.25", "Area \u201cT\u201d regressed, from 0.50 to 0.25."),
        (
            "benchmark",
            "new",
            "not assessable",
            "0.33",
            "Benchmark \u201cT\u201d became assessable, from not assessable to 0.33.",
        ),
        (
            "benchmark",
            "no-longer-assessable",
            "0.33",
            "not assessable",
            "Benchmark \u201cT\u201d is no longer assessable, from 0.33 to not assessable.",
        ),
        (
            "benchmark",
            "different-kind",
            "0.333",
            "0.330",
            (
                "Benchmark \u201cT\u201d has scores of different kinds, 0.333 then 0.330 (one "
                "provisional, from the evidence, the other assessed), so the difference is not "
                "a change."
            ),
        ),
        (
            "gate",
            "improved",
            "fail",
            "pass",
            "Gate \u201cT\u201d improved, from failing to passing.",
        ),
        (
            "gate",
            "new",
            "undetermined",
            "fail",
            "Gate \u201cT\u201d became determined, from undetermined to failing.",
        ),
        ("area", "unchanged", "0.50", "0.50", "Area \u201cT\u201d is unchanged at 0.50."),
    ],
)
def test_a_change_is_one_sentence_naming_what_changed_and_both_values(
    subject: str, kind: str, before: str, after: str, expected: str
) -> None:
    view = ChangeView(kind=kind, summary="", before=before, after=after)
    item = ChangeItem(subject=subject, id=None, title="T", anchor=None, change=view)
    assert item.sentence == expected


def test_a_gate_headline_counts_and_names_only_the_conditions_that_decided_it() -> None:
    """At least 2 of 4, with 2 holding: the headline is those 2, not "2 fail"."""
    from benchmarkkit._conditions import AtLeast, BenchmarkCondition
    from benchmarkkit.reports import report_to_html, report_to_markdown

    dataset = load_dataset(EXAMPLE)
    wanted = ("bm-sokolova", "bm-zhanaozen-accountability", "bm-media-law", "bm-religion-law")
    condition = AtLeast(
        count=2,
        conditions=tuple(BenchmarkCondition(benchmark=b, minimum_score=0.5) for b in wanted),
    )
    dataset = attrs.evolve(dataset, gates=(attrs.evolve(dataset.gates[0], condition=condition),))
    report = build_report(dataset, score(dataset, as_of=AS_OF))
    [gate] = report.gates
    assert gate.verdict == "pass"
    assert (gate.held, gate.failed, gate.conditions) == (2, 2, 4)
    assert gate.decided_by == (
        "bm-sokolova has Partly met (0.67), needs a score of 0.5",
        "bm-zhanaozen-accountability has Partly met (0.67), needs a score of 0.5",
    )
    html = report_to_html(report)
    card = html[html.index('id="verdict-') : html.index("</article>")]
    text = re.sub(r"<[^>]+>", " ", card)
    assert "Decided by 2 of its 4 conditions on benchmarks and areas" in text
    assert "bm-sokolova has Partly met (0.67), needs a score of 0.5" in text
    assert "fail" not in text.lower()
    markdown = report_to_markdown(report)
    assert (
        "> Decided by 2 of its 4 conditions on benchmarks and areas as of 2012-03-20: "
        "bm-sokolova has Partly met (0.67), needs a score of 0.5; bm-zhanaozen-accountability "
        "has Partly met (0.67), needs a score of 0.5. (2 hold, 2 fail, 0 undetermined.)"
    ) in markdown

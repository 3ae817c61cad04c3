"""The report model: what a published scorecard shows, as frozen values that templates render.

A :class:`Report` joins a scorecard (and optionally a comparison and
scorecards on earlier dates) with the dataset's records: the commitments
and standards behind each benchmark, the evidence known as of the date with
its quotes and sources, the assessment a score rests on, and the
recommendations made by that date with the responses to them. Every text in it
is the dataset's or the scorecard's own, unescaped; renderers escape it for
their format. A view's ``quote_from`` says, in words, what its quote was taken
from when that is not a verbatim copy of the source ("From a translation"):
renderers then show the quote as such, not as the source's own words.
Addresses are :class:`~benchmarkkit.reports.Link` values that say whether they
may be linked.
"""

from __future__ import annotations

import datetime as dt
import functools

import attrs

from benchmarkkit.reports._chart import BarChart, LineChart
from benchmarkkit.reports._links import Link
from benchmarkkit.reports._palette import Tone
from benchmarkkit.reports._words import change_sentence

__all__ = [
    "AreaView",
    "AssessmentView",
    "BenchmarkView",
    "ChangeItem",
    "ChangeView",
    "CommitmentView",
    "ConditionView",
    "EvidenceView",
    "GateView",
    "IndicatorView",
    "LegendEntry",
    "LegendScale",
    "Method",
    "PositionKey",
    "ProblemView",
    "RecommendationChart",
    "RecommendationGroup",
    "RecommendationSection",
    "RecommendationView",
    "Report",
    "ResponseView",
    "Series",
    "SourceRef",
    "SourceView",
    "StandardView",
    "StatusCount",
    "Timeline",
]


@attrs.frozen(kw_only=True)
class SourceRef:
    """Where a record was read: the source's title, its place in the report, its address.

    ``anchor`` is ``None`` for a source the dataset does not define (the
    report then lists no such source).
    """

    id: str
    anchor: str | None
    title: str
    link: Link
    locator: str | None = None


@attrs.frozen(kw_only=True)
class ChangeView:
    """How a score or verdict changed since the earlier date of a comparison.

    ``kind`` is a :class:`~benchmarkkit.scoring.ChangeKind` value
    (``improved``, ``regressed``, ...); ``before`` and ``after`` are written
    out; ``delta`` is the signed difference of the scores, when both exist.
    """

    kind: str
    summary: str
    before: str
    after: str
    delta: float | None = None


@attrs.frozen(kw_only=True)
class ChangeItem:
    """A change worth telling: what changed, its place in the report, and how.

    ``subject`` is ``overall``, ``gate``, ``area`` or ``benchmark``;
    :attr:`sentence` says it in words.
    """

    subject: str
    id: str | None
    title: str
    anchor: str | None
    change: ChangeView

    @property
    def sentence(self) -> str:
        """The change in one sentence that names what changed and both scores (or verdicts)."""
        change = self.change
        return change_sentence(self.subject, self.title, change.kind, change.before, change.after)


@attrs.frozen(kw_only=True)
class CommitmentView:
    """A promise a benchmark holds its duty bearer to."""

    id: str
    title: str
    actor: str
    addressees: tuple[str, ...] = ()
    date: str | None = None
    made_in: str | None = None
    deadline: str | None = None
    summary: str | None = None
    quote: str | None = None
    quote_from: str | None = None
    source: SourceRef | None = None


@attrs.frozen(kw_only=True)
class ResponseView:
    """A response to a recommendation, given on or before the report's date.

    ``position`` is a :class:`~benchmarkkit.Position` value, ``position_label``
    the same in words; ``current`` marks the response in force as of the date.
    """

    by: str
    position: str
    position_label: str
    date: str | None = None
    reason: str | None = None
    quote: str | None = None
    quote_from: str | None = None
    source: SourceRef | None = None
    current: bool = False


@attrs.frozen(kw_only=True)
class RecommendationView:
    """A recommendation made on or before the report's date, and where it stands then.

    ``title`` is its own title or the first words of its ``text``; ``by``,
    ``to`` are actors' names; ``mechanism`` is in words and ``reference`` holds
    the mechanism's own references ("cycle 2, session 20, para. 129.14");
    ``position`` is its position as of the date (``no-response`` without a
    response), and ``responses`` those given by then, in the order given.
    ``implementation`` is the latest assessment of its implementation as of
    the date (``None``: not assessed), chosen as scoring chooses it;
    ``evidence`` the latest evidence naming it dated on or before the date,
    newest first, and ``more_evidence`` how many older ones are left out.
    """

    id: str
    anchor: str
    title: str
    text: str
    by: tuple[str, ...]
    to: str
    date: str
    mechanism: str
    position: str
    position_label: str
    reference: str | None = None
    themes: tuple[str, ...] = ()
    quote: str | None = None
    quote_from: str | None = None
    source: SourceRef | None = None
    responses: tuple[ResponseView, ...] = ()
    implementation: AssessmentView | None = None
    evidence: tuple[EvidenceView, ...] = ()
    more_evidence: int = 0


@attrs.frozen(kw_only=True)
class PositionKey:
    """How the report draws one position: its words, colour, pattern and Markdown symbol."""

    position: str
    label: str
    colour: str
    pattern: str | None
    emoji: str


@attrs.frozen(kw_only=True)
class RecommendationGroup:
    """The recommendations of a section that have one position as of the report's date."""

    key: PositionKey
    recommendations: tuple[RecommendationView, ...]


@attrs.frozen(kw_only=True)
class RecommendationChart:
    """Responses counted by theme (or by recommending actor), and their bars.

    ``by`` is ``theme`` or ``actor``; ``keys`` are the positions counted, in
    order; each row of ``rows`` is a label and its count of each key. A
    recommendation with several themes, or made by several actors together,
    counts once in each of their rows. ``chart`` is laid out for wide screens
    and print, ``narrow_chart`` for phones.
    """

    by: str
    title: str
    keys: tuple[PositionKey, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]
    chart: BarChart
    narrow_chart: BarChart


@attrs.frozen(kw_only=True)
class RecommendationSection:
    """An area's recommendations (``area_id`` ``None``: those of no area), by position.

    ``implementation`` says in words how many of the area's recommendations
    taken on are assessed as implemented, as the scorecard counts them
    (``None`` when the area has none taken on, and for those of no area).
    """

    anchor: str
    title: str
    area_id: str | None
    total: int
    groups: tuple[RecommendationGroup, ...]
    chart: RecommendationChart
    implementation: str | None = None


@attrs.frozen(kw_only=True)
class StandardView:
    """An international norm a benchmark rests on."""

    id: str
    title: str
    kind: str
    reference: str | None = None
    body: str | None = None
    description: str | None = None
    link: Link | None = None


@attrs.frozen(kw_only=True)
class IndicatorView:
    """How a benchmark is measured, with its baseline and target in words."""

    id: str
    title: str
    kind: str
    baseline: str | None = None
    target: str | None = None


@attrs.frozen(kw_only=True)
class EvidenceView:
    """A dated observation bearing on a benchmark, known as of the report's date.

    ``direction`` is the evidence's direction (``progress``,
    ``regression``, ``no-change``, ``mixed``), ``direction_label`` the same
    in words.
    """

    id: str
    anchor: str
    date: str
    direction: str
    direction_label: str
    summary: str
    quote: str | None
    quote_from: str | None = None
    source: SourceRef | None
    reliability: str
    readings: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class AssessmentView:
    """An assessment: the one a benchmark's score rests on, or a recommendation's latest.

    ``level`` is the level's label on its scale (``None``: no level stated).
    """

    id: str
    date: str
    assessor: str
    level: str | None
    rationale: str


@attrs.frozen(kw_only=True)
class BenchmarkView:
    """A benchmark's result and everything behind it.

    ``tone`` colours its status (``None`` when it is not assessable);
    ``status`` is the level an assessment stated, in words, or the score's
    origin when no level was stated; ``evidence`` lists what was known as of
    the date, newest first; ``steps`` say how the score was reached.
    ``has_level`` says whether the status is a level of a scale.
    """

    id: str
    anchor: str
    title: str
    statement: str
    area_id: str
    type: str
    proposed_by_editors: bool
    score: float | None
    score_text: str
    met: bool | None
    met_text: str
    status: str
    has_level: bool
    provisional: bool
    rule: str | None
    tone: Tone | None
    weight: float
    deadline: str | None = None
    rationale: str | None = None
    demanded_by: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    commitments: tuple[CommitmentView, ...] = ()
    standards: tuple[StandardView, ...] = ()
    recommendations: tuple[RecommendationView, ...] = ()
    indicators: tuple[IndicatorView, ...] = ()
    assessment: AssessmentView | None = None
    evidence: tuple[EvidenceView, ...] = ()
    steps: tuple[str, ...] = ()
    change: ChangeView | None = None
    history: tuple[float | None, ...] = ()


@attrs.frozen(kw_only=True)
class AreaView:
    """An area, its aggregate score and its benchmarks."""

    id: str
    anchor: str
    title: str
    description: str | None
    quote: str | None
    quote_from: str | None = None
    source: SourceRef | None
    score: float | None
    score_text: str
    tone: Tone | None
    scored: int
    total: int
    met: int
    steps: tuple[str, ...]
    benchmarks: tuple[BenchmarkView, ...]
    change: ChangeView | None = None
    history: tuple[float | None, ...] = ()


@attrs.frozen(kw_only=True)
class ConditionView:
    """One condition of a gate and its verdict; a benchmark leaf links to the benchmark."""

    kind: str
    verdict: str
    label: str
    detail: str
    target: str | None = None
    target_anchor: str | None = None
    children: tuple[ConditionView, ...] = ()


@attrs.frozen(kw_only=True)
class GateView:
    """A gate's verdict, why, and what the gate decides.

    ``held``, ``failed`` and ``undetermined`` count the benchmark and area
    conditions (the leaves of the condition tree). ``decided_by`` says, one
    sentence each, which of those leaves decided the verdict (the failing
    parts of a failed ``all-of``, the holding parts of a passed ``at-least``,
    ...): the headline counts these, not every leaf, so a gate that needs 2 of
    4 conditions and has them is not shown as failing on the other 2.
    """

    id: str
    anchor: str
    title: str
    verdict: str
    verdict_label: str
    applies_to: str | None
    description: str | None
    quote: str | None
    quote_from: str | None = None
    source: SourceRef | None
    demanded_by: tuple[str, ...]
    condition: ConditionView
    held: int
    failed: int
    undetermined: int
    decided_by: tuple[str, ...] = ()
    change: ChangeView | None = None
    recommendations: tuple[RecommendationView, ...] = ()

    @property
    def conditions(self) -> int:
        """How many benchmark and area conditions the gate has."""
        return self.held + self.failed + self.undetermined


@attrs.frozen(kw_only=True)
class LegendEntry:
    """One level of a status scale, and its colour."""

    label: str
    value: float
    tone: Tone
    description: str | None = None


@attrs.frozen(kw_only=True)
class LegendScale:
    """The levels of a scale used in the report, worst first."""

    id: str
    title: str
    description: str | None
    link: Link | None
    levels: tuple[LegendEntry, ...]


@attrs.frozen(kw_only=True)
class StatusCount:
    """How many benchmarks have one status; ``share`` is their percentage of all benchmarks."""

    label: str
    count: int
    share: int
    tone: Tone | None


@attrs.frozen(kw_only=True)
class Series:
    """Scores of one area (or overall) on each date of a timeline; ``None`` is not assessable."""

    label: str
    values: tuple[float | None, ...]
    colour: str
    overall: bool = False


@attrs.frozen(kw_only=True)
class Timeline:
    """Scores over several dates: the overall score first, then each area, and their charts.

    ``chart`` is laid out for wide screens and print, ``narrow_chart`` for phones.
    """

    dates: tuple[dt.date, ...]
    series: tuple[Series, ...]
    chart: LineChart
    narrow_chart: LineChart


@attrs.frozen(kw_only=True)
class SourceView:
    """A source the report cites, as a bibliography entry."""

    id: str
    anchor: str
    title: str
    kind: str
    link: Link | None
    publishers: tuple[str, ...]
    date: str | None
    places: tuple[str, ...]
    reliability: str
    archive: str | None
    archive_kind: str | None = None
    archive_shared: bool = False
    cited_in: str | None
    description: str | None


@attrs.frozen(kw_only=True)
class Method:
    """How the scores were reached: the rules, the aggregations, the threshold, the fingerprint."""

    rules: tuple[str, ...]
    area_aggregation: str
    overall_aggregation: str
    met_threshold: float
    fingerprint: str
    overall_steps: tuple[str, ...]


@attrs.frozen(kw_only=True)
class ProblemView:
    """Something that went wrong while scoring."""

    severity: str
    code: str
    message: str
    plugin: str | None = None


@attrs.frozen(kw_only=True)
class Report:
    """A scorecard report: the data the HTML and Markdown reports render.

    ``compared_with`` is the earlier date of a comparison (``None`` without
    one); ``changes`` then list what changed, and ``differences`` the
    differences that are not changes: scores of different kinds (one
    provisional, one assessed), shown apart and never counted as changes.
    A difference below the comparison's materiality threshold is in neither.
    ``recommendations`` lists the recommendations made by the date, area by
    area, then those of no area; ``positions`` says how each position is drawn.
    ``evidence`` is every evidence item the report shows (under a benchmark or
    a recommendation), once, newest first: the very views the benchmarks and
    recommendations hold, so that a site prints each once.
    ``timeline`` holds the
    scores over time when there are two dates or more. ``tones`` lists every
    colour the report uses, for the stylesheet.
    """

    dataset_id: str
    title: str
    subject: str | None
    description: str | None
    as_of: dt.date
    language: str | None
    editors: tuple[str, ...]
    license: str | None
    link: Link | None
    overall_score: float | None
    overall_text: str
    overall_tone: Tone | None
    areas_scored: int
    areas_total: int
    benchmarks_met: int
    benchmarks_assessable: int
    benchmarks_total: int
    status_counts: tuple[StatusCount, ...]
    gates: tuple[GateView, ...]
    areas: tuple[AreaView, ...]
    legend: tuple[LegendScale, ...]
    tones: tuple[Tone, ...]
    sources: tuple[SourceView, ...]
    method: Method
    problems: tuple[ProblemView, ...] = ()
    timeline: Timeline | None = None
    compared_with: dt.date | None = None
    overall_change: ChangeView | None = None
    changes: tuple[ChangeItem, ...] = ()
    differences: tuple[ChangeItem, ...] = ()
    recommendations: tuple[RecommendationSection, ...] = ()
    positions: tuple[PositionKey, ...] = ()
    evidence: tuple[EvidenceView, ...] = ()

    @property
    def recommendations_total(self) -> int:
        """How many recommendations the report lists (each once, though in several areas)."""
        return len(
            {r.id for s in self.recommendations for g in s.groups for r in g.recommendations}
        )

    @property
    def benchmarks(self) -> tuple[BenchmarkView, ...]:
        """Every benchmark, area by area."""
        return tuple(benchmark for area in self.areas for benchmark in area.benchmarks)

    @property
    def commitments(self) -> tuple[CommitmentView, ...]:
        """Every commitment a benchmark rests on, once, in the order benchmarks cite them."""
        found: dict[str, CommitmentView] = {}
        for benchmark in self.benchmarks:
            for commitment in benchmark.commitments:
                found.setdefault(commitment.id, commitment)
        return tuple(found.values())

    @functools.cached_property
    def _source_numbers(self) -> dict[str, int]:
        # Built once per report: templates ask for a number at every citation, and a scan of
        # every source for each made the Markdown report quadratic. An id listed twice keeps
        # its first number, as the scan did.
        numbers: dict[str, int] = {}
        for number, source in enumerate(self.sources, start=1):
            numbers.setdefault(source.id, number)
        return numbers

    def source_number(self, source_id: str) -> int | None:
        """The number of a source in the report's list of sources (from 1), or ``None``."""
        return self._source_numbers.get(source_id)

"""The dataset's records as a report shows them: commitments, standards, evidence, sources.

:class:`Records` indexes a dataset once and turns its records into the
report's views, naming actors and sources by their names and titles, and
remembers every source it cites, so that the report lists exactly those.
Evidence, recommendations, responses and assessments are limited to what was
known as of the report's date; where a recommendation stands then (its
position, and the latest assessment of its implementation) is read from
:mod:`benchmarkkit._responses`, as scoring reads it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from benchmarkkit._dates import DAY_SPAN, day_number
from benchmarkkit._index import index_of
from benchmarkkit._references import plan
from benchmarkkit._responses import (
    latest_assessments,
    latest_response,
    made_by,
    position_as_of,
    responses_as_of,
)
from benchmarkkit._sources import archive_holder
from benchmarkkit._vocabulary import ArchiveKind, EvidenceDirection, Reliability
from benchmarkkit._wording import SINGULAR
from benchmarkkit.reports._evidence import EvidenceIndex
from benchmarkkit.reports._links import link
from benchmarkkit.reports._report import (
    AssessmentView,
    CommitmentView,
    EvidenceView,
    IndicatorView,
    RecommendationView,
    ResponseView,
    SourceRef,
    SourceView,
    StandardView,
)

if TYPE_CHECKING:
    from benchmarkkit._conditions import Gate
    from benchmarkkit._model import (
        Actor,
        Area,
        Assessment,
        Benchmark,
        Commitment,
        Dataset,
        Evidence,
        Indicator,
        IndicatorValue,
        Measurement,
        Reading,
        Recommendation,
        Source,
        Standard,
    )
    from benchmarkkit._scales import StatusScale
    from benchmarkkit.scoring._results import BenchmarkResult

__all__ = ["Records", "anchor", "first_words", "refers_to", "words"]

_ANCHOR_UNSAFE = re.compile(r"[^A-Za-z0-9._:-]+")
# Mechanisms whose name is not their value in words.
_MECHANISMS = {
    "upr": "Universal Periodic Review",
    "ngo": "NGO",
    "other": "Other mechanism",
}
#: How many words of a recommendation's text stand for it when it has no title.
FIRST_WORDS = 12
#: How much evidence on a recommendation its view shows, the latest first; the rest are counted.
MOST_EVIDENCE = 3


#: What a source's archived text is, in words, for every archive but a verbatim copy:
#: the bibliography says so, and a quote from it is shown as "From a translation: ...".
_ARCHIVE_KINDS = {
    ArchiveKind.EXTRACTED_TEXT: "text extracted from a PDF",
    ArchiveKind.TRANSLATION: "a translation",
    ArchiveKind.NOTES: "notes",
    ArchiveKind.PARAPHRASE: "a paraphrase",
}


def anchor(kind: str, record_id: str) -> str:
    """The id of a record's place in the report: ``benchmark-bm-media-law``."""
    if _ANCHOR_UNSAFE.search(record_id) is None:  # most ids: nothing to replace
        return f"{kind}-{record_id}"
    return f"{kind}-{_ANCHOR_UNSAFE.sub('-', record_id)}"


def refers_to(cls: type, field: str) -> str:
    """The collection a field of a record class refers to, as the class declares it."""
    for reference in plan(cls).references:
        if reference.field == field:
            return reference.target
    raise KeyError(f"{cls.__name__}.{field} refers to no record")


def words(value: str) -> str:
    """A vocabulary word as words: ``likely-reliable`` -> ``Likely reliable``."""
    return value.replace("-", " ").capitalize()


#: Each direction of evidence, and each reliability grade, in words: read once, for every item.
#: By value: a member's ``_value_`` is read without the ``value`` property, and a plain string
#: is hashed without :meth:`enum.Enum.__hash__`, both Python functions.
_DIRECTIONS = {member.value: words(member.value) for member in EvidenceDirection}
_RELIABILITIES = {member.value: words(member.value) for member in Reliability}


def first_words(text: str, count: int = FIRST_WORDS) -> str:
    """The first ``count`` words of ``text``, with an ellipsis if there are more."""
    found = text.split()
    return " ".join(found) if len(found) <= count else " ".join(found[:count]) + "\u2026"


def _reference(record: Recommendation) -> str | None:
    """The mechanism's own references of a recommendation, in words."""
    parts = [
        f"cycle {record.cycle}" if record.cycle is not None else None,
        f"session {record.session}" if record.session is not None else None,
        f"para. {record.paragraph}" if record.paragraph else None,
        record.document,
    ]
    return ", ".join(part for part in parts if part) or None


def _at(reference: SourceRef, locator: str | None) -> SourceRef:
    """A reference to a place in its source (``reference`` itself, without a locator)."""
    if locator is None:
        return reference
    return SourceRef(
        id=reference.id,
        anchor=reference.anchor,
        title=reference.title,
        link=reference.link,
        locator=locator,
    )


def _value(value: IndicatorValue) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else str(value)


def _measurement(measurement: Measurement | None, unit: str | None) -> str | None:
    if measurement is None:
        return None
    value = measurement.value
    text = _value(value)
    if unit and not isinstance(value, bool):
        text += f" {unit}"
    if measurement.date is not None:
        text += f" ({measurement.date})"
    if measurement.note:
        text += f": {measurement.note}"
    return text


class Records:
    """The dataset's records by id (the first record of an id, as everywhere), and their views."""

    def __init__(self, dataset: Dataset, as_of: dt.date) -> None:
        self.dataset = dataset
        self.as_of = as_of
        self.index = index = index_of(dataset)
        self.actors: Mapping[str, Actor] = index["actors"]
        self.sources: Mapping[str, Source] = index["sources"]
        self.standards: Mapping[str, Standard] = index["standards"]
        self.commitments: Mapping[str, Commitment] = index["commitments"]
        self.benchmarks: Mapping[str, Benchmark] = index["benchmarks"]
        self.areas: Mapping[str, Area] = index["areas"]
        self.assessments: Mapping[str, Assessment] = index["assessments"]
        self.gates: Mapping[str, Gate] = index["gates"]
        self.scales: Mapping[str, StatusScale] = index.scales
        self.indicators: dict[str, list[Indicator]] = {}
        for indicator in index["indicators"].values():
            self.indicators.setdefault(indicator.benchmark, []).append(indicator)
        self.indicator_titles = {key: item.title for key, item in index["indicators"].items()}
        # The evidence known as of the date: dated on or before it (see day_number).
        bound = (day_number(as_of) + 1) * DAY_SPAN
        known = [item for item in index.records("evidence") if item.date.order < bound]
        self._evidence = EvidenceIndex(known, self._evidence_view)
        self.recommendations: Mapping[str, Recommendation] = index["recommendations"]
        self.implementation = latest_assessments(index.records("assessments"), as_of)
        self._recommendation_views: dict[str, RecommendationView | None] = {}
        self._date_texts: dict[int, str] = {}
        self._evidence_sources: dict[str, tuple[SourceRef, str | None, str]] = {}
        self._commitment_views: dict[str, CommitmentView] = {}
        self._standard_views: dict[str, StandardView] = {}
        self.cited: set[str] = set()
        # Made once per source: what each citation of it shares.
        self._references: dict[str, SourceRef] = {}
        self._quotes_from: dict[str | None, str | None] = {}

    def linked(self, collection: str, record_id: str) -> tuple[Any, str | None]:
        """The record of ``collection`` an id refers to, and the anchor of its place in the report.

        Both are ``None`` when the dataset does not define the record.
        """
        record = self.index[collection].get(record_id)
        return record, None if record is None else anchor(SINGULAR[collection], record_id)

    def actor(self, actor_id: str) -> str:
        """An actor's name (its id, if the dataset does not define it)."""
        actor = self.actors.get(actor_id)
        return actor.name if actor is not None else actor_id

    def source(self, source_id: str | None, locator: str | None = None) -> SourceRef | None:
        """A reference to a source (and the place in it), which the report then lists."""
        if source_id is None:
            return None
        self._cite(source_id)
        return _at(self._reference(source_id), locator)

    def _reference(self, source_id: str) -> SourceRef:
        """A reference to a source, made once (its link checked once); the source is not cited."""
        known = self._references.get(source_id)
        if known is None:
            source, place = self.linked("sources", source_id)
            title = source.title if source is not None else source_id
            known = SourceRef(
                id=source_id,
                anchor=place,
                title=title,
                link=link(title, source.url if source is not None else None),
            )
            self._references[source_id] = known
        return known

    def _cite(self, source_id: str) -> None:
        while source_id not in self.cited:
            self.cited.add(source_id)
            source = self.sources.get(source_id)
            if source is None or source.cited_in is None:
                return
            source_id = source.cited_in

    def quote_from(self, source_id: str | None) -> str | None:
        """What a quote from a source is taken from, in words; ``None`` for a verbatim copy.

        That is the archived text the quote is verified against (the citing
        source's, for a source known through another), or the source's own
        kind of archive where no text is archived.
        """
        if source_id in self._quotes_from:
            return self._quotes_from[source_id]
        source = self.sources.get(source_id) if source_id is not None else None
        kind = None
        if source is not None:
            kind = _ARCHIVE_KINDS.get((archive_holder(source, self.sources) or source).archive_kind)
        said = self._quotes_from[source_id] = None if kind is None else f"From {kind}"
        return said

    def source_title(self, source_id: str) -> str:
        """A source's title, and the source is cited."""
        self._cite(source_id)
        source = self.sources.get(source_id)
        return source.title if source is not None else source_id

    def indicator_views(self, benchmark_id: str) -> tuple[IndicatorView, ...]:
        """The indicators that measure a benchmark, with baseline and target in words."""
        return tuple(
            IndicatorView(
                id=indicator.id,
                title=indicator.title,
                kind=indicator.kind.value,
                baseline=_measurement(indicator.baseline, indicator.unit),
                target=_measurement(indicator.target, indicator.unit),
            )
            for indicator in self.indicators.get(benchmark_id, ())
        )

    def evidence_views(self, benchmark_id: str) -> tuple[EvidenceView, ...]:
        """The evidence on a benchmark known as of the date, newest first.

        Only the evidence shown cites its source, so that the report lists no other
        (see :meth:`source_views`).
        """
        return self._evidence.on_benchmark(benchmark_id)

    def shown_evidence(self) -> tuple[EvidenceView, ...]:
        """Every evidence item shown so far, once (the first record of an id), newest first."""
        return tuple(self._evidence.shown())

    def _evidence_view(self, item: Evidence) -> EvidenceView:
        """An evidence item's view (each is made once, and shared wherever it is shown)."""
        shared = self._evidence_sources.get(item.source)
        if shared is None:
            shared = self._evidence_source(item.source)
        reference, quote_from, reliability = shared  # the source's reliability, unless its own
        if item.reliability:
            reliability = _RELIABILITIES[item.reliability._value_]
        date = item.date
        date_text = self._date_texts.get(date.order)
        if date_text is None:  # the order of a date stands for its text: made once per date
            date_text = self._date_texts[date.order] = str(date)
        direction = item.direction._value_
        readings = item.readings
        return EvidenceView(
            id=item.id,
            anchor=anchor("evidence", item.id),
            date=date_text,
            direction=direction,
            direction_label=_DIRECTIONS[direction],
            summary=item.summary,
            quote=item.quote,
            quote_from=quote_from,
            source=_at(reference, item.locator),
            reliability=reliability,
            readings=tuple(map(self._reading, readings)) if readings else (),
        )

    def _reading(self, reading: Reading) -> str:
        """An indicator reading in words: the indicator's title and the value."""
        title = self.indicator_titles.get(reading.indicator, reading.indicator)
        return f"{title}: {_value(reading.value)}"

    def _evidence_source(self, source_id: str) -> tuple[SourceRef, str | None, str]:
        """What every evidence item from a source shares, made once; the source is not cited.

        Its reference (without a locator), what a quote from it is taken from, and its
        reliability in words (that of evidence that states none of its own).
        """
        reference = self._reference(source_id)
        source = self.sources.get(source_id)
        reliability = source.reliability if source is not None else None
        shared = (
            reference,
            self.quote_from(source_id),
            _RELIABILITIES[reliability.value] if reliability else "Unknown",
        )
        self._evidence_sources[source_id] = shared
        return shared

    def assessment(self, result: BenchmarkResult) -> AssessmentView | None:
        """The assessment a benchmark's result rests on, if an assessment was used."""
        for used in result.explanation.inputs:
            if used.kind != "assessment":
                continue
            assessment = self.assessments.get(used.id)
            if assessment is not None:
                return self._assessment_view(assessment)
        return None

    def _assessment_view(self, assessment: Assessment) -> AssessmentView:
        """An assessment, its level named by its label on the scale."""
        level = None
        scale = self.scales.get(assessment.scale)
        if assessment.level is not None:
            found = scale.level(assessment.level) if scale is not None else None
            level = found.label if found is not None else assessment.level
        return AssessmentView(
            id=assessment.id,
            date=str(assessment.as_of),
            assessor=assessment.assessor,
            level=level,
            rationale=assessment.rationale,
        )

    def commitment(self, commitment_id: str) -> CommitmentView:
        """A commitment, with its actor, addressees and source named: made once per id."""
        view = self._commitment_views.get(commitment_id)
        if view is None:
            view = self._commitment_views[commitment_id] = self._commitment_view(commitment_id)
        return view

    def _commitment_view(self, commitment_id: str) -> CommitmentView:
        record = self.commitments.get(commitment_id)
        if record is None:
            return CommitmentView(id=commitment_id, title=commitment_id, actor="")
        return CommitmentView(
            id=record.id,
            title=record.title,
            actor=self.actor(record.actor),
            addressees=tuple(self.actor(a) for a in record.addressees),
            date=str(record.date) if record.date else None,
            made_in=self.source_title(record.made_in) if record.made_in else None,
            deadline=str(record.deadline) if record.deadline else None,
            summary=record.summary,
            quote=record.quote,
            quote_from=self.quote_from(record.source),
            source=self.source(record.source, record.locator),
        )

    def recommendation(self, recommendation_id: str) -> RecommendationView | None:
        """A recommendation as of the date; ``None`` if it was made later.

        A recommendation the dataset does not define is shown by its id alone.
        Each view is made once, however many records name it.
        """
        if recommendation_id in self._recommendation_views:
            return self._recommendation_views[recommendation_id]
        record = self.recommendations.get(recommendation_id)
        view: RecommendationView | None
        if record is None:
            view = RecommendationView(
                id=recommendation_id,
                anchor=anchor("recommendation", recommendation_id),
                title=recommendation_id,
                text="",
                by=(),
                to="",
                date="",
                mechanism="",
                position="",
                position_label="",
            )
        elif made_by(record, self.as_of):
            view = self._recommendation_view(record)
        else:
            view = None
        self._recommendation_views[recommendation_id] = view
        return view

    def recommendation_views(self, ids: tuple[str, ...]) -> tuple[RecommendationView, ...]:
        """The recommendations of ``ids`` made by the date, each once, in their order."""
        views = map(self.recommendation, dict.fromkeys(ids))
        return tuple(view for view in views if view is not None)

    def _recommendation_view(self, record: Recommendation) -> RecommendationView:
        current = latest_response(record, self.as_of)
        responses = [
            ResponseView(
                by=self.actor(response.by),
                position=response.position.value,
                position_label=words(response.position.value),
                date=str(response.date) if response.date else None,
                reason=response.reason,
                quote=response.quote,
                quote_from=self.quote_from(response.source),
                source=self.source(response.source, response.locator),
                current=response is current,
            )
            for response in responses_as_of(record, self.as_of)
        ]
        position = position_as_of(record, self.as_of).value
        mechanism = record.mechanism.value
        assessment = self.implementation.get(record.id)
        evidence, more_evidence = self._evidence.on_recommendation(record.id, MOST_EVIDENCE)
        return RecommendationView(
            id=record.id,
            anchor=anchor("recommendation", record.id),
            title=record.title or first_words(record.text),
            text=record.text,
            by=tuple(self.actor(a) for a in dict.fromkeys(record.by)),
            to=self.actor(record.to),
            date=str(record.date),
            mechanism=_MECHANISMS.get(mechanism, words(mechanism)),
            position=position,
            position_label=words(position),
            reference=_reference(record),
            themes=record.themes,
            quote=record.quote,
            quote_from=self.quote_from(record.source),
            source=self.source(record.source, record.locator),
            responses=tuple(responses),
            implementation=None if assessment is None else self._assessment_view(assessment),
            evidence=evidence,
            more_evidence=more_evidence,
        )

    def standard(self, standard_id: str) -> StandardView:
        """A standard, with the body that issued it named: made once per id."""
        view = self._standard_views.get(standard_id)
        if view is None:
            view = self._standard_views[standard_id] = self._standard_view(standard_id)
        return view

    def _standard_view(self, standard_id: str) -> StandardView:
        record = self.standards.get(standard_id)
        if record is None:
            return StandardView(id=standard_id, title=standard_id, kind="")
        reference = " ".join(part for part in (record.instrument, record.provision) if part)
        return StandardView(
            id=record.id,
            title=record.title,
            kind=words(record.kind.value),
            reference=reference or None,
            body=self.actor(record.body) if record.body else None,
            description=record.description,
            link=link(record.title, record.url) if record.url else None,
        )

    def source_views(self) -> tuple[SourceView, ...]:
        """Every source cited so far, in dataset order (the first source of an id)."""
        # The evidence shown cites its sources: when all is shown, those of all the evidence.
        shown = self._evidence.shown()
        for source_id in (
            self._evidence_sources
            if self._evidence.all_shown()
            else {view.source.id for view in shown if view.source}
        ):
            self._cite(source_id)
        views = []
        for source in self.sources.values():
            if source.id not in self.cited:
                continue
            cited_in = self.sources.get(source.cited_in) if source.cited_in else None
            views.append(
                SourceView(
                    id=source.id,
                    anchor=anchor("source", source.id),
                    title=source.title,
                    kind=words(source.kind.value),
                    link=self._reference(source.id).link if source.url else None,
                    publishers=tuple(self.actor(p) for p in source.publishers),
                    date=str(source.date) if source.date else None,
                    places=source.places,
                    reliability=words(source.reliability.value),
                    archive=source.archive,
                    archive_kind=_ARCHIVE_KINDS.get(source.archive_kind),
                    archive_shared=source.archive is not None
                    and ".." in PurePosixPath(source.archive).parts,
                    cited_in=cited_in.title if cited_in is not None else source.cited_in,
                    description=source.description,
                )
            )
        return tuple(views)

"""The records of a benchmark dataset, as frozen attrs value classes.

Field names are the JSON keys: one vocabulary from the file to the object to
the documentation. Records refer to each other by id; the references are
checked by :func:`benchmarkkit.validate`, not here, so that a dataset with a
dangling reference can still be loaded, inspected and reported on.
"""

# No ``from __future__ import annotations``: msgspec, which builds the records, reads each
# class's annotations at start-up, and text annotations cost it a compile each.
import datetime as dt
import types
import typing
from collections.abc import Mapping
from typing import TypeVar

import attrs

from benchmarkkit._conditions import Gate, ScoringConfig
from benchmarkkit._dates import PartialDate
from benchmarkkit._references import level_of, refers_to
from benchmarkkit._scales import StatusScale, as_float
from benchmarkkit._since import added_in
from benchmarkkit._vocabulary import (
    ActorKind,
    ArchiveKind,
    BenchmarkOrigin,
    BenchmarkType,
    Direction,
    EvidenceDirection,
    IndicatorKind,
    Mechanism,
    Position,
    Reliability,
    SourceKind,
    StandardKind,
    _Vocabulary,
)

__all__ = [
    "SCHEMA_VERSION",
    "Actor",
    "Area",
    "Assessment",
    "Benchmark",
    "Classification",
    "Commitment",
    "Dataset",
    "Evidence",
    "Indicator",
    "IndicatorValue",
    "Measurement",
    "Reading",
    "Recommendation",
    "Response",
    "Source",
    "Standard",
]

#: The version of the format this library reads and writes.
SCHEMA_VERSION = "1.1"

IndicatorValue = bool | int | float | str
"""A value of an indicator: ``true``/``false``, a number, or an ordinal level."""

_weight = attrs.validators.ge(0.0)
_optional_count = attrs.validators.optional(attrs.validators.ge(1))

_E = TypeVar("_E", bound=_Vocabulary)


def _coerce(vocabulary: type[_E], value: _E | str) -> _E:
    """A member of ``vocabulary``, or its value ("progress") made one."""
    return value if value.__class__ is vocabulary else vocabulary(value)


# Converters, so that records built in code accept the words of the format too
# (attrs' mypy plugin takes only named functions as converters).
def _actor_kind(value: ActorKind | str) -> ActorKind:
    return _coerce(ActorKind, value)


def _source_kind(value: SourceKind | str) -> SourceKind:
    return _coerce(SourceKind, value)


def _archive_kind(value: ArchiveKind | str) -> ArchiveKind:
    return _coerce(ArchiveKind, value)


def _standard_kind(value: StandardKind | str) -> StandardKind:
    return _coerce(StandardKind, value)


def _benchmark_type(value: BenchmarkType | str) -> BenchmarkType:
    return _coerce(BenchmarkType, value)


def _benchmark_origin(value: BenchmarkOrigin | str) -> BenchmarkOrigin:
    return _coerce(BenchmarkOrigin, value)


def _indicator_kind(value: IndicatorKind | str) -> IndicatorKind:
    return _coerce(IndicatorKind, value)


def _direction(value: Direction | str | None) -> Direction | None:
    return None if value is None else _coerce(Direction, value)


def _evidence_direction(value: EvidenceDirection | str) -> EvidenceDirection:
    return _coerce(EvidenceDirection, value)


def _reliability(value: Reliability | str) -> Reliability:
    return _coerce(Reliability, value)


def _mechanism(value: Mechanism | str) -> Mechanism:
    return _coerce(Mechanism, value)


def _position(value: Position | str) -> Position:
    return _coerce(Position, value)


def _optional_reliability(value: Reliability | str | None) -> Reliability | None:
    return None if value is None else _coerce(Reliability, value)


def _date(value: PartialDate | str | dt.date) -> PartialDate:
    """A converter: a :class:`PartialDate`, from one or from "2012-03" or a date."""
    if value.__class__ is PartialDate:
        return value
    if isinstance(value, dt.date):
        return PartialDate.from_date(value)
    return PartialDate.parse(value)


def _optional_date(value: PartialDate | str | dt.date | None) -> PartialDate | None:
    return None if value is None else _date(value)


@attrs.frozen(kw_only=True)
class Actor:
    """A state, body, organisation, court or person that appears in the dataset.

    ``part_of`` links an actor to the one it belongs to or acts for (the High
    Representative to the EU, a court to its state).
    """

    id: str
    name: str
    kind: ActorKind = attrs.field(converter=_actor_kind)
    short_name: str | None = None
    part_of: str | None = attrs.field(default=None, metadata=refers_to("actors"))
    role: str | None = None
    description: str | None = None
    url: str | None = None


@attrs.frozen(kw_only=True)
class Source:
    """A document that evidence, commitments or demands are taken from.

    ``archive`` is the path, relative to the dataset folder, of a plain-text
    copy of the document shipped with the dataset (or kept in one of the
    dataset's ``archive_folders``); quotes from the source are verified against
    it. ``archive_kind`` says what that text is: a verbatim copy, or a
    translation, notes, a paraphrase, text extracted from a PDF.
    ``cited_in`` names the source through which this one is known when the
    dataset has no copy of its own (a resolution quoted in an appeal, say).
    """

    id: str
    title: str
    kind: SourceKind = attrs.field(converter=_source_kind)
    publishers: tuple[str, ...] = attrs.field(default=(), metadata=refers_to("actors"))
    date: PartialDate | None = attrs.field(default=None, converter=_optional_date)
    places: tuple[str, ...] = ()
    url: str | None = None
    archive: str | None = None
    archive_kind: ArchiveKind = attrs.field(
        default=ArchiveKind.VERBATIM, converter=_archive_kind, metadata=added_in("1.1")
    )
    cited_in: str | None = attrs.field(default=None, metadata=refers_to("sources"))
    reliability: Reliability = attrs.field(default=Reliability.UNKNOWN, converter=_reliability)
    description: str | None = None


@attrs.frozen(kw_only=True)
class Standard:
    """An international norm a benchmark rests on: a treaty article, a recommendation of a body.

    A standard of kind ``recommendation`` means what it meant in format 1.0: a
    recommendation of a body that a benchmark rests on. Since format 1.1, one that
    an actor addressed to one duty bearer, whose responses and implementation are
    to be tracked, is better recorded as a :class:`Recommendation`; a general
    recommendation or comment addressed to every State (CEDAW's General
    Recommendation No. 35, say) stays a standard.
    """

    id: str
    title: str
    kind: StandardKind = attrs.field(converter=_standard_kind)
    instrument: str | None = None
    provision: str | None = None
    body: str | None = attrs.field(default=None, metadata=refers_to("actors"))
    source: str | None = attrs.field(default=None, metadata=refers_to("sources"))
    url: str | None = None
    description: str | None = None


@attrs.frozen(kw_only=True)
class Commitment:
    """A promise made by a duty bearer, in its own words where a source has them.

    ``actor`` made the promise to ``addressees`` on ``date`` in the
    instrument ``made_in``; ``source``, ``locator`` and ``quote`` say where
    the dataset read it.
    """

    id: str
    title: str
    actor: str = attrs.field(metadata=refers_to("actors"))
    addressees: tuple[str, ...] = attrs.field(default=(), metadata=refers_to("actors"))
    date: PartialDate | None = attrs.field(default=None, converter=_optional_date)
    made_in: str | None = attrs.field(default=None, metadata=refers_to("sources"))
    source: str | None = attrs.field(default=None, metadata=refers_to("sources"))
    locator: str | None = None
    quote: str | None = None
    summary: str | None = None
    deadline: PartialDate | None = attrs.field(default=None, converter=_optional_date)
    recommendations: tuple[str, ...] = attrs.field(
        default=(), metadata={**refers_to("recommendations"), **added_in("1.1")}
    )


@attrs.frozen(kw_only=True)
class Classification:
    """A recommendation's place in a classification scheme of the dataset's own choosing.

    ``scheme`` names the scheme ("upr-info-action"), ``value`` the entry in it
    ("5"), and ``label`` says it in words ("Specific action").
    """

    scheme: str
    value: str
    label: str | None = None


@attrs.frozen(kw_only=True)
class Response:
    """An addressee's answer to a recommendation: its position, when, and why.

    ``by`` responded on ``date``; ``source``, ``locator`` and ``quote`` say
    where the dataset read the response, and ``reason`` the reason given.
    """

    by: str = attrs.field(metadata=refers_to("actors"))
    position: Position = attrs.field(converter=_position)
    date: PartialDate | None = attrs.field(default=None, converter=_optional_date)
    source: str | None = attrs.field(default=None, metadata=refers_to("sources"))
    locator: str | None = None
    quote: str | None = None
    reason: str | None = None


@attrs.frozen(kw_only=True)
class Recommendation:
    """A demand that one or more actors address to a duty bearer, and the answers to it.

    ``by`` made the recommendation to ``to`` on ``date``, through
    ``mechanism``; ``text`` holds its words. ``cycle``, ``session``,
    ``paragraph`` and ``document`` are the mechanism's own references (UPR
    cycle 2, session 20, paragraph "129.14"; a treaty body's document
    symbol). ``themes``, ``affected_persons``, ``sdg_targets`` and
    ``classifications`` classify it as the field does; ``areas`` places it in
    the dataset's areas, besides the areas of the benchmarks that follow from
    it. ``responses`` are in the order they were given.
    """

    id: str
    text: str
    by: tuple[str, ...] = attrs.field(metadata=refers_to("actors"))
    to: str = attrs.field(metadata=refers_to("actors"))
    date: PartialDate = attrs.field(converter=_date)
    mechanism: Mechanism = attrs.field(converter=_mechanism)
    title: str | None = None
    source: str | None = attrs.field(default=None, metadata=refers_to("sources"))
    locator: str | None = None
    quote: str | None = None
    cycle: int | None = attrs.field(default=None, validator=_optional_count)
    session: int | None = attrs.field(default=None, validator=_optional_count)
    paragraph: str | None = None
    document: str | None = None
    themes: tuple[str, ...] = ()
    affected_persons: tuple[str, ...] = ()
    sdg_targets: tuple[str, ...] = ()
    classifications: tuple[Classification, ...] = ()
    areas: tuple[str, ...] = attrs.field(default=(), metadata=refers_to("areas"))
    responses: tuple[Response, ...] = ()


@attrs.frozen(kw_only=True)
class Area:
    """A theme that groups benchmarks, such as "Freedom of religion"."""

    id: str
    title: str
    description: str | None = None
    weight: float = attrs.field(default=1.0, converter=as_float, validator=_weight)
    source: str | None = attrs.field(default=None, metadata=refers_to("sources"))
    locator: str | None = None
    quote: str | None = None


@attrs.frozen(kw_only=True)
class Benchmark:
    """A concrete, verifiable condition one actor demands of another.

    ``statement`` says what must be true; ``type`` sorts it as structural,
    process or outcome; ``origin`` says whether a source states it or the
    dataset's editors proposed it.
    """

    id: str
    title: str
    statement: str
    area: str = attrs.field(metadata=refers_to("areas"))
    type: BenchmarkType = attrs.field(converter=_benchmark_type)
    origin: BenchmarkOrigin = attrs.field(
        default=BenchmarkOrigin.STATED_IN_SOURCE, converter=_benchmark_origin
    )
    commitments: tuple[str, ...] = attrs.field(default=(), metadata=refers_to("commitments"))
    standards: tuple[str, ...] = attrs.field(default=(), metadata=refers_to("standards"))
    recommendations: tuple[str, ...] = attrs.field(
        default=(), metadata={**refers_to("recommendations"), **added_in("1.1")}
    )
    demanded_by: tuple[str, ...] = attrs.field(default=(), metadata=refers_to("actors"))
    responsible: tuple[str, ...] = attrs.field(default=(), metadata=refers_to("actors"))
    deadline: PartialDate | None = attrs.field(default=None, converter=_optional_date)
    weight: float = attrs.field(default=1.0, converter=as_float, validator=_weight)
    rationale: str | None = None


@attrs.frozen(kw_only=True)
class Measurement:
    """A value of an indicator, used for its baseline and target.

    ``date`` is when the value held (a baseline) or should hold (a target);
    a target without a date has no deadline.
    """

    value: IndicatorValue
    date: PartialDate | None = attrs.field(default=None, converter=_optional_date)
    source: str | None = attrs.field(default=None, metadata=refers_to("sources"))
    note: str | None = None


@attrs.frozen(kw_only=True)
class Indicator:
    """How a benchmark is measured.

    A ``boolean`` indicator is met or not; an ``ordinal`` one moves through
    ``levels`` (listed from worst to best); a ``numeric`` one has a ``unit``
    and a ``direction``. ``baseline`` and ``target`` are dated measurements.
    """

    id: str
    benchmark: str = attrs.field(metadata=refers_to("benchmarks"))
    title: str
    kind: IndicatorKind = attrs.field(converter=_indicator_kind)
    unit: str | None = None
    direction: Direction | None = attrs.field(default=None, converter=_direction)
    levels: tuple[str, ...] = ()
    baseline: Measurement | None = None
    target: Measurement | None = None
    weight: float = attrs.field(default=1.0, converter=as_float, validator=_weight)
    description: str | None = None


@attrs.frozen(kw_only=True)
class Reading:
    """A value of an indicator that a piece of evidence reports."""

    indicator: str = attrs.field(metadata=refers_to("indicators"))
    value: IndicatorValue


@attrs.frozen(kw_only=True)
class Evidence:
    """A dated observation from a source, bearing on benchmarks or recommendations.

    It names at least one benchmark or recommendation.

    ``quote`` is verbatim from the source and is checked against its archived
    text; ``locator`` says where in the source it stands ("para. 3", "p. 2").
    ``reliability`` overrides the source's own grade when given. Sources may
    disagree; that is data, not an error.
    """

    id: str
    source: str = attrs.field(metadata=refers_to("sources"))
    date: PartialDate = attrs.field(converter=_date)
    benchmarks: tuple[str, ...] = attrs.field(default=(), metadata=refers_to("benchmarks"))
    direction: EvidenceDirection = attrs.field(converter=_evidence_direction)
    summary: str
    locator: str | None = None
    quote: str | None = None
    actors: tuple[str, ...] = attrs.field(default=(), metadata=refers_to("actors"))
    readings: tuple[Reading, ...] = ()
    reliability: Reliability | None = attrs.field(default=None, converter=_optional_reliability)
    recommendations: tuple[str, ...] = attrs.field(
        default=(), metadata={**refers_to("recommendations"), **added_in("1.1")}
    )


@attrs.frozen(kw_only=True)
class Assessment:
    """A judgement of a benchmark's or a recommendation's status as of a date, on a named scale.

    An assessment names either a ``benchmark`` or a ``recommendation`` (the
    implementation of a recommendation, on the ``upr-info-implementation``
    scale, say). Leaving out ``level`` records, explicitly, that it could not
    be assessed as of that date; ``rationale`` then says why.
    """

    id: str
    benchmark: str | None = attrs.field(default=None, metadata=refers_to("benchmarks"))
    as_of: PartialDate = attrs.field(converter=_date)
    scale: str = attrs.field(metadata=refers_to("scales"))
    assessor: str
    rationale: str
    level: str | None = attrs.field(default=None, metadata=level_of("scale"))
    evidence: tuple[str, ...] = attrs.field(default=(), metadata=refers_to("evidence"))
    recommendation: str | None = attrs.field(
        default=None, metadata={**refers_to("recommendations"), **added_in("1.1")}
    )


@attrs.frozen(kw_only=True)
class Dataset:
    """A complete benchmark dataset: its description and every record in it.

    ``include`` lists glob patterns of the files that make up a dataset kept
    as a folder; it is empty for a single-file dataset and for a folder
    whose every data file belongs to the dataset. ``archive_folders`` names
    folders outside the dataset folder (relative to it) that archived texts
    may be kept in, so that datasets can share them.
    """

    schema_version: str = SCHEMA_VERSION
    id: str
    title: str
    subject: str | None = None
    description: str | None = None
    language: str | None = None
    editors: tuple[str, ...] = ()
    license: str | None = None
    url: str | None = None
    include: tuple[str, ...] = ()
    archive_folders: tuple[str, ...] = attrs.field(default=(), metadata=added_in("1.1"))
    scoring: ScoringConfig | None = None
    scales: tuple[StatusScale, ...] = ()
    actors: tuple[Actor, ...] = ()
    sources: tuple[Source, ...] = ()
    standards: tuple[Standard, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    recommendations: tuple[Recommendation, ...] = attrs.field(default=(), metadata=added_in("1.1"))
    areas: tuple[Area, ...] = ()
    benchmarks: tuple[Benchmark, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    gates: tuple[Gate, ...] = ()


#: The collections of each dataset class, found once per class.
_COLLECTIONS: dict[type, Mapping[str, type]] = {}


def collections_of(cls: type[Dataset]) -> Mapping[str, type]:
    """The record collections of a dataset class, in field order: its tuples of records with ids.

    Read from the class once, as a read-only mapping from field name to
    record class, so that a collection added to a dataset class is indexed
    and checked with no other change.
    """
    known = _COLLECTIONS.get(cls)
    if known is not None:
        return known
    hints = typing.get_type_hints(cls)
    found: dict[str, type] = {}
    for field in attrs.fields(cls):
        hint = hints[field.name]
        if typing.get_origin(hint) is not tuple:
            continue
        record = typing.get_args(hint)[0]
        if isinstance(record, type) and attrs.has(record) and hasattr(attrs.fields(record), "id"):
            found[field.name] = record
    known = _COLLECTIONS[cls] = types.MappingProxyType(found)
    return known


#: The record collections of a dataset, in the order they are written, with their classes.
COLLECTIONS: Mapping[str, type] = collections_of(Dataset)

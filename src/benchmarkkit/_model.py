"""The records of a benchmark dataset, as frozen attrs value classes.

Field names are the JSON keys: one vocabulary from the file to the object to
the documentation. Records refer to each other by id; the references are
checked by :func:`benchmarkkit.validate`, not here, so that a dataset with a
dangling reference can still be loaded, inspected and reported on.
"""

from __future__ import annotations

import attrs

from benchmarkkit._conditions import Gate, ScoringConfig
from benchmarkkit._dates import PartialDate
from benchmarkkit._scales import StatusScale
from benchmarkkit._vocabulary import (
    ActorKind,
    BenchmarkOrigin,
    BenchmarkType,
    Direction,
    EvidenceDirection,
    IndicatorKind,
    Reliability,
    SourceKind,
    StandardKind,
)

__all__ = [
    "SCHEMA_VERSION",
    "Actor",
    "Area",
    "Assessment",
    "Benchmark",
    "Commitment",
    "Dataset",
    "Evidence",
    "Indicator",
    "IndicatorValue",
    "Measurement",
    "Reading",
    "Source",
    "Standard",
]

#: The version of the format this library reads and writes.
SCHEMA_VERSION = "1.0"

IndicatorValue = bool | int | float | str
"""A value of an indicator: ``true``/``false``, a number, or an ordinal level."""

_weight = attrs.validators.ge(0.0)


@attrs.frozen(kw_only=True)
class Actor:
    """A state, body, organisation, court or person that appears in the dataset.

    ``part_of`` links an actor to the one it belongs to or acts for (the High
    Representative to the EU, a court to its state).
    """

    id: str
    name: str
    kind: ActorKind
    short_name: str | None = None
    part_of: str | None = None
    role: str | None = None
    description: str | None = None
    url: str | None = None


@attrs.frozen(kw_only=True)
class Source:
    """A document that evidence, commitments or demands are taken from.

    ``archive`` is the path, relative to the dataset folder, of a plain-text
    copy of the document shipped with the dataset; quotes from the source are
    verified against it. ``cited_in`` names the source through which this one
    is known when the dataset has no copy of its own (a resolution quoted in
    an appeal, say).
    """

    id: str
    title: str
    kind: SourceKind
    publishers: tuple[str, ...] = ()
    date: PartialDate | None = None
    places: tuple[str, ...] = ()
    url: str | None = None
    archive: str | None = None
    cited_in: str | None = None
    reliability: Reliability = Reliability.UNKNOWN
    description: str | None = None


@attrs.frozen(kw_only=True)
class Standard:
    """An international norm a benchmark rests on: a treaty article, a recommendation."""

    id: str
    title: str
    kind: StandardKind
    instrument: str | None = None
    provision: str | None = None
    body: str | None = None
    source: str | None = None
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
    actor: str
    addressees: tuple[str, ...] = ()
    date: PartialDate | None = None
    made_in: str | None = None
    source: str | None = None
    locator: str | None = None
    quote: str | None = None
    summary: str | None = None
    deadline: PartialDate | None = None


@attrs.frozen(kw_only=True)
class Area:
    """A theme that groups benchmarks, such as "Freedom of religion"."""

    id: str
    title: str
    description: str | None = None
    weight: float = attrs.field(default=1.0, converter=float, validator=_weight)
    source: str | None = None
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
    area: str
    type: BenchmarkType
    origin: BenchmarkOrigin = BenchmarkOrigin.STATED_IN_SOURCE
    commitments: tuple[str, ...] = ()
    standards: tuple[str, ...] = ()
    demanded_by: tuple[str, ...] = ()
    responsible: tuple[str, ...] = ()
    deadline: PartialDate | None = None
    weight: float = attrs.field(default=1.0, converter=float, validator=_weight)
    rationale: str | None = None


@attrs.frozen(kw_only=True)
class Measurement:
    """A value of an indicator, used for its baseline and target.

    ``date`` is when the value held (a baseline) or should hold (a target);
    a target without a date has no deadline.
    """

    value: IndicatorValue
    date: PartialDate | None = None
    source: str | None = None
    note: str | None = None


@attrs.frozen(kw_only=True)
class Indicator:
    """How a benchmark is measured.

    A ``boolean`` indicator is met or not; an ``ordinal`` one moves through
    ``levels`` (listed from worst to best); a ``numeric`` one has a ``unit``
    and a ``direction``. ``baseline`` and ``target`` are dated measurements.
    """

    id: str
    benchmark: str
    title: str
    kind: IndicatorKind
    unit: str | None = None
    direction: Direction | None = None
    levels: tuple[str, ...] = ()
    baseline: Measurement | None = None
    target: Measurement | None = None
    weight: float = attrs.field(default=1.0, converter=float, validator=_weight)
    description: str | None = None


@attrs.frozen(kw_only=True)
class Reading:
    """A value of an indicator that a piece of evidence reports."""

    indicator: str
    value: IndicatorValue


@attrs.frozen(kw_only=True)
class Evidence:
    """A dated observation from a source, bearing on one or more benchmarks.

    ``quote`` is verbatim from the source and is checked against its archived
    text; ``locator`` says where in the source it stands ("para. 3", "p. 2").
    ``reliability`` overrides the source's own grade when given. Sources may
    disagree; that is data, not an error.
    """

    id: str
    source: str
    date: PartialDate
    benchmarks: tuple[str, ...]
    direction: EvidenceDirection
    summary: str
    locator: str | None = None
    quote: str | None = None
    actors: tuple[str, ...] = ()
    readings: tuple[Reading, ...] = ()
    reliability: Reliability | None = None


@attrs.frozen(kw_only=True)
class Assessment:
    """A judgement of a benchmark's status as of a date, on a named scale.

    Leaving out ``level`` records, explicitly, that the benchmark could not
    be assessed as of that date; ``rationale`` then says why.
    """

    id: str
    benchmark: str
    as_of: PartialDate
    scale: str
    assessor: str
    rationale: str
    level: str | None = None
    evidence: tuple[str, ...] = ()


@attrs.frozen(kw_only=True)
class Dataset:
    """A complete benchmark dataset: its description and every record in it.

    ``include`` lists glob patterns of the files that make up a dataset kept
    as a folder; it is empty for a single-file dataset and for a folder
    whose every data file belongs to the dataset.
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
    scoring: ScoringConfig | None = None
    scales: tuple[StatusScale, ...] = ()
    actors: tuple[Actor, ...] = ()
    sources: tuple[Source, ...] = ()
    standards: tuple[Standard, ...] = ()
    commitments: tuple[Commitment, ...] = ()
    areas: tuple[Area, ...] = ()
    benchmarks: tuple[Benchmark, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    gates: tuple[Gate, ...] = ()


#: The record collections of a dataset, in the order they are written, with their classes.
COLLECTIONS: dict[str, type] = {
    "scales": StatusScale,
    "actors": Actor,
    "sources": Source,
    "standards": Standard,
    "commitments": Commitment,
    "areas": Area,
    "benchmarks": Benchmark,
    "indicators": Indicator,
    "evidence": Evidence,
    "assessments": Assessment,
    "gates": Gate,
}

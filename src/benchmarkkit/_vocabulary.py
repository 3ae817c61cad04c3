"""The closed vocabularies of the format: kinds, directions, reliability grades."""

from __future__ import annotations

import enum
import types
from collections.abc import Mapping

__all__ = [
    "UPR_POSITIONS",
    "ActorKind",
    "ArchiveKind",
    "BenchmarkOrigin",
    "BenchmarkType",
    "Direction",
    "EvidenceDirection",
    "IndicatorKind",
    "Mechanism",
    "Position",
    "Reliability",
    "SourceKind",
    "StandardKind",
]


class _Vocabulary(str, enum.Enum):
    """A closed list of words; the JSON value is the member's value."""

    def __str__(self) -> str:
        return str(self.value)


class ActorKind(_Vocabulary):
    """What sort of actor a record describes."""

    STATE = "state"
    GOVERNMENT = "government"
    HEAD_OF_STATE = "head-of-state"
    PARLIAMENT = "parliament"
    COURT = "court"
    INTERGOVERNMENTAL = "intergovernmental"
    OFFICIAL = "official"
    NGO = "ngo"
    PERSON = "person"
    OTHER = "other"


class SourceKind(_Vocabulary):
    """What sort of document a source is."""

    APPEAL = "appeal"
    REPORT = "report"
    BRIEFING = "briefing"
    STATEMENT = "statement"
    RESOLUTION = "resolution"
    LAW = "law"
    POLICY = "policy"
    COMMITMENT = "commitment"
    COURT_DECISION = "court-decision"
    MEDIA = "media"
    OTHER = "other"


class StandardKind(_Vocabulary):
    """What sort of norm a standard is."""

    TREATY_PROVISION = "treaty-provision"
    RECOMMENDATION = "recommendation"
    POLITICAL_COMMITMENT = "political-commitment"
    GUIDELINE = "guideline"
    OTHER = "other"


class BenchmarkType(_Vocabulary):
    """The OHCHR indicator framework's three kinds of condition (HR/PUB/12/5)."""

    STRUCTURAL = "structural"
    """Laws, institutions and policies are in place."""
    PROCESS = "process"
    """Efforts and practice: what duty bearers do."""
    OUTCOME = "outcome"
    """Results: the enjoyment of the right."""


class BenchmarkOrigin(_Vocabulary):
    """Who formulated a benchmark."""

    STATED_IN_SOURCE = "stated-in-source"
    """A source states the benchmark; its wording comes from there."""
    EDITOR_PROPOSAL = "editor-proposal"
    """The dataset's editors formulated it from the concerns in the sources."""


class IndicatorKind(_Vocabulary):
    """How an indicator measures its benchmark."""

    BOOLEAN = "boolean"
    ORDINAL = "ordinal"
    NUMERIC = "numeric"


class Direction(_Vocabulary):
    """Which way an ordinal or numeric indicator improves."""

    HIGHER_IS_BETTER = "higher-is-better"
    LOWER_IS_BETTER = "lower-is-better"


class EvidenceDirection(_Vocabulary):
    """Which way a piece of evidence points."""

    PROGRESS = "progress"
    REGRESSION = "regression"
    NO_CHANGE = "no-change"
    MIXED = "mixed"


class Reliability(_Vocabulary):
    """The HURIDOCS source-reliability grades."""

    HIGHLY_RELIABLE = "highly-reliable"
    LIKELY_RELIABLE = "likely-reliable"
    UNSURE = "unsure"
    LIKELY_UNRELIABLE = "likely-unreliable"
    HIGHLY_UNRELIABLE = "highly-unreliable"
    UNKNOWN = "unknown"


class Mechanism(_Vocabulary):
    """The mechanism a recommendation comes from."""

    UPR = "upr"
    """The Universal Periodic Review of the UN Human Rights Council."""
    TREATY_BODY = "treaty-body"
    """A UN treaty body, such as the Human Rights Committee, in its concluding observations."""
    SPECIAL_PROCEDURE = "special-procedure"
    """A special rapporteur, independent expert or working group of the Human Rights Council."""
    PARLIAMENT = "parliament"
    """A parliament, such as the European Parliament in a resolution."""
    INTERGOVERNMENTAL_BODY = "intergovernmental-body"
    """Another intergovernmental body or its monitors: OSCE/ODIHR, the Council of Europe."""
    NGO = "ngo"
    """A non-governmental organisation."""
    OTHER = "other"
    """Any other mechanism."""


class Position(_Vocabulary):
    """The position a response takes on a recommendation.

    The UPR's own words map onto these: "accepted", "supported" and "enjoys the
    support" are ``supported``; "noted", "not accepted" and "not supported" are
    ``noted``, or ``rejected`` where the State says it rejects the recommendation;
    "partially accepted" is ``partially-supported``; "considered", "to be
    examined" or "will be examined" is ``pending``.
    """

    SUPPORTED = "supported"
    PARTIALLY_SUPPORTED = "partially-supported"
    NOTED = "noted"
    REJECTED = "rejected"
    PENDING = "pending"
    NO_RESPONSE = "no-response"


#: The UPR's own words for a response (lower case, single spaces), and the position
#: each is. :class:`Position`'s docstring and the schema's description of a response's
#: position say the same (a test holds them to this table); validation suggests the
#: position for a UPR word written where a position belongs. "noted" may also be
#: ``rejected`` where the State says it rejects the recommendation.
UPR_POSITIONS: Mapping[str, Position] = types.MappingProxyType(
    {
        "accepted": Position.SUPPORTED,
        "supported": Position.SUPPORTED,
        "enjoys the support": Position.SUPPORTED,
        "noted": Position.NOTED,
        "not accepted": Position.NOTED,
        "not supported": Position.NOTED,
        "partially accepted": Position.PARTIALLY_SUPPORTED,
        "considered": Position.PENDING,
        "to be examined": Position.PENDING,
        "will be examined": Position.PENDING,
    }
)


class ArchiveKind(_Vocabulary):
    """What a source's archived text is, and so what a quote checked against it is.

    A quote is verified against the archived text whatever its kind: its words
    must occur there. For a translation that means they occur in the translation,
    not in the original; for notes or a paraphrase, in the notes. Reports show a
    quote from anything but a verbatim copy as taken from that kind of text, not
    in quotation marks as the source's own words.
    """

    VERBATIM = "verbatim"
    """A copy of the source's own words (the default)."""
    EXTRACTED_TEXT = "extracted-text"
    """The source's words as extracted from a PDF or scan: layout, line breaks or
    hyphenation may be lost, and extraction may have garbled words."""
    TRANSLATION = "translation"
    """A translation of the source into another language, not the source's own words."""
    NOTES = "notes"
    """Notes taken from the source, in the note-taker's words."""
    PARAPHRASE = "paraphrase"
    """The source's content retold in other words."""

"""How every renderer writes scores, verdicts and statuses, so that all formats say the same."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarkkit.scoring._results import BenchmarkResult, RecommendationCounts

__all__ = [
    "NOT_ASSESSABLE",
    "POSITION_HEADINGS",
    "change_sentence",
    "change_texts",
    "implemented_text",
    "met_text",
    "score_text",
    "status_text",
]

#: What a score of ``None`` is called: never a silent zero.
NOT_ASSESSABLE = "not assessable"


def score_text(score: float | None) -> str:
    """Write a score in [0, 1] with two decimals, or ``not assessable``."""
    return NOT_ASSESSABLE if score is None else f"{score:.2f}"


def change_texts(before: float | None, after: float | None) -> tuple[str, str]:
    """Write two scores of a change; with more decimals where two would hide it."""
    for decimals in (2, 3, 4, 6):
        texts = tuple(
            NOT_ASSESSABLE if score is None else f"{score:.{decimals}f}"
            for score in (before, after)
        )
        if texts[0] != texts[1] or before == after:
            break
    return texts[0], texts[1]


_SUBJECTS = {
    "overall": "The overall score",
    "area": "Area",
    "benchmark": "Benchmark",
    "gate": "Gate",
}
_VERDICTS = {"pass": "passing", "fail": "failing", "undetermined": "undetermined", "-": "absent"}
_VERBS = {
    "improved": "improved",
    "regressed": "regressed",
    "new": "became assessable",
    "no-longer-assessable": "is no longer assessable",
}
_GATE_VERBS = {"new": "became determined", "no-longer-assessable": "is no longer determined"}


def change_sentence(subject: str, title: str, kind: str, before: str, after: str) -> str:
    """Say in one sentence how a score or a gate's verdict changed, naming what changed.

    ``subject`` is ``overall``, ``area``, ``benchmark`` or ``gate``; ``kind`` a
    :class:`~benchmarkkit.scoring.ChangeKind` value; ``before`` and ``after`` the
    scores as written (a gate's: its verdicts, ``pass``, ``fail`` or ``undetermined``).
    """
    what = _SUBJECTS.get(subject, subject.capitalize())
    if subject != "overall":
        what = f"{what} \u201c{title}\u201d"
    if subject == "gate":
        before, after = _VERDICTS.get(before, before), _VERDICTS.get(after, after)
    if kind == "unchanged":
        return f"{what} is unchanged at {after}."
    if kind == "different-kind":
        return (
            f"{what} has scores of different kinds, {before} then {after} (one provisional, "
            "from the evidence, the other assessed), so the difference is not a change."
        )
    verbs = {**_VERBS, **_GATE_VERBS} if subject == "gate" else _VERBS
    verb = verbs.get(kind, f"changed ({kind.replace('-', ' ')})")
    return f"{what} {verb}, from {before} to {after}."


def met_text(met: bool | None) -> str:  # noqa: FBT001 - a value to word, not a flag
    """Write ``yes``, ``no``, or ``-`` when the benchmark is not assessable."""
    if met is None:
        return "-"
    return "yes" if met else "no"


def status_text(result: BenchmarkResult) -> str:
    """Write the level an assessment stated, and whether the score is provisional."""
    parts = []
    if result.status is not None:
        parts.append(result.status.label)
    if result.provisional:
        parts.append("provisional (from evidence)")
    return ", ".join(parts) or "-"


#: The columns of a table of recommendations: each position, under a short heading.
POSITION_HEADINGS = (
    ("supported", "Supported"),
    ("partially-supported", "Partly"),
    ("noted", "Noted"),
    ("rejected", "Rejected"),
    ("pending", "Pending"),
    ("no-response", "No response"),
)


def implemented_text(group: RecommendationCounts) -> str:
    """How many of a group's supported recommendations are implemented, of those assessed."""
    done = group.implementation
    if done.taken_on == 0:
        return "-"
    if done.assessed == 0:
        return f"none of {done.taken_on} assessed"
    return f"{done.fully_implemented} of {done.assessed} assessed"

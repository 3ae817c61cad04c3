"""Generate realistic synthetic datasets for the performance harness.

A dataset of N evidence items has, in proportion, N/20 actors, N/20 sources
(half of them with an archived text in ``sources/``, the other half known
through one of those, ``cited_in``), N/100 standards, N/20 commitments,
N/1000 areas (at least 5), N/20 benchmarks and as many indicators, N/10
assessments and N/1000 gates (at least 3). Every evidence item, commitment
and gate quotes its source, as in the field's large collections, where each
recommendation is quoted from its report. The sizes are 1k, 10k, 100k and
270k (the Universal Human Rights Index's 270,000 recommendations), or any
number.

Archived texts are as hard as real ones (issue 16). They are laid out as
extracted PDF text is: lines of at most 72 characters, blank lines between
some paragraphs, and about one line in eighteen ending in a word broken across
the break: hyphenated (``journ-`` then ``alist``) or, for a word with a hyphen
of its own, after it (``follow-`` then ``up``). One word in 67 is a name, a
place or a word of the region's languages, accented or Cyrillic (``Жанаозен``,
``правозащитник``, ``Şahin``, ``Gökçe``, ``coopération``), one in a
hundred has a hyphen of its own, and about one in seventy is in curly quotes
(``“...”``) or ends in a curly apostrophe and s. A text holds 400 to 1,600
words (about 9 KB, 23 MB for 100k evidence items).

Every quote is a run of 8 to 30 words of its source's text, copied the way
editors copy: one in five pasted from the PDF, line breaks, line-end hyphens
and curly quotes as they are; the others typed or cleaned up on one line,
words broken at a line end whole again (with their own hyphen, if they have
one), three in four of them with straight quotes and one in four with the
text's curly ones. One in ten (of those long enough) leaves words out with
"...". A quote that crosses both a hyphenated word and a word broken after
its own hyphen is pasted (one reading of line-end hyphens applies to a whole
quote). The mix this makes, in percent of the quotes at 100k (105,100 quotes;
a quote can be of several kinds; the generator prints it, and writes it
beside the dataset):

- 43.5 plain: ASCII on one line, without a hyphen or "..." (before issue 16,
  every quote was plain but the tenth with "...": the easiest path);
- 20.0 with line breaks (pasted), 2.9 of them keeping a line-end hyphen;
- 10.8 typed across a word broken at a line end, whole again;
- 20.0 with a hyphen of any kind;
- 16.1 with accented Latin letters, 10.1 with Cyrillic letters;
- 9.8 with curly quotes or apostrophes;
- 8.4 with words left out as "...".

The dataset is one pretty-printed JSON file, so that its parse time is the
floor the harness compares with: about 96 MB for 100k evidence items, 259 MB
for 270k. It is written as it is encoded, so a size takes about 3.5 times the
JSON's size in memory (270k: 22 s of CPU, 0.9 GB at the peak).

``--broken`` writes a variant with problems scattered through the file, of
every kind the schema, the references, the dates, the indicator values and
the quotes can have: one of each kind per 500 evidence items, each on a
record of its own so that each gives exactly one problem (an assessment
dated too early gives one per evidence item it cites). The expected count of
each problem code is written beside it, in ``expected.json``.

    python benchmarks/generate.py [1k 10k 100k 270k] [--broken] [--out benchmarks/data]

Writes ``<out>/<size>/dataset.json`` (``<size>-broken`` with ``--broken``),
its ``sources/`` and, for the broken variant, ``expected.json``; then
``<out>/<size>.generator.json``, the version of the generator and the mix.
The same size and variant always give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import time
from array import array
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
#: Changed whenever the datasets it writes change: folders of another version are written again.
VERSION = 2
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "270k": 270_000}

# A paragraph of words reads better than two hundred quoted strings.
WORDS = """
the authorities detained journalist after report court ruling protest rights village women
children water access health education freedom assembly expression torture detention released
ministry company land eviction opposition party election commission parliament adopted
amendments legislation registration religious communities prosecutor investigation allegations
police officers custody lawyer defendant sentenced prison conditions monitoring independent
media outlets broadcasting licence blocked websites internet government officials promised
reform implementation recommendations international standards obligations national strategy
action plan human rights defenders harassment surveillance civil society organisations funding
foreign agents association peaceful demonstrators dispersed fined arrested charged extremism
criminal code article provisions restrictions minority language schools teachers students
university academic publication newspaper editor closed suspended appeal upheld rejected
complaint ombudsman office visited facilities observed found insufficient progress limited
steps taken remains concerned urged ensure guarantee protect respect fulfil adopt repeal amend
review within months year since following during before announced decree regulation procedure
transparent fair trial hearing judges judiciary independence budget allocation resources
displaced persons refugees asylum migrants workers labour union strike wages pension social
security housing evictions compensation victims
""".split()  # noqa: SIM905
_SOURCE_KINDS = ("report", "statement", "briefing", "resolution", "media", "appeal")
_ACTOR_KINDS = ("state", "government", "ngo", "intergovernmental", "court", "official")
_RELIABILITY = ("highly-reliable", "likely-reliable", "unsure", "unknown")
_DIRECTIONS = ("progress", "regression", "no-change", "mixed")
_LEVELS = ("not-started", "limited", "substantial", "complete")
# Names, places and words of the region's languages, accented and Cyrillic, as reports on it
# print them; and words with a hyphen of their own, which a line end may break after it.
NAMES = """
Жанаозен Казахстан правозащитник Алматы Астана журналист оппозиция свобода собраний приговор
Жаңаөзен Қазақстан Нұр-Сұлтан Özgür Gökçe Şahin Diyarbakır Işıl Ağrı Gülnara Ömer Çelik İzmir
Düzce Şırnak défenseur société François Médecins Genève coopération réunion procès arrêté
""".split()  # noqa: SIM905, RUF001 (the dotless i of Turkish: on purpose)
COMPOUNDS = """
follow-up long-term non-governmental so-called pre-trial state-owned well-known re-register
large-scale human-rights decision-making self-censorship
""".split()  # noqa: SIM905
_LINE_WIDTH = 72
_HYPHENATED = 0.1  # the share of long words at a line end broken with a hyphen
_AT_HYPHEN_SHARE = 0.5  # the share of hyphenated words at a line end broken after their hyphen
_NAME_SHARE = 0.015  # the share of a text's words taken from NAMES
_COMPOUND_SHARE = 0.01  # ... and from COMPOUNDS
# How quotes are copied (the module docstring gives the mix these make).
_PASTED_SHARE = 0.2  # pasted from the PDF with its line breaks and hyphens
_CURLY_KEPT_SHARE = 0.25  # of the others, typed with the text's curly quotes kept
_GAP_SHARE = 0.1  # with words left out as "..."
_STRAIGHT = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2019": "'"})
_WHOLE, _SPLIT, _AT_HYPHEN = 0, 1, 2  # how a line end broke a word: not, hyphenated, at its hyphen


def size_of(name: str) -> int:
    """The number of evidence items a size name stands for: ``1k``, ``10k``, ``2500``..."""
    if name in SIZES:
        return SIZES[name]
    return int(name.lower().replace("k", "000"))


class _Text:
    """An archived source text, where each of its words is, and quotes drawn from it."""

    def __init__(self, rng: random.Random, words: int) -> None:
        tokens: list[str] = []
        sentence_start = True
        for _ in range(words):
            roll = rng.random()
            if roll < _NAME_SHARE:
                word = rng.choice(NAMES)  # written as the report does: never recapitalised
            elif roll < _NAME_SHARE + _COMPOUND_SHARE:
                word = rng.choice(COMPOUNDS)
            else:
                word = rng.choice(WORDS)
            if sentence_start and word.islower():
                word = word.capitalize()
            sentence_start = False
            roll = rng.random()
            if roll < 0.06:
                word += "."
                sentence_start = True
            elif roll < 0.12:
                word += ","
            elif roll < 0.13:
                word = f"\u201c{word}\u201d"
            elif roll < 0.135 and word.isalpha():
                word += "\u2019s"  # a curly apostrophe
            tokens.append(word)
        self.tokens = tokens
        # Where each token is in the text, and how a line end broke it (_WHOLE, _SPLIT, _AT_HYPHEN).
        self.starts = array("l")
        self.ends = array("l")
        self.breaks = bytearray()
        self.text = self._lay_out(rng)

    def _lay_out(self, rng: random.Random) -> str:
        """Short lines, paragraphs, and words hyphenated at line ends, as PDF text is."""
        pieces: list[str] = []
        offset = 0
        line = 0  # the length of the line being written

        def put(piece: str) -> None:
            nonlocal offset
            pieces.append(piece)
            offset += len(piece)

        for index, token in enumerate(self.tokens):
            if line and line + 1 + len(token) > _LINE_WIDTH:
                cut = _line_end_cut(rng, token)
                if cut:
                    put(" ")
                    self.starts.append(offset)
                    put(
                        f"{token[:cut]}\n{token[cut:]}"
                        if token[cut - 1] == "-"
                        else f"{token[:cut]}-\n{token[cut:]}"
                    )
                    self.ends.append(offset)
                    self.breaks.append(_AT_HYPHEN if token[cut - 1] == "-" else _SPLIT)
                    line = len(token) - cut
                    continue
                put("\n")
                if index % 120 < 10 and rng.random() < 0.2:
                    put("\n")  # a paragraph break
                line = 0
            elif line:
                put(" ")
                line += 1
            self.starts.append(offset)
            put(token)
            self.ends.append(offset)
            self.breaks.append(_WHOLE)
            line += len(token)
        put("\n")
        return "".join(pieces)

    def quote(self, rng: random.Random, mix: Counter[str]) -> str:
        """A run of 8 to 30 words, copied the way an editor would (see the module docstring).

        Counts the kinds of the quote (:func:`quote_kinds`) in ``mix``.
        """
        length = rng.randint(8, 30)
        start = rng.randrange(max(1, len(self.tokens) - length - 12))
        runs = [(start, start + length)]
        if rng.random() < _GAP_SHARE and length >= 12:
            gap, cut = rng.randint(2, 6), length // 2
            runs = [(start, start + cut), (start + cut + gap, start + length + gap)]
        breaks = {self.breaks[i] for first, last in runs for i in range(first, last)}
        if rng.random() < _PASTED_SHARE or {_SPLIT, _AT_HYPHEN} <= breaks:
            # Pasted from the PDF: its line breaks, line-end hyphens and curly quotes kept
            # (a quote read another way could not join one line-end hyphen and keep another).
            parts = [self.text[self.starts[first] : self.ends[last - 1]] for first, last in runs]
        else:
            # Typed or cleaned up: one line, words broken at a line end whole again.
            parts = [" ".join(self.tokens[first:last]) for first, last in runs]
            if rng.random() >= _CURLY_KEPT_SHARE:
                parts = [part.translate(_STRAIGHT) for part in parts]
            if breaks - {_WHOLE}:
                mix[TYPED_ACROSS] += 1
        quote = " ... ".join(parts).rstrip(",")
        mix.update(quote_kinds(quote))
        mix[QUOTES] += 1
        return quote


#: The kinds of quote the mix counts; a quote can be of several. PLAIN is the easiest kind, the
#: one every quote was before issue 16: ASCII on one line, without a hyphen or an ellipsis.
PLAIN = "plain: ASCII, one line, no hyphen, no '...'"
QUOTES = "quotes"  # the key of the count of all quotes in a mix
TYPED_ACROSS = "typed across a line-end hyphen (word whole again)"
_ACCENTED = re.compile(r"[\u00c0-\u024f]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_CURLY = re.compile("[\u2018\u2019\u201c\u201d]")
_KINDS: tuple[tuple[str, Callable[[str], bool]], ...] = (
    ("accented Latin letters", lambda quote: _ACCENTED.search(quote) is not None),
    ("Cyrillic letters", lambda quote: _CYRILLIC.search(quote) is not None),
    ("curly quotes or apostrophes", lambda quote: _CURLY.search(quote) is not None),
    ("line breaks (pasted from the PDF)", lambda quote: "\n" in quote),
    ("a line-end hyphen kept (pasted)", lambda quote: "-\n" in quote),
    ("a hyphen (any)", lambda quote: "-" in quote),
    ("words left out with '...'", lambda quote: "..." in quote),
)


def quote_kinds(quote: str) -> list[str]:
    """The kinds of ``quote`` that its text shows (all but TYPED_ACROSS)."""
    kinds = [kind for kind, test in _KINDS if test(quote)]
    if quote.isascii() and "\n" not in quote and "-" not in quote and "..." not in quote:
        kinds.append(PLAIN)
    return kinds


def _line_end_cut(rng: random.Random, token: str) -> int:
    """Where a line end breaks ``token`` (after a hyphen of its own, or hyphenating it), or 0."""
    if "-" in token and token.replace("-", "").isalpha() and rng.random() < _AT_HYPHEN_SHARE:
        return token.index("-") + 1
    if token.isalpha() and len(token) >= 8 and rng.random() < _HYPHENATED:
        return len(token) // 2
    return 0


def _date(rng: random.Random, first: int = 2010, last: int = 2023) -> str:
    """A date written as a year (5 %), a month (10 %) or a day."""
    year = rng.randint(first, last)
    roll = rng.random()
    if roll < 0.05:
        return str(year)
    if roll < 0.15:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _first_day(date: str) -> str:
    """The first day a partial date stands for, written YYYY-MM-DD."""
    return (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10]


class _Builder:
    """Draws the records of one dataset, each collection in proportion to the evidence."""

    def __init__(self, count: int, seed: int) -> None:
        self.rng = random.Random(seed + count)
        self.count = count
        self.n_actors = max(10, count // 20)
        self.n_sources = max(10, count // 20)
        self.n_archived = max(5, self.n_sources // 2)
        self.n_standards = max(5, count // 100)
        self.n_commitments = max(10, count // 20)
        self.n_areas = max(5, count // 1000)
        self.n_benchmarks = max(10, count // 20)
        self.texts: dict[str, _Text] = {}
        self.mix: Counter[str] = Counter()  # the kinds of the quotes drawn, and "quotes"
        self.sources: list[dict[str, Any]] = []

    def sentence(self, words: int) -> str:
        text = " ".join(self.rng.choice(WORDS) for _ in range(words))
        return text[0].upper() + text[1:] + "."

    def ref(self, prefix: str, size: int) -> str:
        return f"{prefix}-{self.rng.randrange(size)}"

    def quoted(self, record: dict[str, Any]) -> None:
        """Give ``record`` a source, a locator and a quote from that source's text."""
        index = self.rng.randrange(self.n_sources)
        holder = self.sources[index].get("cited_in", f"src-{index}")
        record["source"] = f"src-{index}"
        record["locator"] = f"p. {self.rng.randint(1, 40)}, para. {self.rng.randint(1, 12)}"
        record["quote"] = self.texts[holder].quote(self.rng, self.mix)

    def actors(self) -> list[dict[str, Any]]:
        rng, actors = self.rng, []
        for i in range(self.n_actors):
            actor = {"id": f"act-{i}", "name": self.sentence(3)[:-1].title()}
            actor["kind"] = rng.choice(_ACTOR_KINDS)
            if i > 10 and rng.random() < 0.2:
                actor["part_of"] = self.ref("act", i)
            if rng.random() < 0.3:
                actor["short_name"] = f"A{i}"
            actors.append(actor)
        return actors

    def archived_sources(self) -> dict[str, str]:
        """Draw the sources; return the archived texts by file name."""
        rng, archives = self.rng, {}
        for i in range(self.n_sources):
            source: dict[str, Any] = {
                "id": f"src-{i}",
                "title": self.sentence(8)[:-1],
                "kind": rng.choice(_SOURCE_KINDS),
                "publishers": [self.ref("act", self.n_actors)],
                "date": _date(rng),
                "url": f"https://example.org/documents/{i}",
                "reliability": rng.choice(_RELIABILITY),
            }
            if i < self.n_archived:
                source["archive"] = f"sources/src-{i}.txt"
                self.texts[source["id"]] = _Text(rng, rng.randint(400, 1600))
                archives[source["archive"]] = self.texts[source["id"]].text
            else:
                source["cited_in"] = self.ref("src", self.n_archived)
            self.sources.append(source)
        return archives

    def standards(self) -> list[dict[str, Any]]:
        return [
            {
                "id": f"std-{i}",
                "title": self.sentence(6)[:-1],
                "kind": self.rng.choice(("treaty-provision", "recommendation", "guideline")),
                "instrument": "International Covenant on Civil and Political Rights",
                "provision": f"Article {self.rng.randint(1, 27)}",
                "body": self.ref("act", self.n_actors),
                "source": self.ref("src", self.n_sources),
            }
            for i in range(self.n_standards)
        ]

    def commitments(self) -> list[dict[str, Any]]:
        commitments = []
        for i in range(self.n_commitments):
            commitment: dict[str, Any] = {
                "id": f"com-{i}",
                "title": self.sentence(7)[:-1],
                "actor": self.ref("act", self.n_actors),
                "addressees": [self.ref("act", self.n_actors)],
                "date": _date(self.rng, 2008, 2012),
                "made_in": self.ref("src", self.n_sources),
            }
            self.quoted(commitment)
            commitment["summary"] = self.sentence(20)
            commitments.append(commitment)
        return commitments

    def areas(self) -> list[dict[str, Any]]:
        return [
            {
                "id": f"area-{i}",
                "title": self.sentence(3)[:-1],
                "description": self.sentence(15),
                "weight": self.rng.choice((1, 1, 2, 0.5)),
            }
            for i in range(self.n_areas)
        ]

    def benchmarks(self) -> list[dict[str, Any]]:
        rng, benchmarks = self.rng, []
        for i in range(self.n_benchmarks):
            benchmark: dict[str, Any] = {
                "id": f"bm-{i}",
                "title": self.sentence(6)[:-1],
                "statement": self.sentence(25),
                "area": f"area-{i % self.n_areas}",
                "type": rng.choice(("structural", "process", "outcome")),
                "commitments": sorted({self.ref("com", self.n_commitments) for _ in range(2)}),
                "standards": [self.ref("std", self.n_standards)],
                "demanded_by": [self.ref("act", self.n_actors)],
                "responsible": [self.ref("act", self.n_actors)],
            }
            if rng.random() < 0.3:
                benchmark["deadline"] = _date(rng, 2024, 2030)
            benchmarks.append(benchmark)
        return benchmarks

    def indicators(self) -> list[dict[str, Any]]:
        """One indicator per benchmark, of each kind in turn, with a baseline and a target."""
        rng, indicators = self.rng, []
        for i in range(self.n_benchmarks):
            kind = ("boolean", "numeric", "ordinal")[i % 3]
            indicator: dict[str, Any] = {
                "id": f"ind-{i}",
                "benchmark": f"bm-{i}",
                "title": self.sentence(8)[:-1],
                "kind": kind,
            }
            values: tuple[Any, Any] = (False, True)
            if kind == "numeric":
                indicator["unit"] = "persons"
                indicator["direction"] = "lower-is-better"
                values = (rng.randint(50, 500), rng.randint(0, 40))
            elif kind == "ordinal":
                indicator["direction"] = "higher-is-better"
                indicator["levels"] = ["none", "partial", "full"]
                values = ("none", "full")
            indicator["baseline"] = {
                "value": values[0],
                "date": f"{rng.randint(2008, 2011)}-01-01",
                "source": self.ref("src", self.n_sources),
            }
            indicator["target"] = {"value": values[1], "date": f"{rng.randint(2024, 2030)}-12-31"}
            indicators.append(indicator)
        return indicators

    def evidence(self, indicators: list[dict[str, Any]]) -> list[dict[str, Any]]:
        rng, evidence = self.rng, []
        for i in range(self.count):
            item: dict[str, Any] = {"id": f"ev-{i}"}
            self.quoted(item)
            # Evidence is dated on or before the source that reports it (evidence-after-source).
            published = int(self.sources[int(item["source"][4:])]["date"][:4])
            item["date"] = _date(rng, last=published - 1) if published > 2010 else "2010"
            bearing = {self.ref("bm", self.n_benchmarks) for _ in range(rng.randint(1, 3))}
            item["benchmarks"] = sorted(bearing)
            item["direction"] = rng.choice(_DIRECTIONS)
            item["actors"] = sorted({self.ref("act", self.n_actors) for _ in range(2)})
            item["summary"] = self.sentence(rng.randint(18, 45))
            if rng.random() < 0.1:
                measured = indicators[int(item["benchmarks"][0][3:])]
                value = {"boolean": rng.random() < 0.5, "numeric": rng.randint(0, 400)}.get(
                    measured["kind"], rng.choice(("none", "partial", "full"))
                )
                item["readings"] = [{"indicator": measured["id"], "value": value}]
            if rng.random() < 0.05:
                item["reliability"] = rng.choice(_RELIABILITY)
            evidence.append(item)
        return evidence

    def assessments(self, evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Assessments of benchmarks, each citing evidence on its benchmark dated before it."""
        rng = self.rng
        by_benchmark: dict[str, list[dict[str, Any]]] = {}
        for item in evidence:
            for ref in item["benchmarks"]:
                by_benchmark.setdefault(ref, []).append(item)
        assessments = []
        for i in range(max(10, self.count // 10)):
            ref = self.ref("bm", self.n_benchmarks)
            pool = by_benchmark.get(ref, [])
            cited = rng.sample(pool, min(len(pool), rng.randint(1, 4)))
            latest = max((_first_day(item["date"]) for item in cited), default="2012-01-01")
            assessments.append(
                {
                    "id": f"as-{i}",
                    "benchmark": ref,
                    "as_of": latest if rng.random() < 0.5 else f"{int(latest[:4]) + 1}-06-30",
                    "scale": "ogp-completion" if i % 2 else "editors-status",
                    "assessor": f"Reviewer {i % 17}",
                    "rationale": self.sentence(20),
                    "level": rng.choice(_LEVELS),
                    "evidence": sorted(item["id"] for item in cited),
                }
            )
        return assessments

    def gates(self) -> list[dict[str, Any]]:
        """Gates whose conditions nest all-of, at-least and any-of over benchmarks and areas."""
        gates = []
        for i in range(max(3, self.count // 1000)):
            leaves: list[dict[str, Any]] = []
            for j in range(4):
                leaf: dict[str, Any] = {"kind": "benchmark"}
                leaf["benchmark"] = self.ref("bm", self.n_benchmarks)
                if j % 2:
                    leaf["minimum_score"] = 0.5
                else:
                    leaf["scale"], leaf["minimum_level"] = "ogp-completion", "substantial"
                leaves.append(leaf)
            area = {"kind": "area", "area": f"area-{i % self.n_areas}", "minimum_score": 0.6}
            gate: dict[str, Any] = {
                "id": f"gate-{i}",
                "title": self.sentence(5)[:-1],
                "condition": {
                    "kind": "all-of",
                    "conditions": [
                        {"kind": "at-least", "count": 2, "conditions": leaves[:3]},
                        {"kind": "any-of", "conditions": [leaves[3], area]},
                    ],
                },
                "demanded_by": [self.ref("act", self.n_actors)],
            }
            self.quoted(gate)
            gates.append(gate)
        return gates


def build(count: int, seed: int = 20120320) -> tuple[dict[str, Any], dict[str, str], Counter[str]]:
    """A valid dataset of ``count`` evidence items, its archived texts by file name, its mix.

    The mix counts the quotes of each kind (:func:`quote_kinds`), and all of them (QUOTES).
    """
    builder = _Builder(count, seed)
    actors = builder.actors()
    archives = builder.archived_sources()
    indicators = builder.indicators()
    evidence = builder.evidence(indicators)
    dataset = {
        "schema_version": "1.0",
        "id": f"synthetic-{count}",
        "title": f"Synthetic benchmark dataset with {count:,} evidence items",
        "subject": "Synthetic",
        "description": "Generated by benchmarks/generate.py for the performance harness.",
        "language": "en",
        "license": "CC0-1.0",
        "scales": [
            {
                "id": "editors-status",
                "title": "Editors' status",
                "levels": [
                    {"id": level, "label": level.title(), "value": index / 3}
                    for index, level in enumerate(_LEVELS)
                ],
            }
        ],
        "actors": actors,
        "sources": builder.sources,
        "standards": builder.standards(),
        "commitments": builder.commitments(),
        "areas": builder.areas(),
        "benchmarks": builder.benchmarks(),
        "indicators": indicators,
        "evidence": evidence,
        "assessments": builder.assessments(evidence),
        "gates": builder.gates(),
    }
    return dataset, archives, builder.mix


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(record: dict[str, Any]) -> None:
        record[key] = value

    return change


def break_dataset(
    dataset: dict[str, Any], archives: dict[str, str], seed: int = 7
) -> tuple[dict[str, str], Counter[str]]:
    """Put problems of every kind into ``dataset``; return the archives kept and the counts.

    Each problem is put on a record of its own, and evidence is broken only
    where no assessment cites it, so that no problem hides or adds another.
    """
    rng = random.Random(seed)
    each = max(1, len(dataset["evidence"]) // 500)
    expected: Counter[str] = Counter()
    # One archived text goes missing: one problem, on its source; its quotes are not checked,
    # so quotes are broken only where another source's text holds them.
    missing = dataset["sources"][len(archives) - 1]
    kept = {name: text for name, text in archives.items() if name != missing["archive"]}
    expected["archive-missing"] += 1
    sources = {source["id"]: source for source in dataset["sources"]}

    def checked(record: dict[str, Any]) -> bool:
        source = sources[record["source"]]
        return bool(source.get("cited_in", source["id"]) != missing["id"])

    cited = {ref for assessment in dataset["assessments"] for ref in assessment["evidence"]}
    free = [e for e in dataset["evidence"] if e["id"] not in cited and checked(e)]
    rng.shuffle(free)
    original = free.pop()  # the id a duplicate repeats: left intact
    boolean = next(i for i in dataset["indicators"] if i["kind"] == "boolean")["id"]
    evidence_changes: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
        ("missing-field", lambda item: item.pop("summary")),
        ("wrong-type", _set("benchmarks", "bm-0")),
        ("invalid-value", _set("direction", "progres")),
        ("unknown-field", _set("sumary", "A misspelt field.")),
        ("invalid-format", _set("date", "20 March 2012")),
        ("invalid-date", _set("date", "2011-02-29")),
        ("unknown-reference", _set("source", "src-missing")),
        ("unknown-reference", lambda item: item["benchmarks"].append("bm-missing")),
        ("quote-not-found", lambda item: item.__setitem__("quote", item["quote"] + " Qzxv")),
        ("duplicate-id", _set("id", original["id"])),
        ("indicator-value-mismatch", _set("readings", [{"indicator": boolean, "value": "yes"}])),
    ]
    picks = iter(free)
    for code, change in evidence_changes:
        for _ in range(each):
            change(next(picks))
            expected[code] += 1

    assessments = [a for a in dataset["assessments"] if a["evidence"]]
    rng.shuffle(assessments)
    for assessment in assessments[:each]:
        assessment["as_of"] = "2000-01-01"
        expected["evidence-after-assessment"] += len(assessment["evidence"])
    for assessment in assessments[each : 2 * each]:
        assessment["level"] = "finished"
        expected["unknown-level"] += 1
    for assessment in assessments[2 * each : 3 * each]:
        assessment["benchmark"] = "bm-missing"
        expected["unknown-reference"] += 1

    for indicator in rng.sample(dataset["indicators"], each):
        baseline, target = indicator["baseline"], indicator["target"]
        baseline["date"], target["date"] = target["date"], baseline["date"]
        expected["baseline-after-target"] += 1
    for actor in rng.sample(dataset["actors"][10:], each):
        actor["kind"] = "company"
        expected["invalid-value"] += 1
    commitments = [c for c in dataset["commitments"] if checked(c)]
    rng.shuffle(commitments)
    for commitment in commitments[:each]:
        commitment["quote"] = "Qzxv " + commitment["quote"]
        expected["quote-not-found"] += 1
    for commitment in commitments[each : 2 * each]:
        del commitment["title"]
        expected["missing-field"] += 1
    return kept, expected


def write(name: str, *, broken: bool, out: Path = DATA) -> Path:
    """Write the dataset of size ``name`` under ``out``; return the dataset file.

    ``<size>.generator.json`` is written last, beside the folder: the generator's version (a
    folder without it, or of another version, is out of date) and the mix of its quotes.
    """
    dataset, archives, mix = build(size_of(name))
    folder = out / (f"{name}-broken" if broken else name)
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "sources").mkdir(parents=True)
    if broken:
        archives, expected = break_dataset(dataset, archives)
        (folder / "expected.json").write_text(
            json.dumps(dict(sorted(expected.items())), indent=2) + "\n", encoding="utf-8"
        )
    for archive, text in archives.items():
        (folder / archive).write_text(text, encoding="utf-8")
    target = folder / "dataset.json"
    with target.open("w", encoding="utf-8") as file:
        # Written as it is encoded: json.dumps would hold the whole text (and its pieces) too.
        json.dump(dataset, file, indent=2, ensure_ascii=False)
        file.write("\n")
    _stamp(folder).write_text(
        json.dumps({"version": VERSION, "mix": mix_shares(mix)}, indent=2) + "\n",
        encoding="utf-8",
    )
    return target


def mix_shares(mix: Counter[str]) -> dict[str, Any]:
    """The count of quotes, and the share of each kind, in percent, most common first."""
    total = mix[QUOTES]
    kinds = sorted((kind for kind in mix if kind != QUOTES), key=lambda kind: (-mix[kind], kind))
    return {QUOTES: total, **{kind: round(100 * mix[kind] / total, 1) for kind in kinds}}


def _stamp(folder: Path) -> Path:
    """The file beside a dataset's folder (not in it: it is no fragment) saying what wrote it."""
    return folder.with_name(f"{folder.name}.generator.json")


def read_mix(folder: Path) -> dict[str, Any] | None:
    """The mix written beside a dataset, or ``None`` if it is missing or of another version."""
    if not (folder / "dataset.json").is_file():
        return None
    try:
        written = json.loads(_stamp(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(written, dict) or written.get("version") != VERSION:
        return None
    mix: dict[str, Any] = written["mix"]
    return mix


def main() -> None:
    """Write the datasets asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", default=list(SIZES), help="1k, 10k, 100k, a number")
    parser.add_argument("--broken", action="store_true", help="write the variant with problems")
    parser.add_argument(
        "--out", type=Path, default=DATA, help="where to write (default: %(default)s)"
    )
    args = parser.parse_args()
    for name in args.sizes:
        start = time.process_time()
        target = write(name, broken=args.broken, out=args.out)
        spent = time.process_time() - start
        print(f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB, {spent:.1f} s of CPU)")
        mix = read_mix(target.parent) or {}
        for kind, share in mix.items():
            print(f"  {kind}: {share:,}" if kind == QUOTES else f"  {share:5.1f} %  {kind}")


if __name__ == "__main__":
    main()

"""The Kazakhstan example is faithful to the appeal it models.

The example in ``examples/kazakhstan-2012`` is the first dataset a new user
opens, so it must not put words in the appeal's mouth. These tests read the
example's YAML files directly and check it against the archived text of the
appeal: every quote occurs in it (checked both with benchmarkkit's quote
matcher and with a small independent one written here, so that a bug in the
library cannot hide a misquote), every evidence date is written in it, the six
areas carry its headings, and the records the appeal names are all there. The
recommendations are pinned too: every call of the appeal, and every
recommendation of another body it cites, with its counts by position, actor and
mechanism, and the benchmarks and the gate that follow from them.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

import benchmarkkit
from benchmarkkit._quotes import QuoteIndex
from benchmarkkit._responses import made_by, position_as_of
from benchmarkkit._vocabulary import ArchiveKind
from benchmarkkit.reports import build_report
from benchmarkkit.scoring import score

EXAMPLE = Path(__file__).parents[1] / "examples" / "kazakhstan-2012"
APPEAL = EXAMPLE / "sources" / "2012-03-20-appeal-eu-kazakhstan.txt"
WALKTHROUGH = Path(__file__).parents[1] / "docs" / "walkthrough-kazakhstan.md"
COLLECTIONS = (
    "scales",
    "actors",
    "sources",
    "standards",
    "commitments",
    "recommendations",
    "areas",
    "benchmarks",
    "indicators",
    "evidence",
    "assessments",
    "gates",
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
#: The six headings under which the appeal lists its "key areas of concern".
APPEAL_HEADINGS = (
    "Political participation",
    "Investigation of the December 2011 tragic events in the city of Zhanaozen",
    "Ongoing crackdown on labor activists, political opposition members and opposition journalists",
    "Media freedoms",
    "Peaceful assembly",
    "Freedom of religion",
)


# -- reading the example without the library -----------------------------------------------


def _records() -> dict[str, list[dict[str, Any]]]:
    records: dict[str, list[dict[str, Any]]] = {name: [] for name in COLLECTIONS}
    for path in sorted(EXAMPLE.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name in COLLECTIONS:
            records[name].extend(data.get(name, []))
    return records


RECORDS = _records()
APPEAL_TEXT = APPEAL.read_text(encoding="utf-8")


def _by_id(collection: str) -> dict[str, dict[str, Any]]:
    return {record["id"]: record for record in RECORDS[collection]}


def _quoted_records() -> Iterator[tuple[str, str]]:
    """(label, quote) of every record with a quote; all of them are verified against the appeal."""
    for collection in ("commitments", "recommendations", "areas", "evidence", "gates"):
        for record in RECORDS[collection]:
            if "quote" in record:
                yield f"{collection}/{record['id']}", record["quote"]
            for number, response in enumerate(record.get("responses", [])):
                if "quote" in response:
                    yield f"{collection}/{record['id']}/responses/{number}", response["quote"]


QUOTES = dict(_quoted_records())


# -- an independent quote check ---------------------------------------------------------------

_DASHES = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
_DOUBLE_QUOTES = re.compile("[\u201c\u201d\u201e\u201f]")
_SINGLE_QUOTES = re.compile("[\u2018\u2019\u201a\u201b]")


def _normalise(text: str) -> str:
    """Whitespace collapsed, typographic quotes and dashes made plain.

    The appeal's text has no words hyphenated across lines, so this check needs
    no rule for them.
    """
    text = _DASHES.sub("-", text)
    text = _DOUBLE_QUOTES.sub('"', text)
    text = _SINGLE_QUOTES.sub("'", text)
    return " ".join(text.split())


NORMALISED_APPEAL = _normalise(APPEAL_TEXT)


def _at_word_boundaries(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    first, last = text[start], text[end - 1]
    return not (first.isalnum() and before.isalnum()) and not (last.isalnum() and after.isalnum())


def occurs_in(quote: str, text: str) -> bool:
    """Whether ``quote`` occurs in normalised ``text``, "..." marking omissions between segments."""
    position = 0
    for raw in re.split(r"\.\.\.|\u2026", quote):
        segment = _normalise(raw)
        if not segment:
            continue
        start = text.find(segment, position)
        while start != -1 and not _at_word_boundaries(text, start, start + len(segment)):
            start = text.find(segment, start + 1)
        if start == -1:
            return False
        position = start + len(segment)
    return True


def test_the_independent_check_rejects_what_the_appeal_does_not_say() -> None:
    assert occurs_in("there has beeen no meaningful overall progress", NORMALISED_APPEAL)
    assert not occurs_in("there has been no meaningful overall progress", NORMALISED_APPEAL)
    assert not occurs_in("Madrid ... Oslo, Brussels", NORMALISED_APPEAL)  # segments out of order
    assert not occurs_in("human rights bod", NORMALISED_APPEAL)  # not at a word boundary


# -- quotes ------------------------------------------------------------------------------------


def test_the_example_has_quotes_to_check() -> None:
    assert len(QUOTES) >= 40


@pytest.mark.parametrize("label", sorted(QUOTES))
def test_every_quote_occurs_in_the_appeal(label: str) -> None:
    quote = QUOTES[label]
    assert QuoteIndex(APPEAL_TEXT).contains(quote), f"benchmarkkit does not find {label}: {quote!r}"
    assert occurs_in(quote, NORMALISED_APPEAL), f"the independent check does not find {label}"


def _free_text(value: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for child_key, child in value.items():
            if child_key != "quote":
                yield from _free_text(child, child_key)
    elif isinstance(value, list):
        for child in value:
            yield from _free_text(child, key)
    elif isinstance(value, str):
        yield key, value


def _phrases_in_quotation_marks() -> Iterator[tuple[str, str]]:
    manifest = yaml.safe_load((EXAMPLE / "dataset.yaml").read_text(encoding="utf-8"))
    documents = [("dataset", {"description": manifest["description"]})]
    documents += [(f"{name}/{r['id']}", r) for name in COLLECTIONS for r in RECORDS[name]]
    for label, record in documents:
        for key, text in _free_text(record):
            for phrase in re.findall(r'"([^"]+)"', text):
                yield f"{label}.{key}", phrase


@pytest.mark.parametrize(("where", "phrase"), sorted(set(_phrases_in_quotation_marks())))
def test_words_in_quotation_marks_in_free_text_are_the_appeals(where: str, phrase: str) -> None:
    # Summaries, rationales and descriptions are the editors' words; whatever
    # they put in quotation marks must be the appeal's.
    assert occurs_in(phrase.strip(" ,;"), NORMALISED_APPEAL), f"{where} quotes {phrase!r}"


# -- dates -------------------------------------------------------------------------------------


def date_spellings(date: str) -> list[str]:
    """Regular expressions for the ways English prose writes a YYYY, YYYY-MM or YYYY-MM-DD date.

    A day may share its month's year with a second day: the appeal writes
    "28 January and 25 February 2012".
    """
    parts = date.split("-")
    year = parts[0]
    if len(parts) == 1:
        return [rf"\b{year}\b"]
    month = MONTHS[int(parts[1]) - 1]
    if len(parts) == 2:
        return [rf"\b{month},? {year}\b"]
    day = str(int(parts[2]))
    another_day = rf"(?: and \d{{1,2}} (?:{'|'.join(MONTHS)}))?"
    return [rf"\b{day} {month}{another_day},? {year}\b", rf"\b{month} {day}, {year}\b"]


@pytest.mark.parametrize(
    ("date", "written"),
    [
        ("2012", "in 2012."),
        ("2011-12", "the December 2011 events"),
        ("2012-03-15", "released on 15 March 2012."),
        ("2012-01-28", "on 28 January and 25 February 2012 to"),
        ("2012-02-25", "on 28 January and 25 February 2012 to"),
    ],
)
def test_date_spellings_find_the_appeals_ways_of_writing_dates(date: str, written: str) -> None:
    assert any(re.search(pattern, written) for pattern in date_spellings(date))


@pytest.mark.parametrize(
    ("date", "written"),
    [("2012-01", "in 2012."), ("2012-03-05", "on 15 March 2012"), ("2011", "in 2012")],
)
def test_date_spellings_do_not_find_other_dates(date: str, written: str) -> None:
    assert not any(re.search(pattern, written) for pattern in date_spellings(date))


@pytest.mark.parametrize("evidence_id", sorted(_by_id("evidence")))
def test_every_evidence_date_is_written_in_the_appeal(evidence_id: str) -> None:
    date = _by_id("evidence")[evidence_id]["date"]
    assert isinstance(date, str), "dates are quoted in YAML so that they stay text"
    spellings = date_spellings(date)
    assert any(re.search(pattern, NORMALISED_APPEAL) for pattern in spellings), (
        f"evidence {evidence_id} is dated {date}, which the appeal never writes"
    )


# -- structure ---------------------------------------------------------------------------------


def test_the_six_areas_are_the_appeals_headings() -> None:
    headings = {line.removeprefix("> ").strip() for line in APPEAL_TEXT.splitlines()}
    titles = [area["title"] for area in RECORDS["areas"]]
    assert sorted(APPEAL_HEADINGS) == sorted(titles)
    assert all(title in headings for title in titles)
    assert all(area["quote"] == area["title"] for area in RECORDS["areas"])


def test_every_area_has_at_least_two_benchmarks() -> None:
    for area in RECORDS["areas"]:
        benchmarks = [b for b in RECORDS["benchmarks"] if b["area"] == area["id"]]
        assert len(benchmarks) >= 2, area["id"]


def test_every_benchmark_is_an_editors_proposal() -> None:
    origins = {benchmark["id"]: benchmark.get("origin") for benchmark in RECORDS["benchmarks"]}
    assert {"editor-proposal"} == set(origins.values())


def test_every_benchmark_has_evidence_or_an_explicit_no_assessment() -> None:
    with_evidence = {ref for evidence in RECORDS["evidence"] for ref in evidence["benchmarks"]}
    not_assessable = {
        assessment["benchmark"]
        for assessment in RECORDS["assessments"]
        if "level" not in assessment and assessment["rationale"].strip()
    }
    missing = [
        benchmark["id"]
        for benchmark in RECORDS["benchmarks"]
        if benchmark["id"] not in with_evidence | not_assessable
    ]
    assert missing == []


def test_every_benchmark_is_assessed_as_of_the_appeals_date() -> None:
    assessed = {a["benchmark"] for a in RECORDS["assessments"] if a["as_of"] == "2012-03-20"}
    assert {b["id"] for b in RECORDS["benchmarks"]} == assessed


def test_the_appeal_is_the_archived_source_with_its_publishers_date_and_places() -> None:
    appeal = _by_id("sources")["appeal"]
    assert (EXAMPLE / appeal["archive"]).resolve() == APPEAL.resolve()
    assert appeal["publishers"] == ["norhc", "iphr", "nethhc"]
    assert appeal["date"] == "2012-03-20"
    assert appeal["places"] == ["Oslo", "Brussels", "The Hague"]
    assert APPEAL_TEXT.count("Oslo, Brussels, The Hague 20 March 2012") == 1


def test_every_other_source_is_known_through_the_appeal() -> None:
    others = [source for source in RECORDS["sources"] if source["id"] != "appeal"]
    assert all(source.get("cited_in") == "appeal" for source in others)
    assert not any("archive" in source for source in others)


def test_the_sources_the_appeal_cites_are_present() -> None:
    found = {(s["kind"], s.get("date")) for s in RECORDS["sources"]}
    assert {
        ("statement", "2012-03-14"),  # on behalf of the High Representative
        ("resolution", "2012-03-15"),  # the European Parliament
        ("commitment", "2007"),  # the Madrid commitments
        ("briefing", "2012-03"),  # the NorHC briefing paper
        ("report", "2012-03"),  # IPHR, NethHC and partners
    } <= found
    titles = {s["title"] for s in RECORDS["sources"]}
    assert "National Human Rights Action Plan 2009-2012" in titles
    urls = {s["url"] for s in RECORDS["sources"] if "url" in s}
    assert urls <= {
        "http://www.nhc.no",
        "http://www.iphronline.org/uploads/9/0/2/7/9027585/central_asia_report_march_2012.pdf",
    }
    assert all(url in APPEAL_TEXT for url in urls)


def test_the_actors_the_appeal_names_are_present() -> None:
    names = {actor["name"] for actor in RECORDS["actors"]} | {
        actor["short_name"] for actor in RECORDS["actors"] if "short_name" in actor
    }
    assert {
        "Norwegian Helsinki Committee",
        "International Partnership for Human Rights",
        "Netherlands Helsinki Committee",
        "European Union",
        "Catherine Ashton",
        "European Parliament",
        "Government of Kazakhstan",
        "President Nazarbaev",
        "OSCE",
        "Council of Europe",
        "UN Human Rights Committee",
        "Kazakhstani Supreme Court",
        "Igor Viniavskii",
        "Natalia Sokolova",
    } <= names


@pytest.mark.parametrize(
    ("commitment", "actor", "words"),
    [
        ("cm-madrid", "kz-gov", "liberalize legislation on media, elections and political parties"),
        ("cm-steady-progress", "kz-gov", '"close cooperation"'),
        ("cm-assembly-law", "kz-gov", "developed in consultation with civil society"),
        ("cm-religion-law", "kz-gov", "new legislation guaranteeing freedom of religion"),
        ("cm-media-reform", "kz-gov", "reform the media environment"),
        ("cm-zhanaozen-investigation", "kz-president", "thorough and transparent"),
        ("cm-eu-hr-no-decoupling", "eu-hr", "cannot"),
    ],
)
def test_the_promises_the_appeal_reports_are_present(
    commitment: str, actor: str, words: str
) -> None:
    record = _by_id("commitments")[commitment]
    assert actor == record["actor"]
    assert words in " ".join(record["quote"].split())


def test_the_gate_makes_the_pca_contingent_on_every_area() -> None:
    (gate,) = RECORDS["gates"]
    assert gate["demanded_by"] == ["norhc", "iphr", "nethhc"]
    assert "contingent on the fulfillment of human rights criteria" in gate["quote"]
    branches = gate["condition"]["conditions"]
    assert gate["condition"]["kind"] == "all-of"
    assert sorted(APPEAL_HEADINGS) == sorted(branch["label"] for branch in branches)
    gated = {c["benchmark"] for branch in branches for c in branch["conditions"]}
    assert {b["id"] for b in RECORDS["benchmarks"]} == gated


# -- recommendations ---------------------------------------------------------------------------

#: The three NGOs that issued the appeal, who make every one of its calls together.
APPEAL_AUTHORS = ["norhc", "iphr", "nethhc"]


def _appeal_calls() -> dict[str, dict[str, Any]]:
    return {
        rec_id: record
        for rec_id, record in _by_id("recommendations").items()
        if record["by"] == APPEAL_AUTHORS
    }


def test_the_recommendations_are_counted_by_position_actor_and_mechanism() -> None:
    recommendations = benchmarkkit.load_dataset(EXAMPLE).recommendations
    as_of = dt.date(2012, 3, 20)
    by_position = Counter(str(position_as_of(r, as_of)) for r in recommendations)
    by_actor = Counter(actor for r in recommendations for actor in r.by)
    by_mechanism = Counter(str(r.mechanism) for r in recommendations)
    by_addressee = Counter(r.to for r in recommendations)
    assert by_position == {"no-response": 16}
    assert by_actor == {
        "norhc": 10,
        "iphr": 10,
        "nethhc": 10,
        "ep": 2,
        "un-hrc": 1,
        "osce": 1,
        "coe": 1,
        "religion-law-critics": 1,
        "media-recommenders": 1,
    }
    assert by_mechanism == {
        "ngo": 10,
        "parliament": 2,
        "treaty-body": 1,
        "intergovernmental-body": 1,
        "other": 2,
    }
    assert by_addressee == {"eu": 11, "kz": 1, "kz-gov": 4}


def test_none_is_made_or_answered_before_the_bodies_speak() -> None:
    # The European Parliament's resolution of 15 March 2012 is the first
    # recommendation with a date of its own; every other one the appeal gives
    # no date for is dated the appeal's day, the latest it can be.
    dataset = benchmarkkit.load_dataset(EXAMPLE)
    recommendations = dataset.recommendations
    made = [r.id for r in recommendations if made_by(r, dt.date(2012, 3, 15))]
    assert made == ["rec-ep-further-reforms", "rec-ep-must-depend"]
    assert [r.id for r in recommendations if made_by(r, dt.date(2012, 3, 14))] == []
    assert all(r.responses == () for r in recommendations)


@pytest.mark.parametrize(
    ("as_of", "made"), [("2012-01-01", 0), ("2012-01-15", 0), ("2012-03-20", 16)]
)
def test_the_monitors_conclusions_are_not_counted_before_the_elections_they_conclude_on(
    as_of: str, made: int
) -> None:
    # The conclusions are on the parliamentary elections of January 2012; the
    # appeal gives them no date, so they count from its own day, not from 2012-01-01.
    results = score(benchmarkkit.load_dataset(EXAMPLE), as_of=as_of).recommendations
    assert results is not None
    assert made == results.overall.total


def test_every_call_of_the_appeal_is_the_three_ngos_to_the_eu_on_its_date() -> None:
    calls = _appeal_calls()
    assert len(calls) == 10
    for rec_id, record in calls.items():
        assert (
            record["to"],
            record["date"],
            record["mechanism"],
            record["source"],
        ) == ("eu", "2012-03-20", "ngo", "appeal"), rec_id


def test_every_recommendation_has_a_quote_and_a_locator() -> None:
    missing = [
        record["id"]
        for record in RECORDS["recommendations"]
        if not record.get("quote") or not record.get("locator")
    ]
    assert missing == []
    assert {f"recommendations/{r['id']}" for r in RECORDS["recommendations"]} <= set(QUOTES)


def test_validation_finds_a_misquoted_recommendation(tmp_path: Path) -> None:
    # The appeal writes "criticized"; a copy that quotes it as "criticised" fails.
    copy = tmp_path / "kazakhstan-2012"
    shutil.copytree(EXAMPLE, copy)
    path = copy / "recommendations.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("have been criticized, among others") == 1
    path.write_text(text.replace("have been criticized, among", "have been criticised, among"))
    report = benchmarkkit.validate(copy)
    position = list(_by_id("recommendations")).index("rec-hrc-assembly")
    # The example's two unlinked commitments are info notes, not errors.
    assert [(p.code, p.pointer) for p in report.errors] == [
        ("quote-not-found", f"/recommendations/{position}/quote")
    ]
    (problem,) = report.errors
    assert "recommendation 'rec-hrc-assembly': the quote does not occur" in problem.message
    assert "then has 'criticised' where the archived text has 'criticized'" in problem.message


def test_the_bodies_recommendations_are_known_only_through_the_appeal() -> None:
    sources = _by_id("sources")
    others = {r["id"]: r for r in RECORDS["recommendations"] if r["by"] != APPEAL_AUTHORS}
    for record in others.values():
        source = sources[record["source"]]
        assert "appeal" in (source["id"], source.get("cited_in")), record["id"]
    # Every one is addressed to Kazakhstan but the Parliament's demand on the
    # EU's own negotiations.
    assert {rec_id: record["to"] for rec_id, record in others.items()} == {
        "rec-ep-further-reforms": "kz",
        "rec-ep-must-depend": "eu",
        "rec-hrc-assembly": "kz-gov",
        "rec-osce-coe-elections": "kz-gov",
        "rec-religion-law": "kz-gov",
        "rec-media-standards": "kz-gov",
    }


def test_the_parliaments_demand_is_a_recommendation_to_the_eu_not_a_commitment() -> None:
    record = _by_id("recommendations")["rec-ep-must-depend"]
    assert (record["by"], record["to"], record["mechanism"], record["date"]) == (
        ["ep"],
        "eu",
        "parliament",
        "2012-03-15",
    )
    assert (record["source"], record["quote"]) == ("ep-resolution-2012-03-15", "must depend on")
    # A commitment is a duty bearer's promise; the Parliament promised nothing.
    assert [c["id"] for c in RECORDS["commitments"] if c["actor"] == "ep"] == []
    assert "rec-ep-must-depend" in _by_id("benchmarks")["bm-election-law"]["recommendations"]


def test_the_media_sections_standards_and_recommendations_are_a_recommendation() -> None:
    # "reform the media environment in accordance with international human
    # rights standards and recommendations": the recommendations, as for the
    # Religion Law's, are a record of their own.
    record = _by_id("recommendations")["rec-media-standards"]
    assert (record["by"], record["to"], record["mechanism"], record["source"]) == (
        ["media-recommenders"],
        "kz-gov",
        "other",
        "appeal",
    )
    assert record["locator"] == "Media freedoms, para. 1"
    assert "international human rights standards and recommendations" in " ".join(
        record["quote"].split()
    )
    media = [b["id"] for b in RECORDS["benchmarks"] if b["area"] == "area-media"]
    naming = [b["id"] for b in RECORDS["benchmarks"] if record["id"] in b["recommendations"]]
    assert media == naming


def test_no_standard_is_a_recommendation_any_more() -> None:
    kinds = {standard["id"]: standard["kind"] for standard in RECORDS["standards"]}
    assert {"treaty-provision"} == set(kinds.values())
    cited = {ref for benchmark in RECORDS["benchmarks"] for ref in benchmark.get("standards", [])}
    assert cited <= set(kinds)


def test_the_gate_names_the_call_to_make_the_pca_conditional() -> None:
    (gate,) = RECORDS["gates"]
    conditionality = _appeal_calls()["rec-appeal-conditionality"]
    assert "rec-appeal-conditionality" in gate["recommendations"]
    assert "contingent on the fulfillment of human rights criteria" in " ".join(
        conditionality["quote"].split()
    )
    # Besides the appeal's calls, the Parliament's demand that progress in the
    # PCA negotiations "must depend on" political reform.
    assert set(gate["recommendations"]) - set(_appeal_calls()) == {"rec-ep-must-depend"}


@pytest.mark.parametrize("benchmark_id", sorted(_by_id("benchmarks")))
def test_every_benchmark_follows_from_the_appeals_call_for_its_area(benchmark_id: str) -> None:
    benchmark = _by_id("benchmarks")[benchmark_id]
    area_title = _by_id("areas")[benchmark["area"]]["title"]
    calls = _appeal_calls()
    named = [calls[ref] for ref in benchmark.get("recommendations", []) if ref in calls]
    assert len(named) == 1, f"{benchmark_id} names {len(named)} of the appeal's calls"
    assert " ".join(named[0]["quote"].split()).endswith(area_title)


def test_every_recommendation_is_named_by_a_benchmark_or_the_gate() -> None:
    named = {ref for b in RECORDS["benchmarks"] for ref in b.get("recommendations", [])}
    named |= {ref for gate in RECORDS["gates"] for ref in gate.get("recommendations", [])}
    assert set(_by_id("recommendations")) == named


# -- the library agrees ------------------------------------------------------------------------


def test_the_example_validates_with_every_quote_verified() -> None:
    report = benchmarkkit.validate(EXAMPLE)
    problems = "\n".join(str(problem) for problem in report.problems)
    assert report.valid, problems
    unverified = [p for p in report.problems if p.code in {"quote-unverifiable", "quote-not-found"}]
    assert unverified == [], problems
    assert report.counts() == {"error": 0, "warning": 0, "info": 2}, problems


def test_only_the_eus_positions_on_the_whole_agreement_are_named_by_no_benchmark() -> None:
    # The High Representative's statement ties the whole PCA to "political
    # reforms"; no benchmark measures that position, and gates name no
    # commitments, so these two stand unlinked, and validation says so.
    report = benchmarkkit.validate(EXAMPLE)
    assert [(p.code, p.pointer) for p in report.problems] == [
        ("unlinked-commitment", f"/commitments/{position}")
        for position in (
            list(_by_id("commitments")).index("cm-eu-hr-no-decoupling"),
            list(_by_id("commitments")).index("cm-eu-hr-reform-commitments"),
        )
    ]
    assert all(p.severity == "info" for p in report.problems)
    assert "commitment 'cm-eu-hr-no-decoupling'" in report.problems[0].message


def test_the_appeals_archive_is_text_extracted_from_the_pdf_and_reports_say_so() -> None:
    dataset = benchmarkkit.load_dataset(EXAMPLE)
    (appeal,) = [s for s in dataset.sources if s.id == "appeal"]
    assert appeal.archive_kind is ArchiveKind.EXTRACTED_TEXT
    report = build_report(dataset, score(dataset, as_of="2012-03-20"))
    (gate,) = report.gates
    assert gate.quote_from == "From text extracted from a PDF"


# -- the walkthrough shows the real files ----------------------------------------------------


def _is_copied_from(excerpt: list[str], lines: list[str]) -> bool:
    """Whether ``excerpt`` is a run of ``lines``, each shifted left by the same indentation."""
    first = excerpt[0]
    for start, line in enumerate(lines[: len(lines) - len(excerpt) + 1]):
        shift = len(line) - len(first)
        if shift < 0 or line[shift:] != first or line[:shift].strip():
            continue
        run = lines[start : start + len(excerpt)]
        if all(
            got[shift:] == want and not got[:shift].strip()
            for got, want in zip(run, excerpt, strict=True)
        ):
            return True
    return False


WALKTHROUGH_TEXT = WALKTHROUGH.read_text(encoding="utf-8")
EXCERPTS = re.findall(r"```yaml\n(.*?)```", WALKTHROUGH_TEXT, flags=re.DOTALL)


def test_the_walkthrough_has_yaml_excerpts() -> None:
    assert len(EXCERPTS) >= 10


@pytest.mark.parametrize("excerpt", EXCERPTS, ids=[e.split("\n")[0].strip() for e in EXCERPTS])
def test_every_yaml_excerpt_in_the_walkthrough_is_copied_from_the_example(excerpt: str) -> None:
    wanted = excerpt.rstrip("\n").split("\n")
    files = sorted(EXAMPLE.glob("*.yaml"))
    assert any(
        _is_copied_from(wanted, path.read_text(encoding="utf-8").split("\n")) for path in files
    )


def test_the_walkthrough_counts_the_records_right() -> None:
    table = dict(re.findall(r"^\| \[`(\w+)\.yaml`\]\([^)]*\) \| (\d+) \|", WALKTHROUGH_TEXT, re.M))
    counts = {name: str(len(RECORDS[name])) for name in COLLECTIONS if RECORDS[name]}
    counts.pop("scales")
    assert counts == table

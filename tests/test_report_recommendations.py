"""Recommendations in the reports: behind each benchmark and gate, and area by area by position.

The dataset here has a recommendation made by two States together with two
responses (the later one is in force from its date), one by an NGO with no
response, one made jointly in an area without themes, one in no area, and one
made after the report's dates. The pages are read as a person reads them: the
HTML's text, element by element, and the Markdown rendered by markdown-it-py.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarkkit import Dataset, structure, validate_data
from benchmarkkit._responses import made_by, position_as_of
from benchmarkkit._vocabulary import Position
from benchmarkkit.cli import main
from benchmarkkit.reports import build_report, report_to_html, report_to_markdown
from benchmarkkit.reports._chart import bar_chart
from benchmarkkit.reports._controls import CONTROLS
from benchmarkkit.reports._recommendations import OTHER_TITLE
from benchmarkkit.scoring import score
from tests.test_report_html import HOSTILE_TEXT, _assert_inert, hostile_html
from tests.test_report_markdown import _check_inert, _headings, _text, _tokens

AS_OF = "2012-01-01"
TORTURE_TEXT = (
    "Establish a national preventive mechanism against torture in line with OPCAT, "
    "and ensure that it is independent and adequately funded."
)


def recommendations_document() -> dict[str, Any]:
    """A format 1.1 dataset whose recommendations exercise every part of the report."""
    return {
        "schema_version": "1.1",
        "id": "recommendations",
        "title": "Recommendations to Kazakhstan",
        "actors": [
            {"id": "norway", "name": "Norway", "kind": "state"},
            {"id": "poland", "name": "Poland", "kind": "state"},
            {"id": "kz", "name": "Kazakhstan", "kind": "state"},
            {"id": "pfn", "name": "Press Freedom Now", "kind": "ngo"},
        ],
        "sources": [
            {"id": "s-wg", "title": "Report of the Working Group: Kazakhstan", "kind": "report"},
            {"id": "s-add", "title": "Addendum: views on conclusions", "kind": "report"},
        ],
        "areas": [
            {"id": "a-torture", "title": "Torture"},
            {"id": "a-press", "title": "Press freedom"},
        ],
        "benchmarks": [
            {"id": "b-torture", "title": "Torture prevention mechanism",
             "statement": "A national preventive mechanism works.", "area": "a-torture",
             "type": "structural", "recommendations": ["rec-torture"]},
            {"id": "b-press", "title": "Journalists free", "statement": "No journalist is jailed.",
             "area": "a-press", "type": "outcome"},
        ],
        "recommendations": [
            {"id": "rec-torture", "text": TORTURE_TEXT, "by": ["norway", "poland"], "to": "kz",
             "date": "2010-02-12", "mechanism": "upr", "cycle": 1, "session": 7,
             "paragraph": "97.14", "document": "A/HRC/14/10", "themes": ["Torture", "Detention"],
             "source": "s-wg", "locator": "para. 97.14",
             "responses": [
                 {"by": "kz", "position": "noted", "date": "2010-03-10", "source": "s-wg",
                  "locator": "para. 98", "reason": "Under consideration by the government"},
                 {"by": "kz", "position": "supported", "date": "2010-06-01", "source": "s-add",
                  "locator": "p. 3", "quote": "Kazakhstan accepts this recommendation",
                  "reason": "Accepted after review"},
             ]},
            {"id": "rec-press", "title": "Release jailed journalists",
             "text": "Release every journalist held for their work.", "by": ["pfn"], "to": "kz",
             "date": "2011-05", "mechanism": "ngo", "areas": ["a-press"]},
            {"id": "rec-joint", "text": "Decriminalise defamation.", "by": ["norway", "poland"],
             "to": "kz", "date": "2010-02-12", "mechanism": "upr", "paragraph": "97.30",
             "areas": ["a-press"],
             "responses": [{"by": "kz", "position": "supported", "date": "2010-03-10"}]},
            {"id": "rec-other", "text": "Abolish the death penalty.", "by": ["norway"], "to": "kz",
             "date": "2010-02-12", "mechanism": "upr", "paragraph": "97.20",
             "responses": [{"by": "kz", "position": "rejected", "date": "2010-03-10"}]},
            {"id": "rec-later", "text": "Ratify OPCAT's optional procedures.", "by": ["poland"],
             "to": "kz", "date": "2013-01-01", "mechanism": "upr", "areas": ["a-torture"]},
        ],
        "gates": [
            {"id": "g", "title": "Cooperation gate", "recommendations": ["rec-torture"],
             "condition": {"kind": "benchmark", "benchmark": "b-torture", "minimum_score": 0.5}},
        ],
    }  # fmt: skip


def recommendations_dataset(document: dict[str, Any] | None = None) -> Dataset:
    """The dataset, checked to be valid (warnings about unarchived sources aside)."""
    document = document or recommendations_document()
    problems = validate_data(document).problems
    assert [str(p) for p in problems if p.severity.value == "error"] == []
    return structure(document, Dataset)


def _html(as_of: str = AS_OF, document: dict[str, Any] | None = None) -> str:
    dataset = recommendations_dataset(document)
    return report_to_html(build_report(dataset, score(dataset, as_of=as_of)))


def _markdown(as_of: str = AS_OF, *, details: bool = True) -> str:
    dataset = recommendations_dataset()
    return report_to_markdown(build_report(dataset, score(dataset, as_of=as_of)), details=details)


def _element_text(page: str, element_id: str) -> str:
    """The text a reader sees in the element of ``element_id``, but for the charts' text."""
    start = page.index(f' id="{element_id}"')
    tag = page.rindex("<", 0, start)
    name = re.match(r"<(\w+)", page[tag:])
    assert name is not None
    depth, position = 0, tag
    opening, closing = re.compile(rf"<{name.group(1)}[\s>]"), f"</{name.group(1)}>"
    while True:
        next_open = opening.search(page, position + 1)
        next_close = page.index(closing, position + 1)
        if next_open is not None and next_open.start() < next_close:
            depth, position = depth + 1, next_open.start()
            continue
        if depth == 0:
            fragment = page[tag : next_close + len(closing)]
            break
        depth, position = depth - 1, next_close
    fragment = re.sub(r"<svg.*?</svg>", " ", fragment, flags=re.DOTALL)  # read by its <desc>
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


# -- behind each benchmark and each gate -----------------------------------------------------


def test_a_benchmark_shows_who_made_its_recommendation_to_whom_and_the_responses() -> None:
    text = _element_text(_html(), "benchmark-b-torture")
    assert (
        "Recommendations (1) Supported Establish a national preventive mechanism against "
        "torture in line with OPCAT, and\u2026 rec-torture "
        "By Norway, Poland to Kazakhstan, 2010-02-12 \u00b7 Universal Periodic Review, "
        "cycle 1, session 7, para. 97.14, A/HRC/14/10 \u00b7 themes: Torture, Detention "
        f"{TORTURE_TEXT} Report of the Working Group: Kazakhstan, para. 97.14 [source]"
    ) in text
    assert (
        "Response by Kazakhstan , 2010-03-10: Noted Reason given: Under consideration by the "
        "government Report of the Working Group: Kazakhstan, para. 98 [source] "
        "Response by Kazakhstan , 2010-06-01: Supported in force as of 2012-01-01 "
        "Reason given: Accepted after review Kazakhstan accepts this recommendation "
        "Addendum: views on conclusions, p. 3 [source]"
    ) in text


def test_as_of_an_earlier_date_only_the_earlier_response_is_shown_and_in_force() -> None:
    text = _element_text(_html("2010-04-01"), "benchmark-b-torture")
    assert "Noted rec-torture" not in text  # the title is not the position
    assert text.count("Response by") == 1
    assert (
        "Response by Kazakhstan , 2010-03-10: Noted in force as of 2010-04-01 Reason given: "
        "Under consideration by the government"
    ) in text
    assert "2010-06-01" not in text
    assert "Accepted after review" not in text
    assert text.index("Recommendations (1) Noted Establish") >= 0


def test_before_any_response_a_recommendation_has_no_response() -> None:
    text = _element_text(_html("2010-02-20"), "benchmark-b-torture")
    assert "Recommendations (1) No response Establish" in text
    assert "No response on or before 2010-02-20." in text
    assert "Response by" not in text


def test_a_recommendation_made_after_the_date_is_not_shown_until_it_is_made() -> None:
    assert "rec-later" not in _html()
    later = _element_text(_html("2013-06-30"), "recommendations-area-a-torture")
    assert "No response Ratify OPCAT's optional procedures. rec-later By Poland" in later


def test_a_gate_shows_the_recommendations_it_rests_on() -> None:
    text = _element_text(_html(), "gate-g")
    assert (
        "Recommendations behind this gate (1) Supported Establish a national preventive mechanism"
    ) in text
    assert "By Norway, Poland to Kazakhstan, 2010-02-12" in text
    markdown = _markdown(details=False)
    assert (
        "Recommendations behind this gate, their position and their implementation as of "
        "2012-01-01:\n\n"
        "- Establish a national preventive mechanism against torture in line with OPCAT, and\u2026"
        " (`rec-torture`), by Norway, Poland, 2010-02-12: \U0001f7e9 Supported; "
        "implementation: not assessed.\n"
    ) in markdown


# -- area by area, by position ----------------------------------------------------------------


def test_each_area_lists_its_recommendations_by_position_and_the_rest_come_last() -> None:
    page = _html()
    whole = _element_text(page, "recommendations")
    assert whole.startswith(
        "Recommendations and responses 4 recommendations made on or before 2012-01-01, "
        "area by area, by their position as of that date"
    )
    torture = _element_text(page, "recommendations-area-a-torture")
    press = _element_text(page, "recommendations-area-a-press")
    other = _element_text(page, "recommendations-other")
    assert torture.startswith("Torture 1 recommendation \u00b7 1 supported")
    # Named by the area's benchmark (rec-torture) or naming the area (rec-press, rec-joint).
    assert press.startswith(
        "Press freedom 2 recommendations \u00b7 1 supported \u00b7 1 no response"
    )
    assert press.index("Supported (1) Supported Decriminalise defamation.") < press.index(
        "No response (1) No response Release jailed journalists rec-press By Press Freedom Now "
        "to Kazakhstan, 2011-05 \u00b7 NGO Release every journalist held for their work. "
        "No response on or before 2012-01-01."
    )
    assert other.startswith(
        f"{OTHER_TITLE} 1 recommendation \u00b7 1 rejected Recommendations that neither name an "
        "area nor stand behind a benchmark of one."
    )
    assert "Rejected (1) Rejected Abolish the death penalty. rec-other By Norway" in other
    assert "rec-other" not in torture + press
    assert (
        page.index('id="recommendations-area-a-torture"')
        < page.index('id="recommendations-area-a-press"')
        < page.index('id="recommendations-other"')
    )
    assert '<a href="#recommendations">Recommendations</a>' in page
    assert _element_text(page, "area-a-press").startswith(
        "Press freedom score not assessable · 0 of 1 assessable · 0 met · "
        "2 recommendations by position"
    )
    assert '<a href="#recommendations-area-a-press">2 recommendations by position</a>' in page


def test_the_chart_counts_responses_by_theme_or_else_by_recommending_actor() -> None:
    page = _html()
    descriptions = re.findall(r'<desc id="([^"]+)-desc-wide">([^<]*)</desc>', page)
    assert [(name, html.unescape(text)) for name, text in descriptions] == [
        (
            "recommendations-area-a-torture-chart",
            (
                "Torture: recommendations by theme and their position as of 2012-01-01. "
                "Torture: 1 supported; Detention: 1 supported."
            ),
        ),
        (
            "recommendations-area-a-press-chart",
            (
                "Press freedom: recommendations by recommending actor and their position as of "
                "2012-01-01. Press Freedom Now: 1 no response; Norway: 1 supported; "
                "Poland: 1 supported."
            ),
        ),
        (
            "recommendations-other-chart",
            (
                f"{OTHER_TITLE}: recommendations by recommending actor and their position as of "
                "2012-01-01. Norway: 1 rejected."
            ),
        ),
    ]
    press = _element_text(page, "recommendations-area-a-press")
    assert (
        "Responses by recommending actor , as of 2012-01-01 Supported No response "
        "A recommendation made by several actors together counts once under each. "
        "Responses by recommending actor: Press freedom "  # the table's caption, for screen readers
        "Recommending actor Supported No response Press Freedom Now 0 1 Norway 1 0 Poland 1 0"
    ) in press
    # The bars are as long as the counts: 1 each, on a scale that ends at 1.
    chart = page[
        page.index('<svg class="bars bars-wide"', page.index('id="recommendations-area-a-press"')) :
    ]
    chart = chart[: chart.index("</svg>")]
    widths = re.findall(r'<rect x="8.0" y="[\d.]+" width="([\d.]+)" height="22.0" fill="#', chart)
    assert widths == ["516.0", "516.0", "516.0"]
    assert 'fill="url(#pattern-back-diagonal)"' in chart  # no response: hatched, as in print


def test_markdown_lists_recommendations_by_area_with_a_table_of_the_chart() -> None:
    markdown = _markdown()
    tokens = _check_inert(markdown)
    headings = _headings(tokens)
    assert [t for tag, t in headings if tag == "h2"] == [
        "Verdict", "At a glance", "Gates", "Benchmarks", "Recommendations", "Sources",
        "How each score was reached",
    ]  # fmt: skip
    section = markdown[markdown.index("## Recommendations") : markdown.index("## Sources")]
    assert [t for tag, t in _headings(_tokens(section)) if tag == "h3"] == [
        "Torture", "Press freedom", OTHER_TITLE
    ]  # fmt: skip
    assert (
        "### Press freedom\n\n2 recommendations: \U0001f7e9 1 supported \u00b7 "
        "\u2b1c 1 no response.\n\nImplementation as of 2012-01-01: of 1 recommendation "
        "supported wholly or in part, none assessed.\n\n"
        "Responses by recommending actor, as of 2012-01-01:\n\n"
        "| Recommending actor | \U0001f7e9 Supported | \u2b1c No response |\n"
        "|---|---:|---:|\n| Press Freedom Now | 0 | 1 |\n| Norway | 1 | 0 |\n| Poland | 1 | 0 |\n"
    ) in section
    assert (
        "- **Establish a national preventive mechanism against torture in line with OPCAT, "
        "and\u2026** (`rec-torture`), by Norway, Poland to Kazakhstan, 2010-02-12; Universal "
        "Periodic Review, cycle 1, session 7, para. 97.14, A/HRC/14/10. Position as of "
        "2012-01-01: \U0001f7e9 **Supported**. Themes: Torture, Detention.\n\n"
        f"  {TORTURE_TEXT}\n\n  Source 1, para. 97.14.\n\n"
        "  - Response by Kazakhstan, 2010-03-10: \U0001f7e7 **Noted**. Reason given: Under "
        "consideration by the government\n\n    Source 1, para. 98.\n\n"
        "  - Response by Kazakhstan, 2010-06-01: \U0001f7e9 **Supported**, in force as of "
        "2012-01-01. Reason given: Accepted after review\n\n"
        "    > Kazakhstan accepts this recommendation\n\n    Source 2, p. 3.\n"
    ) in markdown
    # The responses are a list inside the recommendation's item, the quote inside the response.
    assert "Kazakhstan accepts this recommendation" in _text(tokens)
    nesting = [
        t.type for t in _tokens(section) if t.type in ("bullet_list_open", "blockquote_open")
    ]
    assert nesting[:3] == ["bullet_list_open", "bullet_list_open", "blockquote_open"]


def test_markdown_as_of_an_earlier_date_shows_the_earlier_response() -> None:
    markdown = _markdown("2010-04-01")
    assert (
        "  - Response by Kazakhstan, 2010-03-10: \U0001f7e7 **Noted**, in force as of 2010-04-01."
    ) in markdown
    assert "2010-06-01" not in markdown
    assert "| Torture | 1 |" in markdown
    assert "| Theme | \U0001f7e7 Noted |" in markdown


def test_a_dataset_without_recommendations_has_no_recommendation_section() -> None:
    page = hostile_html()
    assert 'id="recommendations"' not in page
    assert '<svg class="pattern-defs"' not in page
    document = recommendations_document()
    document["recommendations"] = []
    document["benchmarks"][0]["recommendations"] = []
    document["gates"][0]["recommendations"] = []
    page = _html(document=document)
    assert 'id="recommendations"' not in page
    assert "Recommendations (" not in page
    dataset = recommendations_dataset(document)
    markdown = report_to_markdown(build_report(dataset, score(dataset, as_of=AS_OF)))
    assert "## Recommendations" not in markdown
    assert "**Recommendations**" not in markdown


# -- implementation, recommendation by recommendation ---------------------------------------------

MONITOR = "Mid-term monitor"


def _tracked_document() -> dict[str, Any]:
    """The dataset with assessments of implementation and evidence that name recommendations.

    rec-torture (supported) is assessed before and after 2012-01-01, and has
    evidence from before and after; rec-other (rejected) is assessed too.
    """
    document = recommendations_document()
    assessed = {"scale": "upr-info-implementation", "assessor": MONITOR}
    document["assessments"] = [
        {"id": "as-torture-2011", "recommendation": "rec-torture", "as_of": "2011-06-30",
         "level": "partially-implemented", "rationale": "A draft law is before parliament.",
         **assessed},
        {"id": "as-torture-2013", "recommendation": "rec-torture", "as_of": "2013-03-01",
         "level": "fully-implemented", "rationale": "The mechanism opened.", **assessed},
        {"id": "as-other-2011", "recommendation": "rec-other", "as_of": "2011",
         "level": "not-implemented", "rationale": "Courts still hand down death sentences.",
         **assessed},
    ]  # fmt: skip
    document["evidence"] = [
        {"id": "ev-opcat", "source": "s-add", "date": "2011-09-15",
         "recommendations": ["rec-torture"], "direction": "progress", "locator": "p. 4",
         "summary": "UNIQUEMARKER: a draft law on the mechanism was published.",
         "quote": "a draft law was published"},
        {"id": "ev-late", "source": "s-add", "date": "2012-06-01",
         "recommendations": ["rec-torture"], "direction": "progress",
         "summary": "LATEMARKER: the mechanism opened its first office."},
    ]  # fmt: skip
    return document


def _tracked(as_of: str = AS_OF) -> tuple[str, str]:
    """The HTML and the Markdown report of the tracked dataset."""
    dataset = recommendations_dataset(_tracked_document())
    report = build_report(dataset, score(dataset, as_of=as_of))
    return report_to_html(report), report_to_markdown(report)


def test_each_recommendation_shows_its_latest_assessment_and_evidence_as_of_the_date() -> None:
    page, markdown = _tracked()
    implemented = (
        "Implementation as of 2012-01-01: Partially implemented , assessed as of 2011-06-30 by "
        f"{MONITOR}. A draft law is before parliament. "
        "Evidence on this recommendation, newest first: Progress 2011-09-15 reliability: unknown "
        "UNIQUEMARKER: a draft law on the mechanism was published. a draft law was published "
        "Addendum: views on conclusions, p. 4 [source]"
    )
    # Under its benchmark, under the gate, and in its area's section.
    for place in ("benchmark-b-torture", "gate-g", "recommendations-area-a-torture"):
        text = _element_text(page, place)
        assert implemented in text, place
        assert "Fully implemented" not in text
        assert "LATEMARKER" not in text
    assert (
        "  Implementation as of 2012-01-01: **Partially implemented**, assessed as of 2011-06-30 "
        f"by {MONITOR}. A draft law is before parliament.\n\n"
        "  Evidence on this recommendation, newest first:\n\n"
        "  - **2011-09-15**, progress: UNIQUEMARKER: a draft law on the mechanism was published.\n"
        "\n    > a draft law was published\n\n"
        "    Source 2, p. 4; reliability: unknown.\n"
    ) in markdown
    assert markdown.count("Implementation as of 2012-01-01: **Partially implemented**") == 2
    assert (
        "(`rec-torture`), by Norway, Poland, 2010-02-12: \U0001f7e9 Supported; implementation: "
        "Partially implemented (assessed as of 2011-06-30); latest evidence, 2011-09-15, "
        "progress: UNIQUEMARKER: a draft law on the mechanism was published.\n"
    ) in markdown  # the gate's short list
    assert "Fully implemented" not in markdown
    assert "LATEMARKER" not in markdown
    # The evidence is read as Markdown: a list in the recommendation's item, the quote in it.
    assert "UNIQUEMARKER" in _text(_check_inert(markdown))


def test_a_later_assessment_and_later_evidence_show_once_the_date_has_come() -> None:
    page, markdown = _tracked("2013-06-30")
    text = _element_text(page, "benchmark-b-torture")
    assert (
        "Implementation as of 2013-06-30: Fully implemented , assessed as of 2013-03-01 by "
        f"{MONITOR}. The mechanism opened. Evidence on this recommendation, newest first: "
        "Progress 2012-06-01 reliability: unknown LATEMARKER: the mechanism opened its first "
        "office. Addendum: views on conclusions [source] Progress 2011-09-15"
    ) in text
    assert "Partially implemented" not in text
    assert "Implementation as of 2013-06-30: **Fully implemented**, assessed as of 2013-03-01" in (
        markdown
    )
    assert markdown.index("LATEMARKER") < markdown.index("UNIQUEMARKER")  # newest first


def test_a_recommendation_without_an_assessment_as_of_the_date_is_not_assessed() -> None:
    page, markdown = _tracked("2011-03-01")  # before every assessment and every evidence
    text = _element_text(page, "benchmark-b-torture")
    assert "Implementation as of 2011-03-01: not assessed." in text
    assert "Evidence on this recommendation" not in page + markdown
    assert "  Implementation as of 2011-03-01: not assessed.\n" in markdown
    press = _element_text(_html(), "recommendations-area-a-press")
    assert "Decriminalise defamation. rec-joint" in press
    assert press.count("Implementation as of 2012-01-01: not assessed.") == 2


def test_an_assessment_of_a_rejected_recommendation_is_shown_though_not_counted() -> None:
    page, markdown = _tracked()
    other = _element_text(page, "recommendations-other")
    assert (
        "Rejected in force as of 2012-01-01 Implementation as of 2012-01-01: Not implemented , "
        f"assessed as of 2011 by {MONITOR}. Courts still hand down death sentences."
    ) in other
    assert "Implementation as of 2012-01-01: of" not in other  # no area: no scorecard count
    assert "**Not implemented**, assessed as of 2011" in markdown


def test_each_area_says_how_many_of_its_supported_recommendations_are_implemented() -> None:
    page, markdown = _tracked()
    sentence = (
        "Implementation as of 2012-01-01: of 1 recommendation supported wholly or in part, "
        "1 assessed: 1 partially implemented."
    )
    assert _element_text(page, "recommendations-area-a-torture").startswith(
        f"Torture 1 recommendation \u00b7 1 supported {sentence}"
    )
    assert f"### Torture\n\n1 recommendation: \U0001f7e9 1 supported.\n\n{sentence}\n" in markdown
    _, later = _tracked("2013-06-30")
    assert "of 1 recommendation supported wholly or in part, 1 assessed: 1 fully implemented." in (
        later
    )


def test_only_the_latest_evidence_on_a_recommendation_is_listed_and_the_rest_counted() -> None:
    document = _tracked_document()
    document["evidence"] = [
        {"id": f"ev-{day}", "source": "s-add", "date": f"2011-10-{day:02}",
         "recommendations": ["rec-torture"], "direction": "progress",
         "summary": f"Finding of October {day}."}
        for day in range(1, 6)
    ]  # fmt: skip
    dataset = recommendations_dataset(document)
    report = build_report(dataset, score(dataset, as_of=AS_OF))
    text = _element_text(report_to_html(report), "benchmark-b-torture")
    shown = re.findall(r"Finding of October (\d)\.", text)
    assert shown == ["5", "4", "3"]
    assert "And 2 more, dated earlier." in text
    markdown = report_to_markdown(report)
    assert "Finding of October 2." not in markdown
    assert "\n\n  And 2 more, dated earlier.\n" in markdown


# -- hostile text ----------------------------------------------------------------------------


def _hostile_recommendations() -> dict[str, Any]:
    document = recommendations_document()
    hostile = iter(HOSTILE_TEXT * 3)
    for actor in document["actors"]:
        actor["name"] = next(hostile)
    for recommendation in document["recommendations"]:
        recommendation["text"] = next(hostile)
        recommendation["themes"] = [next(hostile)]
        recommendation["document"] = next(hostile)
        for response in recommendation.get("responses", ()):
            response["reason"] = next(hostile)
            if "source" in response:
                response["quote"] = next(hostile)
                response["locator"] = next(hostile)
    return document


def test_hostile_text_in_recommendations_stays_text_in_html() -> None:
    page = _html("2012-01-01", _hostile_recommendations())
    parsed = _assert_inert(page)
    shown = " ".join(" ".join(parsed.text).split())
    for hostile in HOSTILE_TEXT:
        assert " ".join(hostile.split()) in shown, hostile
    assert "window.__pwned" not in re.sub(r"&[#\w]+;", "", "".join(re.findall(r"<[^>]*>", page)))


def test_hostile_text_in_recommendations_stays_text_in_markdown() -> None:
    document = _hostile_recommendations()
    dataset = recommendations_dataset(document)
    markdown = report_to_markdown(build_report(dataset, score(dataset, as_of=AS_OF)))
    tokens = _check_inert(markdown)
    text = " ".join(_text(tokens).split()).replace("\u200b", "")
    for hostile in HOSTILE_TEXT:
        assert " ".join(hostile.split()) in text, hostile
    levels = [tag for tag, _ in _headings(tokens)]
    assert levels.count("h2") == 7  # no heading from the data
    assert levels.count("h3") == 1 + 2 + 3  # the gate, the areas, the three sections


# -- the bar chart's layout ---------------------------------------------------------------------


def test_a_bar_too_narrow_for_its_count_leaves_the_count_to_the_total_and_the_title() -> None:
    chart = bar_chart(
        [("A theme whose name is far too long to fit on one line of a phone-sized chart", [
            ("supported", "Supported", 1), ("noted", "Noted", 40), ("pending", "Pending", 0)])],
        subject="Test",
        width=340.0,
    )  # fmt: skip
    (row,) = chart.rows
    assert row.label.endswith("\u2026")
    assert row.full_label.startswith(row.label[:-1])
    assert [(s.key, s.count, s.label) for s in row.segments] == [
        ("supported", 1, ""), ("noted", 40, "40")
    ]  # fmt: skip
    assert row.segments[0].title == (
        "A theme whose name is far too long to fit on one line of a phone-sized chart: 1 supported"
    )
    assert row.total == 41
    assert [t.label for t in chart.ticks] == ["0", "10", "20", "30", "40", "50"]
    assert chart.description == (
        "Test. A theme whose name is far too long to fit on one line of a phone-sized chart: "
        "1 supported, 40 noted."
    )


@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=500), min_size=1, max_size=6),
        min_size=1,
        max_size=15,
    ),
    st.sampled_from([340.0, 560.0]),
)
def test_bars_stay_inside_the_chart_and_are_as_long_as_their_counts(
    rows: list[list[int]], width: float
) -> None:
    chart = bar_chart(
        [(f"row {n}", [(f"k{c}", f"K{c}", count) for c, count in enumerate(row)])
         for n, row in enumerate(rows)],
        subject="Test",
        width=width,
    )  # fmt: skip
    largest_tick = int(chart.ticks[-1].label)
    assert largest_tick >= max(sum(row) for row in rows)
    assert len(chart.ticks) <= 7
    unit = (chart.right - chart.left) / largest_tick
    for laid_out, counts in zip(chart.rows, rows, strict=True):
        assert laid_out.total == sum(counts)
        assert [s.count for s in laid_out.segments] == [c for c in counts if c]
        end = chart.left
        for segment in laid_out.segments:
            assert segment.x == pytest.approx(end, abs=0.2)
            assert segment.width == pytest.approx(unit * segment.count, abs=0.1)
            end = segment.x + segment.width
        assert end <= chart.right + 0.2
        assert laid_out.total_x <= chart.width


# -- every recommendation made by the date is listed, in its place ---------------------------------


_POSITIONS = st.sampled_from([p.value for p in Position if p is not Position.NO_RESPONSE])


@st.composite
def _recommendation_sets(draw: st.DrawFn) -> dict[str, Any]:
    document = recommendations_document()
    document["gates"] = []
    document["benchmarks"][0]["recommendations"] = []
    recommendations = []
    for number in range(draw(st.integers(min_value=0, max_value=8))):
        recommendation_id = f"r{number}"
        if draw(st.booleans()):
            benchmark = draw(st.sampled_from(document["benchmarks"]))
            benchmark.setdefault("recommendations", []).append(recommendation_id)
        responses = [
            {"by": "kz", "position": draw(_POSITIONS),
             "date": f"2011-{draw(st.integers(min_value=1, max_value=12)):02d}"}
            for _ in range(draw(st.integers(min_value=0, max_value=2)))
        ]  # fmt: skip
        recommendations.append(
            {"id": recommendation_id, "text": f"Recommendation {number}.",
             "by": draw(st.lists(st.sampled_from(["norway", "poland", "pfn"]), min_size=1,
                                 max_size=3, unique=True)),
             "to": "kz", "date": f"{draw(st.sampled_from([2010, 2011, 2012]))}-06-01",
             "mechanism": "upr",
             "areas": draw(st.lists(st.sampled_from(["a-torture", "a-press"]), unique=True)),
             "themes": draw(st.lists(st.sampled_from(["Torture", "Media"]), unique=True)),
             "responses": responses}
        )  # fmt: skip
    document["recommendations"] = recommendations
    return document


@settings(max_examples=40, deadline=None)
@given(_recommendation_sets(), st.sampled_from(["2010-12-31", "2011-06-15", "2012-12-31"]))
def test_every_recommendation_made_by_the_date_is_listed_in_its_areas_by_its_position(
    document: dict[str, Any], as_of: str
) -> None:
    dataset = structure(copy.deepcopy(document), Dataset)
    card = score(dataset, as_of=as_of, validated=True)
    report = build_report(dataset, card)
    day = dt.date.fromisoformat(as_of)
    made = {r.id: r for r in dataset.recommendations if made_by(r, day)}
    named: dict[str, set[str]] = {}
    for benchmark in dataset.benchmarks:
        for recommendation_id in benchmark.recommendations:
            named.setdefault(recommendation_id, set()).add(benchmark.area)
    expected: dict[str | None, set[str]] = {}
    for record in made.values():
        homes: set[str | None] = {*record.areas, *named.get(record.id, ())} or {None}
        for home in homes:
            expected.setdefault(home, set()).add(record.id)
    listed: dict[str | None, set[str]] = {}
    for section in report.recommendations:
        ids = [r.id for g in section.groups for r in g.recommendations]
        assert len(ids) == len(set(ids)) == section.total  # each once in its section
        listed[section.area_id] = set(ids)
        for group in section.groups:
            for view in group.recommendations:
                assert view.position == group.key.position
                assert view.position == position_as_of(made[view.id], day).value
        # The chart's columns count each recommendation once per theme (or actor).
        for column, key in enumerate(section.chart.keys):
            counted = sum(row[column] for _, row in section.chart.rows)
            members = [made[r] for g in section.groups for r in
                       (v.id for v in g.recommendations) if g.key == key]  # fmt: skip
            by_theme = section.chart.by == "theme"
            assert counted == sum(
                len(m.themes or ("",)) if by_theme else len(m.by) for m in members
            )
    assert listed == expected
    assert report.recommendations_total == len(made)
    # The report's sections agree with the scorecard's counts of each area.
    by_area = card.recommendations
    if by_area is None:  # a dataset without recommendations
        assert report.recommendations == ()
        return
    for area in dataset.areas:
        sections = [s for s in report.recommendations if s.area_id == area.id]
        shown = {g.key.position: len(g.recommendations) for s in sections for g in s.groups}
        assert {
            p.position.value: p.count for p in by_area.area(area.id).positions if p.count
        } == shown


@pytest.mark.parametrize("name", ["report.html", "report.md"])
def test_control_characters_in_a_recommendation_are_written_as_escapes(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = recommendations_document()
    document["recommendations"][0]["text"] = "Stop \x1b[2Jtorture\u202e now."
    document["recommendations"][0]["responses"][1]["reason"] = "Accepted\x07 \x9b31m"
    source = tmp_path / "dataset.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    target = tmp_path / name
    assert main(["report", str(source), "--as-of", AS_OF, "-o", str(target)]) == 0
    capsys.readouterr()
    text = target.read_text(encoding="utf-8")
    assert set(re.findall(f"[{CONTROLS}]", text)) <= {"\n", "\t"}
    if name.endswith(".md"):
        text = _text(_tokens(text))  # as the reader sees it: escaped for Markdown, too
    assert "Stop \\x1b[2Jtorture\\u202e now." in text
    assert "Accepted\\x07 \\u009b31m" in text

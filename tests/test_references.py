"""References are declared once, on the record fields; checks, docs and schema agree with them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import attrs
import pytest

from benchmarkkit._checks import check_references, check_unique_ids
from benchmarkkit._context import CheckContext, Origin
from benchmarkkit._index import collections_of, index_of
from benchmarkkit._model import COLLECTIONS, Actor, Area, Benchmark, Dataset
from benchmarkkit._references import level_of, plan, record_classes, refers_to
from benchmarkkit._schema import schema
from benchmarkkit._wording import A_RECORD

ROOT = Path(__file__).resolve().parents[1]

# -- a record type added here, and nowhere else ------------------------------------------------


@attrs.frozen(kw_only=True)
class Step:
    """A nested record: one step of a campaign, on a benchmark, perhaps with a level."""

    benchmark: str = attrs.field(metadata=refers_to("benchmarks"))
    scale: str | None = attrs.field(default=None, metadata=refers_to("scales"))
    level: str | None = attrs.field(default=None, metadata=level_of("scale"))


@attrs.frozen(kw_only=True)
class Campaign:
    """A new kind of record, with references of its own and nested records that refer on."""

    id: str
    lead: str = attrs.field(metadata=refers_to("actors"))
    members: tuple[str, ...] = attrs.field(default=(), metadata=refers_to("actors"))
    steps: tuple[Step, ...] = ()


@attrs.frozen(kw_only=True)
class CampaignDataset(Dataset):
    """A dataset with one more collection."""

    campaigns: tuple[Campaign, ...] = ()


def _campaigns() -> tuple[CampaignDataset, CheckContext]:
    dataset = CampaignDataset(
        id="d",
        title="A dataset with campaigns",
        actors=(Actor(id="ngo-a", name="An NGO", kind="ngo"),),
        areas=(Area(id="media", title="Media"),),
        benchmarks=(
            Benchmark(
                id="bm-law", title="A law", statement="It passes.", area="media", type="process"
            ),
        ),
        campaigns=(
            Campaign(
                id="c1",
                lead="ngo-b",
                members=("ngo-a", "ngo-aa"),
                steps=(
                    Step(benchmark="bm-lwa"),
                    Step(benchmark="bm-law", scale="ogp-completion", level="complet"),
                ),
            ),
            Campaign(id="c1", lead="ngo-a"),
        ),
    )
    context = CheckContext(root=None)
    for collection in collections_of(CampaignDataset):
        for position, record in enumerate(getattr(dataset, collection)):
            context.record_origin(record, Origin("d.yaml", f"/{collection}/{position}"))
    return dataset, context


def test_a_new_record_type_has_its_references_checked_with_no_other_change() -> None:
    dataset, context = _campaigns()
    found = [(p.code, p.pointer, p.message) for p in check_references(dataset, context)]
    assert sorted(found) == sorted(
        [
            (
                "unknown-reference",
                "/campaigns/0/lead",
                (
                    "campaign 'c1': 'lead' refers to actor 'ngo-b', which the dataset does not "
                    "define (did you mean 'ngo-a'?)"
                ),
            ),
            (
                "unknown-reference",
                "/campaigns/0/members/1",
                (
                    "campaign 'c1': 'members' refers to actor 'ngo-aa', which the dataset does not "
                    "define (did you mean 'ngo-a'?)"
                ),
            ),
            (
                "unknown-reference",
                "/campaigns/0/steps/0/benchmark",
                (
                    "campaign 'c1': 'steps[0].benchmark' refers to benchmark 'bm-lwa', which the "
                    "dataset does not define (did you mean 'bm-law'?)"
                ),
            ),
            (
                "unknown-level",
                "/campaigns/0/steps/1/level",
                (
                    "campaign 'c1': level 'complet' is not on scale 'ogp-completion', whose levels "
                    "are 'not-started', 'limited', 'substantial' or 'complete' "
                    "(did you mean 'complete'?)"
                ),
            ),
        ]
    )


def test_a_new_record_type_has_its_ids_checked_and_indexed_with_no_other_change() -> None:
    dataset, context = _campaigns()
    found = [(p.code, p.pointer, p.message) for p in check_unique_ids(dataset, context)]
    assert found == [
        (
            "duplicate-id",
            "/campaigns/1/id",
            "campaign id 'c1' is used twice; the first is in d.yaml at /campaigns/0",
        )
    ]
    assert index_of(dataset)["campaigns"]["c1"] is dataset.campaigns[0]


def test_the_collections_of_a_dataset_are_read_from_its_class() -> None:
    assert dict(collections_of(Dataset)) == COLLECTIONS
    assert list(collections_of(Dataset)) == list(COLLECTIONS)
    assert list(collections_of(CampaignDataset)) == [*COLLECTIONS, "campaigns"]


def test_a_class_is_read_once_and_nested_records_only_where_they_refer() -> None:
    assert plan(Campaign) is plan(Campaign)
    assert plan(Campaign).nested == ("steps",)
    assert [(r.field, r.target, r.many) for r in plan(Campaign).references] == [
        ("lead", "actors", False),
        ("members", "actors", True),
    ]
    assert plan(Step).levels == (("level", "scale"),)


# -- the schema and the docs say what the fields declare ----------------------------------------

_ID_OF = re.compile(r"\bid of (an? [a-z ]+?)[.)]")


def _declared(classes: tuple[type, ...]) -> dict[str, str]:
    """What each reference field holds, as the record classes declare it."""
    found = {}
    for cls in classes:
        for reference in plan(cls).references:
            found[f"{cls.__name__}.{reference.field}"] = A_RECORD[reference.target]
        for field, _scale in plan(cls).levels:
            found[f"{cls.__name__}.{field}"] = "a level"
    return found


def _holds(name: str, node: dict[str, Any]) -> str | None:
    """What an id field of the schema holds, from its description (or its items')."""
    items = node.get("items", {})
    if name == "id" or "Id" not in (node.get("$ref", "") + items.get("$ref", "")).split("/"):
        return None
    text = f"{node.get('description', '')} {items.get('description', '')}"
    match = _ID_OF.search(text)
    if match is not None and not match.group(1).startswith("a level"):
        return match.group(1)
    return "a level" if "level" in text else "an id the description does not name"


def _in_schema(classes: tuple[type, ...], definitions: dict[str, Any]) -> dict[str, str]:
    found = {}
    for cls in classes:
        properties = definitions.get(cls.__name__, {}).get("properties", {})
        for name, node in properties.items():
            holds = _holds(name, node)
            if holds is not None:
                found[f"{cls.__name__}.{name}"] = holds
    return found


def reference_differences(classes: tuple[type, ...], definitions: dict[str, Any]) -> list[str]:
    """Every field whose declared reference differs from the schema's, in words."""
    model, described = _declared(classes), _in_schema(classes, definitions)
    return [
        f"{field}: the model declares {model.get(field, 'no reference')}, the schema "
        f"describes {described.get(field, 'no reference')}"
        for field in sorted(model.keys() | described.keys())
        if model.get(field) != described.get(field)
    ]


def test_every_reference_the_model_declares_is_one_the_schema_describes() -> None:
    classes = record_classes(COLLECTIONS.values())
    assert reference_differences(classes, schema("definitions")["$defs"]) == []


def test_a_reference_field_the_schema_does_not_know_is_named() -> None:
    definitions = schema("definitions")["$defs"]
    assert reference_differences((Campaign, Step), definitions) == [
        "Campaign.lead: the model declares an actor, the schema describes no reference",
        "Campaign.members: the model declares an actor, the schema describes no reference",
        "Step.benchmark: the model declares a benchmark, the schema describes no reference",
        "Step.level: the model declares a level, the schema describes no reference",
        "Step.scale: the model declares a status scale, the schema describes no reference",
    ]


@pytest.mark.parametrize("field", sorted(_declared(record_classes(COLLECTIONS.values()))))
def test_the_data_format_reference_lists_every_declared_reference(field: str) -> None:
    page = (ROOT / "docs" / "reference" / "data-format.md").read_text(encoding="utf-8")
    name, attribute = field.split(".")
    holds = _declared(record_classes(COLLECTIONS.values()))[field]
    row = f"| [{name}](#{name.lower()}) | `{attribute}` | "
    assert any(line.startswith(row) and holds in line for line in page.splitlines()), (
        f"docs/reference/data-format.md does not list {field} among the references; "
        "run python docs/generate_reference.py"
    )

"""Positions of JSON pointers, checked against slow, obviously correct reference locators."""

from __future__ import annotations

import copy
import json
import random
import re
import sys
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarkkit import _positions
from benchmarkkit._positions import locate_json, locate_yaml

BOM = "\ufeff"

# --------------------------------------------------------------------------------------
# Reference locators: slow and simple.
# --------------------------------------------------------------------------------------

_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null")
_INDEX = re.compile(r"0|[1-9][0-9]*")


def _spaces(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\n\r":
        i += 1
    return i


def _string_end(text: str, i: int) -> int:
    """Offset just past the string literal that opens at ``text[i]``."""
    i += 1
    while text[i] != '"':
        i += 2 if text[i] == "\\" else 1
    return i + 1


def _parse(text: str, i: int) -> tuple[Any, int]:
    """Return the position tree of the value at ``i``, and its end.

    An object gives ``{key: (offset of the key, subtree)}`` (a later duplicate key
    replaces an earlier one), an array ``[(offset of the item, subtree)]``.
    """
    if text[i] in "{[":
        close = "}" if text[i] == "{" else "]"
        members: dict[str, tuple[int, Any]] = {}
        items: list[tuple[int, Any]] = []
        i = _spaces(text, i + 1)
        while text[i] != close:
            if close == "}":
                end = _string_end(text, i)
                key = json.loads(text[i:end])
                colon = _spaces(text, end)
                assert text[colon] == ":"
                subtree, after = _parse(text, _spaces(text, colon + 1))
                members[key] = (i, subtree)
            else:
                subtree, after = _parse(text, i)
                items.append((i, subtree))
            i = _spaces(text, after)
            if text[i] == ",":
                i = _spaces(text, i + 1)
        return (members if close == "}" else items), i + 1
    if text[i] == '"':
        return None, _string_end(text, i)
    match = _SCALAR.match(text, i)
    assert match
    return None, match.end()


def reference_segments(pointer: str) -> list[str]:
    if not pointer.startswith("/"):
        return []
    segments = []
    for raw in pointer.split("/")[1:]:
        if re.search(r"~[^01]|~$", raw):
            break
        segments.append(raw.replace("~1", "/").replace("~0", "~"))
    return segments


def reference_line_column(text: str, offset: int) -> tuple[int, int]:
    lines = re.split(r"\r\n|\r|\n", text[:offset])
    column = len(lines[-1]) + 1
    if len(lines) == 1 and text.startswith(BOM) and offset > 0:
        column -= 1
    return len(lines), column


def reference_json(text: str, pointer: str) -> tuple[int, int]:
    start = _spaces(text, 1 if text.startswith(BOM) else 0)
    offset, tree = start, _parse(text, start)[0]
    for segment in reference_segments(pointer):
        if isinstance(tree, dict) and segment in tree:
            offset, tree = tree[segment]
        elif isinstance(tree, list) and _INDEX.fullmatch(segment) and int(segment) < len(tree):
            offset, tree = tree[int(segment)]
        else:
            break
    return reference_line_column(text, offset)


def reference_yaml(text: str, pointer: str) -> tuple[int, int]:
    """Follow the pointer through the parser's events rather than composed nodes."""
    events = iter(yaml.parse(text, Loader=yaml.SafeLoader))
    anchors: dict[str | None, tuple[Any, Any]] = {}

    def node(event: yaml.Event) -> tuple[Any, Any]:
        """Return the mark of the node that starts with ``event``, and its tree of marks."""
        if isinstance(event, yaml.AliasEvent):
            return anchors[event.anchor]
        tree: Any = None
        if isinstance(event, yaml.SequenceStartEvent):
            tree = []
            while not isinstance(item := next(events), yaml.SequenceEndEvent):
                tree.append(node(item))
        elif isinstance(event, yaml.MappingStartEvent):
            tree = {}
            while not isinstance(key := next(events), yaml.MappingEndEvent):
                key_mark = node(key)[0]
                value = node(next(events))
                if isinstance(key, yaml.ScalarEvent):
                    tree[key.value] = (key_mark, value[1])
        result = (event.start_mark, tree)
        if isinstance(event, yaml.NodeEvent) and event.anchor:
            anchors[event.anchor] = result
        return result

    while not isinstance(next(events), yaml.DocumentStartEvent):
        pass
    mark, tree = node(next(events))
    for segment in reference_segments(pointer):
        if isinstance(tree, dict) and segment in tree:
            mark, tree = tree[segment]
        elif isinstance(tree, list) and _INDEX.fullmatch(segment) and int(segment) < len(tree):
            mark, tree = tree[int(segment)]
        else:
            break
    return mark.line + 1, mark.column + 1


def all_pointers(value: object, prefix: str = "") -> list[str]:
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            escaped = str(key).replace("~", "~0").replace("/", "~1")
            out += all_pointers(child, f"{prefix}/{escaped}")
    elif isinstance(value, list):
        for index, child in enumerate(value):
            out += all_pointers(child, f"{prefix}/{index}")
    return out


# --------------------------------------------------------------------------------------
# Strategies: JSON values, and texts that encode them in many ways.
# --------------------------------------------------------------------------------------

tricky_text = st.text(
    st.characters(codec="utf-8")
    | st.sampled_from('"\\{}[]:,/~ \t\n\r\u00e9\u2019\U0001f600\x00\x1f'),
    max_size=8,
)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | tricky_text,
    lambda children: (
        st.lists(children, max_size=6) | st.dictionaries(tricky_text, children, max_size=6)
    ),
    max_leaves=25,
)
_SPACE = (" ", "\t", "\n", "\r\n", "\r", "  ")
_DECOYS = (0, "x", [1, [2]], {"k": "v"}, {"id": "ev-3"}, [{"id": "ev-1"}])


def _string(value: str, rng: random.Random) -> str:
    out = ['"']
    for char in value:
        escape = rng.random() < 0.25
        if char in '"\\' or ord(char) < 0x20 or escape:
            if char in '"\\/\b\f\n\r\t' and rng.random() < 0.5:
                out.append(
                    "\\" + {"\b": "b", "\f": "f", "\n": "n", "\r": "r", "\t": "t"}.get(char, char)
                )
            else:
                units = char.encode("utf-16-be")
                for k in range(0, len(units), 2):
                    hexa = units[k : k + 2].hex()
                    out.append("\\u" + (hexa.upper() if rng.random() < 0.5 else hexa))
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def serialise(value: object, rng: random.Random) -> str:
    """Encode with random whitespace, escapes and earlier duplicates of keys."""

    def space() -> str:
        return "".join(rng.choice(_SPACE) for _ in range(rng.randrange(3)))

    if isinstance(value, dict):
        members = []
        for key, child in value.items():
            if rng.random() < 0.15:
                members.append(
                    _string(key, rng)
                    + space()
                    + ":"
                    + space()
                    + serialise(rng.choice(_DECOYS), rng)
                )
            members.append(_string(key, rng) + space() + ":" + space() + serialise(child, rng))
        return "{" + space() + ("," + space()).join(m + space() for m in members) + "}"
    if isinstance(value, list):
        return (
            "[" + space() + ("," + space()).join(serialise(v, rng) + space() for v in value) + "]"
        )
    if isinstance(value, str):
        return _string(value, rng)
    return json.dumps(value)


@st.composite
def json_documents(
    draw: st.DrawFn, values: st.SearchStrategy[object] = json_values
) -> tuple[str, object]:
    value = draw(values)
    if draw(st.booleans()):
        text = json.dumps(
            value,
            indent=draw(st.sampled_from([None, 0, 1, 2, "\t"])),
            separators=draw(st.sampled_from([(",", ":"), (", ", ": "), (",\n", " : ")])),
            ensure_ascii=draw(st.booleans()),
        )
    else:
        text = serialise(value, random.Random(draw(st.integers(0, 2**32))))
        text = draw(st.sampled_from(["", " ", "\r\n\t"])) + text + draw(st.sampled_from(["", "\n"]))
    data = json.loads(text)
    if draw(st.booleans()):
        text = BOM + text
    return text, data


_ODD_ENDINGS = ("/missing", "/0", "/99", "/01", "/-", "/~2", "~")


@st.composite
def pointers_into(draw: st.DrawFn, data: object) -> list[str]:
    """Pointers that exist in ``data``, and some that do not or are not even valid."""
    existing = all_pointers(data)
    chosen = draw(st.lists(st.sampled_from(existing), min_size=1, max_size=12))
    odd = draw(
        st.lists(
            st.sampled_from(existing).flatmap(
                lambda p: st.sampled_from([*(p + s for s in _ODD_ENDINGS), "x" + p])
            ),
            max_size=6,
        )
    )
    return chosen + odd


@given(st.data())
def test_json_positions_match_the_reference(data: st.DataObject) -> None:
    text, value = data.draw(json_documents())
    pointers = data.draw(pointers_into(value))
    expected = {p: reference_json(text, p) for p in pointers}
    assert expected == locate_json(text, value, pointers)


# Records in long arrays are reached by counting, not by decoding: give that every trap.
record_ids = st.from_regex(r"[a-z]{1,2}-[0-9]{1,2}", fullmatch=True)


@st.composite
def record_arrays(draw: st.DrawFn) -> list[object]:
    ids = draw(st.lists(record_ids, min_size=1, max_size=6))
    records: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(5, 20))):
        record = {
            "id": draw(st.sampled_from(ids)),
            "source": draw(st.sampled_from(ids)),  # a reference that looks like an id
            "quote": draw(st.sampled_from(ids).map(lambda i: f'"id": "{i}" {{[') | tricky_text),
            "benchmarks": draw(st.lists(st.sampled_from(ids), max_size=3)),
        }
        if draw(st.booleans()):
            record["date"] = "2012-03-20"
        keys = draw(st.permutations(list(record)))  # the id is not always first
        records.append({k: record[k] for k in keys})
    for _ in range(draw(st.integers(0, 4))):  # copies of whole records, alone or nested
        source = draw(st.sampled_from(records))
        target = draw(st.integers(0, len(records)))
        if draw(st.booleans()):
            records.insert(target, copy.deepcopy(source))
        else:
            records[target % len(records)]["related"] = copy.deepcopy(source)
    return draw(st.sampled_from([records, [[r] for r in records], [*records, 1, "x", None]]))


datasets = st.fixed_dictionaries(
    {"actors": record_arrays(), "evidence": record_arrays(), "n": st.integers()}
)


@given(st.data())
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example])
def test_records_in_long_arrays_are_found_despite_decoys(data: st.DataObject) -> None:
    text, value = data.draw(json_documents(datasets))
    pointers = data.draw(pointers_into(value))
    expected = {p: reference_json(text, p) for p in pointers}
    assert expected == locate_json(text, value, pointers)


# --------------------------------------------------------------------------------------
# Examples
# --------------------------------------------------------------------------------------

EXAMPLE = (
    '{\n  "title": "A",\n  "evidence": [\n    {"id": "ev-1", "date": "2012"},\n'
    '    {"quote": "x\\"y", "id": "ev-2"}\n  ],\n  "a/b": {"m~n": [10, [20, 21]]}\n}\n'
)


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        ("", (1, 1)),
        ("/title", (2, 3)),
        ("/evidence", (3, 3)),
        ("/evidence/0", (4, 5)),
        ("/evidence/0/date", (4, 20)),
        ("/evidence/1/id", (5, 23)),
        ("/a~1b/m~0n/1/0", (7, 24)),
        ("/evidence/0/summary", (4, 5)),  # a required key that is missing: its object
        ("/evidence/2/date", (3, 3)),  # an index out of range: the array
        ("/evidence/-", (3, 3)),
        ("/evidence/00", (3, 3)),
        ("/title/0", (2, 3)),  # through a scalar: the scalar's key
        ("/a~1b/m~0n/1/0/x", (7, 24)),
        ("no slash", (1, 1)),
        ("/evidence/~2/x", (3, 3)),  # an invalid escape: what comes before it
    ],
)
def test_example_positions(pointer: str, expected: tuple[int, int]) -> None:
    assert expected == reference_json(EXAMPLE, pointer)
    assert {pointer: expected} == locate_json(EXAMPLE, json.loads(EXAMPLE), [pointer])


def test_every_pointer_given_has_an_entry() -> None:
    pointers = ["", "/title", "/title", "/nothing", "///"]
    assert set(pointers) == set(locate_json(EXAMPLE, json.loads(EXAMPLE), pointers))
    assert not locate_json(EXAMPLE, json.loads(EXAMPLE), [])


def test_the_last_of_duplicate_keys_is_found() -> None:
    text = '{"a": {"b": 1}, "c": 2, "a": {"x": 0, "b": 3}}'
    expected = {"/a": (1, 25), "/a/b": (1, 39)}
    assert expected == locate_json(text, json.loads(text), ["/a", "/a/b"])


def test_a_duplicate_key_after_a_long_array_is_found() -> None:
    first = [{"id": f"ev-{i}", "n": i} for i in range(50)]
    text = (
        json.dumps({"evidence": first, "x": 1}, indent=2)[:-2]
        + ',\n  "evidence": '
        + json.dumps(first)
        + "\n}"
    )
    value = json.loads(text)
    pointers = ["/evidence", "/evidence/40/n", "/x"]
    assert {p: reference_json(text, p) for p in pointers} == locate_json(text, value, pointers)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_breaks_of_every_kind_count_once(newline: str) -> None:
    text = newline.join(["{", '\t"a": 1,', "", '\t"b": [true,', "\t\tnull]", "}"])
    expected = {"/a": (2, 2), "/b/1": (5, 3)}
    assert expected == locate_json(text, json.loads(text), ["/a", "/b/1"])


def test_a_byte_order_mark_is_not_a_column() -> None:
    text = BOM + '{"a": 1}'
    expected = {"": (1, 1), "/a": (1, 2)}
    assert expected == locate_json(text, json.loads(text[1:]), ["", "/a"])


def test_columns_count_characters_not_bytes() -> None:
    text = '{"\u00e9\U0001f600": 1, "b": 2}'
    expected = {"/b": (1, 11)}
    assert expected == locate_json(text, json.loads(text), ["/b"])


def test_a_scalar_root_and_empty_text_do_not_fail() -> None:
    expected = {"": (1, 3), "/a": (1, 3)}
    assert expected == locate_json('  "x"', "x", ["", "/a"])
    expected = {"": (1, 1)}
    assert expected == locate_json("", None, [""])


@pytest.mark.parametrize(
    ("text", "data"),
    [
        ('{"a": [1, 2', {"a": [1, 2, 3]}),  # cut short
        ('{"a": 1}', {"b": {"c": 1}}),  # not the data of this text
        ("[1, 2]", {"a": 1}),
        ('{"a" 1}', {"a": 1}),
        ('{"a": 1, 2: 3}', {"a": 1, "b": 1}),
        ("not json", [1]),
        ("[" + "{}, " * 9 + "{}]", [{}] * 6),  # the array is longer than the data says
        (  # the array is longer than the data says, and is skipped by jumping to its end
            '{"b": [' + ", ".join(f'{{"i": {i}}}' for i in range(9)) + '], "a": 1}',
            {"b": [{"i": i} for i in range(6)], "a": 1},
        ),
    ],
)
def test_odd_input_never_raises(text: str, data: object) -> None:
    result = locate_json(text, data, ["", "/a", "/a/2", "/b/c", "/0"])
    assert all(line >= 1 and column >= 1 for line, column in result.values())


def test_deep_nesting_needs_no_recursion() -> None:
    depth = 5000
    text = "[" * depth + "1" + "]" * depth
    value: list[Any] = [1]
    for _ in range(depth - 1):
        value = [value]
    pointer = "/0" * (depth - 1)
    assert {pointer: (1, depth)} == locate_json(text, value, [pointer])


def test_skipping_a_deep_value_counts_brackets() -> None:
    deep = "[" * 5000 + '"]"' + "]" * 5000
    text = '{"deep": ' + deep + ', "b": 2}'
    expected = {"/b": (1, len(text) - 6)}
    assert expected == locate_json(text, {"b": 2}, ["/b"])
    cut = '{"deep": ' + "[" * 5000 + ', "b": 2}'
    expected = {"/b": (1, 1)}  # a value that never ends: the root
    assert expected == locate_json(cut, {"b": 2}, ["/b"])


def test_long_arrays_are_crossed_without_decoding_each_item(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    records = [{"id": f"ev-{i}", "quote": "{" * (i % 3), "n": [i, {"k": i}]} for i in range(2000)]
    text = json.dumps({"actors": records, "evidence": records}, indent=2)
    value = json.loads(text)
    decoded = []
    skip_value = _positions._skip_value

    def counting_skip_value(text: str, pos: int) -> int:
        decoded.append(pos)
        return skip_value(text, pos)

    monkeypatch.setattr(_positions, "_skip_value", counting_skip_value)
    for pointers in (["/evidence/1999/n/1/k", "/evidence/1000", "/actors/3"], ["/evidence/5"]):
        decoded.clear()
        expected = {p: reference_json(text, p) for p in pointers}
        assert expected == locate_json(text, value, pointers)
        assert len(decoded) < 40


def test_the_plain_walk_the_scaling_script_measures_finds_the_same_positions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # ``benchmarks/positions_scaling.py --plain`` turns the jumps off this way; the figures
    # in docs/performance.md compare the two, so both must find the same places.
    records = [{"id": f"ev-{i}", "quote": "{" * (i % 3), "n": [i, {"k": i}]} for i in range(600)]
    text = json.dumps({"actors": records, "evidence": records}, indent=1)
    value = json.loads(text)
    pointers = ["/evidence/599/n/1/k", "/evidence/300", "/actors/3/quote", "/evidence/600"]
    jumping = locate_json(text, value, pointers)
    monkeypatch.setattr(_positions, "_JUMP_MIN", sys.maxsize)
    assert jumping == locate_json(text, value, pointers)
    assert {p: jumping[p] for p in pointers[:-1]} == {
        p: reference_json(text, p) for p in pointers[:-1]
    }


def test_escaped_braces_make_counting_give_up() -> None:
    # "{" written as \u007b is invisible to counting; a later equal record must not be taken.
    same = {"id": "ev-9", "n": 9}
    records = [
        {"id": "ev-0", "q": "{"},
        {"id": "ev-1"},
        {"id": "ev-2"},
        {"id": "ev-3"},
        same,
        same,
        same,
    ]
    text = json.dumps({"evidence": records}).replace('"{"', '"\\u007b"')
    pointers = ["/evidence/5", "/evidence/6"]
    assert {p: reference_json(text, p) for p in pointers} == locate_json(
        text, json.loads(text), pointers
    )


def test_a_duplicate_key_cannot_pass_off_a_nested_copy_as_the_record() -> None:
    # The hidden value of "x" holds two "{" more than the data has: counting alone
    # would land on the copy of the last record nested in the fourth.
    last = {"id": "ev-9", "n": 9}
    nested = '{"x": {"p": {}}, "x": 0, "y": ' + json.dumps(last) + "}"
    text = '[{"id": "a"}, {}, {}, ' + nested + ', {"id": "c"}, ' + json.dumps(last) + "]"
    expected = {"/5": reference_json(text, "/5")}
    assert expected == locate_json(text, json.loads(text), ["/5"])


def test_a_duplicate_key_cannot_pass_off_an_equal_record_as_the_one_wanted() -> None:
    # The hidden value of "b" holds as many "{" as a record: counting alone would
    # land on the record before the one wanted, which is equal to it.
    same = '{"id": "a", "b": []}'
    text = '[{"b": {"c": {}}, "b": 0}, ' + ", ".join([same] * 6) + "]"
    expected = {"/6": reference_json(text, "/6")}
    assert expected == locate_json(text, json.loads(text), ["/6"])


def test_counting_copes_with_text_denser_or_sparser_than_compact_json() -> None:
    # Compact JSON in UTF-8 is longer than the text in characters when most are not ASCII,
    # and far shorter when the text is padded: the estimate overshoots or falls short.
    dense = [{"id": f"ev-{i}", "quote": "\u4eba\u6a29" * 20} for i in range(300)]
    sparse: list[object] = [0] * 30 + [{"id": f"ev-{i}"} for i in range(300)]
    for records, text in [
        (dense, json.dumps(dense, ensure_ascii=False, separators=(",", ":"))),
        (sparse, "[" + ",".join(" " * 200 + json.dumps(r) for r in sparse) + "]"),
    ]:
        pointers = ["/5", "/120", "/299", "/310"]
        assert {p: reference_json(text, p) for p in pointers} == locate_json(
            text, records, pointers
        )


def test_counting_gives_up_when_the_text_runs_out() -> None:
    too_few, none, found = -1, -1, 3
    assert too_few == _positions._nth("{ {" + " " * 100, "{", 0, 100, 1)
    assert too_few == _positions._nth("{ {", "{", 0, 4, 100)
    assert none == _positions._nth(" " * 100, "{", 0, 100, 1)
    assert found == _positions._nth("{ {{{", "{", 0, 3, 100)


def test_values_compact_json_cannot_hold_are_found_by_decoding() -> None:
    records = [{"id": f"ev-{i}", "n": 2**80 + i} for i in range(20)]
    text = json.dumps(records)
    assert {"/15/n": reference_json(text, "/15/n")} == locate_json(
        text, json.loads(text), ["/15/n"]
    )


# --------------------------------------------------------------------------------------
# YAML
# --------------------------------------------------------------------------------------

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(st.characters(codec="utf-8"), max_size=6),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(st.text(st.characters(codec="utf-8"), max_size=6), children, max_size=5)
    ),
    max_leaves=20,
)


@given(st.data())
def test_yaml_positions_match_the_reference(data: st.DataObject) -> None:
    value = data.draw(yaml_values)
    text = yaml.dump(
        value,
        default_flow_style=data.draw(st.sampled_from([False, True, None])),
        default_style=data.draw(st.sampled_from([None, '"', "'"])),
        allow_unicode=data.draw(st.booleans()),
        indent=data.draw(st.integers(2, 5)),
        width=data.draw(st.sampled_from([20, 80])),
    )
    pointers = data.draw(pointers_into(value))
    loader = yaml.CSafeLoader if data.draw(st.booleans()) else yaml.SafeLoader
    expected = {p: reference_yaml(text, p) for p in pointers}
    assert expected == locate_yaml(yaml.compose(text, Loader=loader), pointers)


YAML_EXAMPLE = """\
base: &base
  kind: state
  name: Ministry
extra: &extra {name: Other, country: FR}
actor:
  <<: [*base, *extra]
  name: Police
alias: *base
list:
  - a
  - {b: 1, b: 2}
? [complex, key]
: value
"""


@pytest.mark.parametrize(
    ("pointer", "expected"),
    [
        ("", (1, 1)),
        ("/actor/name", (7, 3)),  # an own key wins over merged ones
        ("/actor/kind", (2, 3)),  # merged: where the merged mapping has it
        ("/actor/country", (4, 29)),  # the second merged mapping
        ("/actor/missing", (5, 1)),
        ("/alias/kind", (2, 3)),  # an alias is where its anchor is
        ("/alias", (8, 1)),
        ("/list/1", (11, 5)),
        ("/list/1/b", (11, 12)),  # the last of duplicate keys
        ("/list/2", (9, 1)),
        ("/list/0/x", (10, 5)),
    ],
)
@pytest.mark.parametrize("loader", [yaml.SafeLoader, yaml.CSafeLoader])
def test_yaml_example_positions(
    pointer: str, expected: tuple[int, int], loader: type[yaml.SafeLoader]
) -> None:
    assert {pointer: expected} == locate_yaml(yaml.compose(YAML_EXAMPLE, Loader=loader), [pointer])


def test_an_empty_yaml_document_has_only_the_start() -> None:
    expected = {"": (1, 1), "/a": (1, 1)}
    assert expected == locate_yaml(yaml.compose("", Loader=yaml.SafeLoader), ["", "/a"])


def test_yaml_cycles_end() -> None:
    node = yaml.compose("a: &a\n  self: *a\n  <<: *a\n", Loader=yaml.SafeLoader)
    expected = {"/a/self/self/self": (2, 3), "/a/missing": (1, 1)}
    assert expected == locate_yaml(node, ["/a/self/self/self", "/a/missing"])


# --------------------------------------------------------------------------------------
# Lines as people count them: LF, CR LF and a lone CR end a line; NEL, U+2028 and U+2029
# do not (YAML 1.2, JSON, and editors agree); PyYAML's YAML 1.1 counts them as breaks.
# --------------------------------------------------------------------------------------

_BREAKS = st.sampled_from(["\n", "\r\n", "\r"])
_NOT_BREAKS = st.text(alphabet=st.sampled_from("a \x85\u2028\u2029"), max_size=4)


def _lines_problems(tmp_path: Any, name: str, lines: list[str], breaks: list[str]) -> Any:
    from benchmarkkit import validate

    text = "".join(line + end for line, end in zip(lines, breaks, strict=True))
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return validate(path, plugins=False).problems


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.lists(_NOT_BREAKS, min_size=1, max_size=6),
    breaks=st.data(),
    syntax_error=st.booleans(),
)
def test_yaml_problems_are_on_the_line_people_count(
    tmp_path: Any, texts: list[str], breaks: Any, syntax_error: bool
) -> None:
    lines = ['schema_version: "1.0"', "id: d", f'title: "T{texts[0]}"', "areas:"]
    for n, text in enumerate(texts[1:]):
        lines += [f"  - id: a{n}", f'    title: "A{text}"']
    lines += [
        "  - id: z",
        "    title: Z",
        "    source: [oops" if syntax_error else "    source: no",
    ]
    ends = breaks.draw(st.lists(_BREAKS, min_size=len(lines), max_size=len(lines)))
    problems = _lines_problems(tmp_path, "d.yaml", lines, ends)
    wanted = ("yaml-syntax", len(lines) + 1, 1) if syntax_error else ("unknown-reference",)
    found = [(p.code, p.line, p.column) for p in problems]
    if syntax_error:
        assert found == [wanted]  # the end of the file, where the flow list is still open
    else:
        assert found == [("unknown-reference", len(lines), 5)]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.lists(_NOT_BREAKS, min_size=1, max_size=6),
    breaks=st.data(),
    syntax_error=st.booleans(),
)
def test_json_problems_are_on_the_line_people_count(
    tmp_path: Any, texts: list[str], breaks: Any, syntax_error: bool
) -> None:
    lines = ['{"schema_version": "1.0",', '"id": "d",', f'"title": "T{texts[0]}",', '"areas": [']
    for n, text in enumerate(texts[1:]):
        lines += [f'{{"id": "a{n}",', f'"title": "A{text}"}},']
    lines += [
        '{"id": "z", "title": "Z",',
        ' "source": nope}]}' if syntax_error else ' "source": "no"}]}',
    ]
    ends = breaks.draw(st.lists(_BREAKS, min_size=len(lines), max_size=len(lines)))
    problems = _lines_problems(tmp_path, "d.json", lines, ends)
    found = [(p.code, p.line, p.column) for p in problems]
    wanted = "json-syntax" if syntax_error else "unknown-reference"
    assert found == [(wanted, len(lines), 12 if syntax_error else 2)]


def test_a_nel_on_line_33_leaves_a_problem_on_line_61_on_line_61(tmp_path: Any) -> None:
    lines = ['schema_version: "1.0"', "id: d"] + [f"# note {n}" for n in range(30)]
    lines += ['title: "Major\x85 opposition"', "areas:"]
    lines += [f"  # more {n}" for n in range(24)]
    lines += ["  - id: z", "    title: Z", "    source: no"]
    assert lines.index('title: "Major\x85 opposition"') == 32
    problems = _lines_problems(tmp_path, "d.yaml", lines, ["\n"] * len(lines))
    assert [(p.code, p.line, p.column) for p in problems] == [("unknown-reference", 61, 5)]


@given(
    st.lists(st.sampled_from(["a", "bc", "\n", "\r\n", "\r", "\x85", "\u2028", " "]), max_size=40)
)
def test_the_line_index_gives_what_line_and_column_gives(pieces: list[str]) -> None:
    from benchmarkkit._files import LineIndex, line_and_column

    text = "".join(pieces)
    lines = LineIndex(text)
    for offset in range(len(text) + 1):
        if text[offset - 1 : offset + 1] == "\r\n":
            continue  # between the two characters of one line break: no place a problem is
        assert lines.position(offset) == line_and_column(text, offset)

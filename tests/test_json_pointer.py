"""JSON Pointers are written, read and followed in one place, beside the problem types.

Every layer that says where a problem is (reading, the schema, the checks)
builds its pointers with :func:`benchmarkkit._problems.pointer` and reads them
with :func:`benchmarkkit._problems.pointer_parts`; none escapes "~" and "/"
itself, and the reading layer takes the helper from the bottom, not from the
wording of schema problems. The value a path leads to is found by
:func:`benchmarkkit._problems.walk` (and :func:`~benchmarkkit._problems.value_at`),
in the schema, its messages and saving alike.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit._problems import pointer, pointer_parts, value_at, walk

SRC = Path(__file__).resolve().parents[1] / "src" / "benchmarkkit"

#: Code that escapes or unescapes a JSON Pointer part: "~" and "~0", or "/" and "~1".
_ESCAPING = re.compile(r"""replace\(\s*["'](?:~["'],\s*["']~0|~1["'],\s*["']/|/["'],\s*["']~1)""")

#: Modules that still escape pointers themselves, each with the reason it is not yet fixed.
#: An entry is removed once its module uses the helper; the test fails on a stale entry.
_NOT_YET: dict[str, str] = {}

_parts = st.lists(st.text() | st.integers(min_value=0), max_size=6)


@given(_parts)
def test_a_pointer_reads_back_as_its_parts(path: list[str | int]) -> None:
    assert pointer_parts(pointer(path)) == [str(part) for part in path]


@given(_parts)
def test_a_pointer_has_one_slash_per_part_and_no_bare_tilde(path: list[str | int]) -> None:
    written = pointer(path)
    assert written.count("/") == len(path)  # a "/" in a part is written "~1"
    assert re.search(r"~(?![01])", written) is None


def test_the_escapes_of_rfc_6901() -> None:
    assert pointer(["a/b", "m~n", 0, ""]) == "/a~1b/m~0n/0/"
    assert pointer_parts("/a~1b/m~0n/0/") == ["a/b", "m~n", "0", ""]
    assert pointer_parts("/~01") == ["~1"]  # "~0" then "1", never "~" then "~1"
    assert pointer([]) == ""
    assert pointer_parts("") == []


def test_parts_stop_at_a_part_that_is_not_valid() -> None:
    assert pointer_parts("/a/b~2c/d") == ["a"]
    assert pointer_parts("no-slash") == []


def test_only_the_problems_module_escapes_json_pointers() -> None:
    escaping = {
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if _ESCAPING.search(path.read_text(encoding="utf-8"))
    }
    assert escaping - set(_NOT_YET) == {"_problems.py"}
    assert set(_NOT_YET) <= escaping, "a module in _NOT_YET is fixed: remove it from the list"


def _imports(module: str) -> set[str]:
    tree = ast.parse((SRC / module).read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_reading_takes_the_pointer_helper_from_the_bottom_not_from_the_schema_layer() -> None:
    reading = ["_json_keys.py", "_json_file.py", "_json_values.py", "_positions.py"]
    for module in reading:
        imported = _imports(module)
        assert not imported & {"benchmarkkit._schema_messages", "benchmarkkit._schema"}, module
    assert "benchmarkkit._problems" in _imports("_json_keys.py")
    assert "benchmarkkit._problems" in _imports("_positions.py")


# -- following a path to its value ---------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=12,
)


@st.composite
def _paths(draw: st.DrawFn) -> tuple[Any, list[str | int], Any]:
    """A JSON document, a path to one of its values, and that value."""
    document = draw(_json)
    path: list[str | int] = []
    value: Any = document
    while isinstance(value, dict | list) and value and draw(st.booleans()):
        steps: list[str | int] = sorted(value) if isinstance(value, dict) else [*range(len(value))]
        step = draw(st.sampled_from(steps))
        path.append(step)
        value = value[str(step)] if isinstance(value, dict) else value[int(step)]
    return document, path, value


@given(_paths())
def test_a_path_and_its_pointer_lead_to_the_same_value(
    case: tuple[Any, list[str | int], Any],
) -> None:
    document, path, value = case
    assert value_at(document, path) is value
    # A pointer's parts are text: digits index an array, and stay a key in an object.
    assert walk(document, pointer_parts(pointer(path))) == (value, path)


@given(_paths(), st.text(max_size=3) | st.integers(min_value=0, max_value=5))
def test_a_step_that_finds_nothing_ends_the_walk_there(
    case: tuple[Any, list[str | int], Any], step: str | int
) -> None:
    document, path, value = case
    if isinstance(value, dict) and step in value:
        return  # the step finds something
    if isinstance(value, list) and re.fullmatch(r"[0-9]+", str(step)) and int(step) < len(value):
        return
    assert walk(document, [*path, step, "deeper"]) == (value, path)
    assert value_at(document, [*path, step]) is None


@pytest.mark.parametrize(
    ("path", "reached"),
    [
        (["actors", 0, "id"], ["actors", 0, "id"]),
        (["actors", "0", "id"], ["actors", 0, "id"]),  # digits in text index an array
        (["actors", 1], ["actors"]),  # past the end
        (["actors", -1], ["actors"]),  # no index counts from the end
        (["actors", "-1"], ["actors"]),
        (["actors", True], ["actors"]),  # true is not an index
        (["actors", "\N{SUPERSCRIPT TWO}"], ["actors"]),  # a digit, but not an index
        (["actors", 0, "id", 0], ["actors", 0, "id"]),  # text has no members
        (["count", "x"], ["count"]),
        (["none", "x"], ["none"]),
        (["names", 0], ["names"]),  # the key "0" of an object is text, not a number
        (["names", "0"], ["names", "0"]),
    ],
)
def test_the_walk_follows_only_the_members_of_objects_and_arrays(
    path: list[str | int], reached: list[str | int]
) -> None:
    document = {"actors": [{"id": "a"}], "count": 3, "none": None, "names": {"0": "zero"}}
    value, taken = walk(document, path)
    assert taken == reached
    assert value == value_at(document, reached)
    assert value_at(document, path) == (value if len(taken) == len(path) else None)


def test_the_value_at_a_path_is_found_by_the_one_helper_only() -> None:
    # The schema, its messages and saving each once walked paths of their own.
    for module in ("_schema.py", "_schema_messages.py", "_save.py"):
        assert "benchmarkkit._problems" in _imports(module), module
    own = {
        (path.relative_to(SRC).as_posix(), node.name)
        for path in SRC.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.lstrip("_") in {"value_at", "walk"}
    }
    assert own == {("_problems.py", "value_at"), ("_problems.py", "walk")}

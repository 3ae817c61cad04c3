"""JSON Pointers are written and read in one place, beside the problem types.

Every layer that says where a problem is (reading, the schema, the checks)
builds its pointers with :func:`benchmarkkit._problems.pointer` and reads them
with :func:`benchmarkkit._problems.pointer_parts`; none escapes "~" and "/"
itself, and the reading layer takes the helper from the bottom, not from the
wording of schema problems.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit._problems import pointer, pointer_parts

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

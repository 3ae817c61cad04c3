"""orjson and jsonschema-rs are required: no code path is kept for their absence."""

from __future__ import annotations

import ast
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "benchmarkkit"
_REQUIRED = {"orjson", "jsonschema_rs"}

#: Modules that still keep a fallback, each with the reason it is not yet removed.
#: An entry is removed once its module drops the fallback; the test fails on a stale entry.
_NOT_YET: dict[str, str] = {}


def _guarded_imports(path: Path) -> set[str]:
    """The modules ``path`` imports inside a ``try`` that catches ImportError."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Try):
            continue
        handled = {
            name.id
            for handler in node.handlers
            for name in ast.walk(handler.type or ast.Name("BaseException"))
            if isinstance(name, ast.Name)
        }
        if not handled & {"ImportError", "ModuleNotFoundError"}:
            continue
        for inner in node.body:
            for sub in ast.walk(inner):
                if isinstance(sub, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in sub.names)
                elif isinstance(sub, ast.ImportFrom) and sub.module:
                    found.add(sub.module.split(".")[0])
    return found


def test_orjson_and_jsonschema_rs_are_declared_dependencies() -> None:
    required = {
        Requirement(line).name.replace("-", "_").lower()
        for line in metadata.requires("benchmarkkit") or ()
        if Requirement(line).marker is None  # not an extra
    }
    assert required >= _REQUIRED


def test_no_code_path_is_kept_for_a_missing_required_dependency() -> None:
    guarded = {
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if _guarded_imports(path) & _REQUIRED
    }
    assert guarded - set(_NOT_YET) == set()
    assert set(_NOT_YET) <= guarded, "a module in _NOT_YET is fixed: remove it from the list"


def test_the_fallback_finder_sees_a_fallback(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("try:\n    import orjson\nexcept ImportError:\n    orjson = None\n")
    assert _guarded_imports(module) == {"orjson"}

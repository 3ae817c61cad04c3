"""The layers depend one way: the core never imports scoring or reports; reports never the CLI.

Read files -> schema -> typed records -> checks -> score -> render. A lower
layer that imported a higher one (even lazily, inside a function) would make
the two one tangle again; scoring adds its check of the scoring
configuration to validation through an entry point instead, and these tests
pin both the direction and that the check still runs.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

import benchmarkkit
from benchmarkkit._plugins import SECTION_CHECKS_GROUP
from tests.conftest import FIXTURES, ROOT

PACKAGE = Path(benchmarkkit.__file__).parent  # the package as installed, in a checkout or not

#: Module paths written as text: lazy-export tables and ``importlib.import_module`` arguments.
_MODULE_TEXT = re.compile(r"benchmarkkit(\.[A-Za-z_]\w*)+(:[A-Za-z_][\w.]*)?")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, *, is_package: bool = False) -> set[str]:
    """Every module ``source`` (the text of ``module``) imports, at any depth, or names as text.

    Relative imports are resolved against the module's package; ``from a import b``
    counts as importing both ``a`` and ``a.b`` (``b`` may be a module). A module path
    written as text counts too: lazy-export tables, ``importlib.import_module`` arguments.
    """
    package = module if is_package else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0]
                base = f"{anchor}.{base}" if base else anchor
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and _MODULE_TEXT.fullmatch(node.value)
        ):
            found.add(node.value.partition(":")[0])
    return found


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(f"{package}.")


def _offences(sources: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{path.relative_to(PACKAGE.parent)} imports {name}"
        for path in sources
        for name in imported_modules(
            path.read_text(encoding="utf-8"),
            _module_name(path),
            is_package=path.name == "__init__.py",
        )
        if any(_within(name, package) for package in forbidden)
    )


def _core_modules() -> list[Path]:
    upper = ("scoring", "reports", "_cli")
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.relative_to(PACKAGE).parts[0] not in upper and path.name != "cli.py"
    ]


def test_the_core_never_imports_scoring_or_reports() -> None:
    sources = _core_modules()
    assert PACKAGE / "_validate.py" in sources
    assert _offences(sources, ("benchmarkkit.scoring", "benchmarkkit.reports")) == []


def test_reports_never_import_the_command_line() -> None:
    sources = sorted((PACKAGE / "reports").rglob("*.py"))
    assert sources
    assert _offences(sources, ("benchmarkkit.cli", "benchmarkkit._cli")) == []


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("benchmarkkit._x", "import benchmarkkit.scoring", "benchmarkkit.scoring"),
        ("benchmarkkit._x", "from benchmarkkit.scoring import score", "benchmarkkit.scoring"),
        ("benchmarkkit._x", "from benchmarkkit import scoring", "benchmarkkit.scoring"),
        (
            "benchmarkkit._x",
            "def f():\n    from .scoring._config import check",
            "benchmarkkit.scoring._config",
        ),
        ("benchmarkkit._cli.x", "def f():\n    from ..reports import html", "benchmarkkit.reports"),
        (
            "benchmarkkit._x",
            "TABLE = {'benchmarkkit.reports._html': ('render',)}",
            "benchmarkkit.reports._html",
        ),
        (
            "benchmarkkit._x",
            "importlib.import_module('benchmarkkit.scoring._config')",
            "benchmarkkit.scoring._config",
        ),
    ],
)
def test_the_import_finder_sees_every_way_of_importing(
    module: str, source: str, expected: str
) -> None:
    assert expected in imported_modules(source, module)


def test_the_import_finder_ignores_prose_about_other_layers() -> None:
    source = '"""Scoring (:mod:`benchmarkkit.scoring`) reads this."""\nfrom . import _model\n'
    assert imported_modules(source, "benchmarkkit._x") == {"benchmarkkit", "benchmarkkit._model"}


def test_the_package_declares_the_check_of_its_scoring_section() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = pyproject["project"]["entry-points"][SECTION_CHECKS_GROUP]
    assert declared == {"scoring": "benchmarkkit.scoring._config:check_scoring_config"}
    installed = {ep.name: ep.value for ep in entry_points(group=SECTION_CHECKS_GROUP)}
    # Fails when the installed metadata is older than pyproject.toml: `pip install -e .` again.
    assert installed == declared


_UNKNOWN_RULE = textwrap.dedent(
    """\
    schema_version: "1.0"
    id: d
    title: T
    scoring:
      benchmark_rules: [{rule: no-such-rule}]
    """
)


def _fresh_python(code: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return result.stdout.split()


def test_the_scoring_configuration_is_checked_in_a_process_that_never_imported_scoring(
    tmp_path: Path,
) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(_UNKNOWN_RULE, encoding="utf-8")
    found = _fresh_python(
        f"""\
        import sys
        import benchmarkkit
        from benchmarkkit import DatasetError
        assert "benchmarkkit.scoring" not in sys.modules
        report = benchmarkkit.validate({str(path)!r})
        print(*[f"{{p.code}}@{{p.pointer}}@{{p.line}}" for p in report.problems])
        try:
            benchmarkkit.load_dataset({str(path)!r})
        except DatasetError as error:
            print(*[p.code for p in error.problems])
        """
    )
    assert found == ["unknown-rule@/scoring/benchmark_rules/0/rule@5", "unknown-rule"]


def test_the_command_line_checks_the_scoring_configuration(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(_UNKNOWN_RULE, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "benchmarkkit", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        f"{path}:5:22: unknown-rule the scoring configuration names the rule 'no-such-rule', "
        "which is not registered; the rules available are: evidence-based, "
        "indicator-progress, status-mapping"
    )


def test_a_dataset_without_a_scoring_section_loads_neither_scoring_nor_installed_metadata() -> None:
    found = _fresh_python(
        f"""\
        import sys
        import benchmarkkit
        report = benchmarkkit.validate({str(FIXTURES / "valid" / "minimal.yaml")!r})
        print(report.valid, "benchmarkkit.scoring" in sys.modules,
              "importlib.metadata" in sys.modules)
        """
    )
    assert found == ["True", "False", "False"]

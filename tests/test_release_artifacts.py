"""The release artifacts: the sdist and the wheel, as PyPI and pip would receive them.

The artifacts are built once per test process with ``python -m build --no-isolation`` (the
sdist, then the wheel from the sdist, as a release is built; offline, with the build backend
of the ``test`` extra) into a temporary folder. When ``BENCHMARKKIT_DIST`` names a folder,
the artifacts in it are checked instead: ``.ci/run`` builds them once, installs the wheel in
a fresh virtual environment, runs the README's quick start with it, and then lets these tests
check the same files; a missing tool is then a failure, never a skip. Without that variable,
the tests are skipped, with the reason, when ``build``, ``hatchling`` or ``twine`` is not
installed. RELEASING.md is the procedure these checks belong to.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.parser import HeaderParser
from pathlib import Path, PurePosixPath
from typing import NamedTuple

import pytest

from benchmarkkit._version import __version__
from tests.conftest import EXAMPLE, ROOT

pytestmark = pytest.mark.slow  # building takes a few seconds

#: A folder holding an sdist and a wheel built from this checkout (set by .ci/run).
DIST = "BENCHMARKKIT_DIST"
PACKAGE = ROOT / "src" / "benchmarkkit"
#: What a built package must hold besides its modules: the JSON Schema files, the templates of
#: `benchmarkkit init` and of the reports, and the marker that it is typed (PEP 561).
REQUIRED_DATA = ("schemas/*.json", "templates/**/*", "reports/templates/**/*", "py.typed")
#: Parts of a path no artifact may hold: test output, the harness's data, bytecode caches.
NEVER_SHIPPED = ("test-artifacts", "__pycache__", ".pytest_cache", ".hypothesis", ".mypy_cache")


class Artifacts(NamedTuple):
    """The two files of a release."""

    sdist: Path
    wheel: Path


def _missing(*modules: str) -> list[str]:
    return [module for module in modules if importlib.util.find_spec(module) is None]


def _the_one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, (
        f"{folder} should hold exactly one file matching {pattern}, but holds "
        f"{[path.name for path in found] or 'none'}: build into an empty folder"
    )
    return found[0]


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Artifacts:
    """The sdist and the wheel: those of ``BENCHMARKKIT_DIST``, or built here."""
    given = os.environ.get(DIST)
    if given:
        folder = Path(given)
    else:
        if missing := _missing("build", "hatchling"):
            pytest.skip(
                f"{' and '.join(missing)} not installed: `python -m pip install -e "
                '".[test]"` installs what building the release artifacts needs'
            )
        folder = tmp_path_factory.mktemp("dist")
        built = subprocess.run(
            [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(folder), str(ROOT)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert built.returncode == 0, f"python -m build failed:\n{built.stdout}\n{built.stderr}"
    return Artifacts(
        sdist=_the_one(folder, "benchmarkkit-*.tar.gz"),
        wheel=_the_one(folder, "benchmarkkit-*.whl"),
    )


def _wheel_names(artifacts: Artifacts) -> list[str]:
    with zipfile.ZipFile(artifacts.wheel) as wheel:
        return wheel.namelist()


def _sdist_names(artifacts: Artifacts) -> list[str]:
    """The sdist's paths, without the leading ``benchmarkkit-X.Y.Z/``."""
    with tarfile.open(artifacts.sdist) as sdist:
        return [name.partition("/")[2] for name in sdist.getnames() if "/" in name]


def _never_shipped(names: list[str]) -> list[str]:
    return [
        name
        for name in names
        if set(PurePosixPath(name).parts) & set(NEVER_SHIPPED)
        or name.startswith("benchmarks/data")
        or name.endswith((".pyc", ".pyo"))
    ]


# -- the version ---------------------------------------------------------------------------


def test_the_artifacts_carry_the_version_of_version_py(artifacts: Artifacts) -> None:
    assert artifacts.sdist.name == f"benchmarkkit-{__version__}.tar.gz"
    assert artifacts.wheel.name == f"benchmarkkit-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(artifacts.wheel) as wheel:
        metadata = wheel.read(f"benchmarkkit-{__version__}.dist-info/METADATA").decode()
    headers = HeaderParser().parsestr(metadata)
    assert (headers["Name"], headers["Version"]) == ("benchmarkkit", __version__)
    assert headers["Requires-Python"] == ">=3.10"
    assert headers["Description-Content-Type"] == "text/markdown"


def test_pyproject_reads_the_version_from_version_py() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11 and later
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"], "the version is written in one place only"
    assert "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["hatch"]["version"] == {"path": "src/benchmarkkit/_version.py"}


_HEADING = re.compile(r"^## \[(?P<name>[^\]]+)\](?P<rest>.*)$", re.MULTILINE)


def test_the_changelog_s_newest_section_is_unreleased_or_this_version() -> None:
    # At a release the maintainer renames [Unreleased] to [X.Y.Z] - date (RELEASING.md); no
    # section may name a version other than the one _version.py gives, or leave a release undated.
    headings = _HEADING.findall((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    assert headings, "CHANGELOG.md has no `## [...]` section"
    newest = headings[0]
    assert newest[0] in ("Unreleased", __version__), (
        f"CHANGELOG.md's newest section is [{newest[0]}], but src/benchmarkkit/_version.py "
        f"says {__version__}: make them agree (RELEASING.md, step 1)"
    )
    undated = [
        name
        for name, rest in headings
        if name != "Unreleased" and not re.fullmatch(r" - \d{4}-\d{2}-\d{2}", rest)
    ]
    assert undated == [], f"CHANGELOG.md: give these releases a date, `- YYYY-MM-DD`: {undated}"


# -- what the wheel holds ------------------------------------------------------------------


def test_the_wheel_holds_the_schemas_templates_and_py_typed(artifacts: Artifacts) -> None:
    shipped = set(_wheel_names(artifacts))
    required = {
        f"benchmarkkit/{path.relative_to(PACKAGE).as_posix()}"
        for pattern in REQUIRED_DATA
        for path in PACKAGE.glob(pattern)
        if path.is_file() and not _never_shipped([path.as_posix()])
    }
    assert "benchmarkkit/py.typed" in required
    assert "benchmarkkit/schemas/dataset.schema.json" in required
    assert "benchmarkkit/reports/templates/report.html" in required
    missing = sorted(required - shipped)
    assert missing == [], f"the wheel lacks {missing}: see [tool.hatch.build] in pyproject.toml"


def _package_files() -> set[str]:
    """The files of ``src/benchmarkkit/`` a clean clone has, named as in the wheel.

    In a git checkout: the tracked files and the untracked ones git does not ignore (a
    tracked file that a .gitignore pattern matches stays in, as it should be shipped);
    elsewhere, every file but caches.
    """
    git = shutil.which("git")
    listed = git and subprocess.run(
        [git, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."],
        capture_output=True,
        text=True,
        cwd=PACKAGE,
        check=False,
    )
    if listed and listed.returncode == 0:
        paths = [PACKAGE / name for name in listed.stdout.split("\0") if name]
    else:
        paths = list(PACKAGE.rglob("*"))
    return {
        f"benchmarkkit/{path.relative_to(PACKAGE).as_posix()}"
        for path in paths
        if path.is_file() and not _never_shipped([path.as_posix()])
    }


def test_the_wheel_holds_exactly_the_package_s_files(artifacts: Artifacts) -> None:
    # A package file a .gitignore pattern happens to match (a folder named `build` or
    # `site`) would be left out silently; a stray file would be shipped.
    source = _package_files()
    in_wheel = {name for name in _wheel_names(artifacts) if ".dist-info/" not in name}
    left_out, stray = sorted(source - in_wheel), sorted(in_wheel - source)
    assert (left_out, stray) == ([], []), (
        f"the wheel leaves out {left_out} and holds {stray}, which src/benchmarkkit/ does not "
        "(a stale build, or a .gitignore pattern matching a package file)"
    )


def test_the_wheel_holds_nothing_of_the_tests_or_caches(artifacts: Artifacts) -> None:
    names = _wheel_names(artifacts)
    tops = {PurePosixPath(name).parts[0] for name in names}
    assert tops == {"benchmarkkit", f"benchmarkkit-{__version__}.dist-info"}, (
        f"the wheel holds top-level {sorted(tops)}: only the package and its .dist-info belong"
    )
    assert _never_shipped(names) == [], "the wheel holds test output or bytecode caches"
    assert [name for name in names if "/tests/" in name or name.startswith("tests/")] == []


def test_the_sdist_holds_what_a_build_needs_and_no_caches(artifacts: Artifacts) -> None:
    names = set(_sdist_names(artifacts))
    needed = {"pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "PKG-INFO"}
    assert sorted(needed - names) == [], "the sdist cannot build the wheel without these"
    assert "src/benchmarkkit/py.typed" in names
    assert _never_shipped(sorted(names)) == [], "the sdist holds test output or bytecode caches"


def test_twine_check_passes_strictly(artifacts: Artifacts) -> None:
    if _missing("twine") and not os.environ.get(DIST):
        pytest.skip('twine not installed: `python -m pip install -e ".[test]"` installs it')
    files = [str(artifacts.sdist), str(artifacts.wheel)]
    checked = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *files],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "10000"},
        timeout=120,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # twine may colour its lines and wrap them anywhere, inside paths too (a "dumb" terminal
    # is 80 columns wide whatever COLUMNS says): compare without colours or white space.
    plain = "".join(re.sub(r"\x1b\[[0-9;]*m", "", checked.stdout).split())
    verdicts = ["".join(f"Checking {name}: PASSED".split()) for name in files]
    assert [verdict in plain for verdict in verdicts] == [True, True], checked.stdout


# -- the wheel runs on its own -------------------------------------------------------------


def _run(site: Path | None, cwd: Path, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run ``python -m benchmarkkit ARGS`` from the unpacked wheel (or ``src/`` if no ``site``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCHMARKKIT_")}
    env.update(
        PYTHONPATH=str(site or ROOT / "src"),
        NO_COLOR="1",
        TERM="dumb",
        COLUMNS="100",
        BENCHMARKKIT_CACHE_DIR=str(cwd / ("cache-wheel" if site else "cache-source")),
    )
    return subprocess.run(
        [sys.executable, "-m", "benchmarkkit", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_the_unpacked_wheel_runs_the_quick_start_as_the_source_does(
    artifacts: Artifacts, tmp_path: Path
) -> None:
    # A pure-Python wheel unpacked is what pip installs; the example comes from the checkout,
    # as in .ci/run. Its outputs must be those of the source tree, byte for byte.
    site = tmp_path / "site"
    with zipfile.ZipFile(artifacts.wheel) as wheel:
        wheel.extractall(site)  # noqa: S202 (our own wheel, just built)
    shutil.copytree(EXAMPLE, tmp_path / "kazakhstan-2012")
    where = _run(site, tmp_path, "--version")
    assert (where.returncode, where.stdout) == (0, f"benchmarkkit {__version__}\n")
    imported = subprocess.run(
        [sys.executable, "-c", "import benchmarkkit; print(benchmarkkit.__file__)"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(site)},
        check=True,
    )
    assert Path(imported.stdout.strip()).is_relative_to(site)
    commands = (
        ("validate", "kazakhstan-2012"),
        ("score", "kazakhstan-2012", "--as-of", "2012-03-20"),
        ("report", "kazakhstan-2012", "--as-of", "2012-03-20", "-o", "{out}/report.html"),
        ("report", "kazakhstan-2012", "--as-of", "2012-03-20", "-o", "{out}/report.md"),
    )
    for name, origin in (("wheel", site), ("source", None)):
        out = tmp_path / name
        out.mkdir()
        for command in commands:
            result = _run(origin, tmp_path, *(part.format(out=out) for part in command))
            assert result.returncode == 0, f"{name}: {command}: {result.stdout}{result.stderr}"
            (out / f"{command[0]}-{len(list(out.iterdir()))}.txt").write_text(
                result.stdout.replace(str(out), "OUT")
            )
    for made in sorted((tmp_path / "source").iterdir()):
        wheel_made = tmp_path / "wheel" / made.name
        assert wheel_made.read_bytes() == made.read_bytes(), f"{made.name} differs"

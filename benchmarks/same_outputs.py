"""Write what benchmarkkit makes of the example and the harness's datasets, to compare two versions.

For the example (``examples/kazakhstan-2012``) and each harness dataset
(``benchmarks/data/<size>/dataset.json``), writes to ``OUT/<name>/`` the
scorecard, as JSON, at three dates fixed by the dataset (the latest
assessment's date; and the days a half and a quarter of the way from its
earliest dated record to that date), each with its fingerprint, and a list of
the three fingerprints; for the example also its reports, HTML and Markdown,
as ``benchmarkkit report`` writes them (as of the latest date, and compared
with the earliest of the three). Everything is computed by the benchmarkkit
that Python imports, so that running this with two checkouts and comparing
the folders shows whether their outputs are identical::

    PYTHONPATH=/tmp/old/src python benchmarks/same_outputs.py /tmp/old-out
    python benchmarks/same_outputs.py /tmp/new-out
    diff -r /tmp/old-out /tmp/new-out && echo identical

Run it from one checkout for both, so that both read the same datasets (write
them first with ``benchmarks/generate.py``; this script never does, since
another version of the generator would write other data). The version of
benchmarkkit, which a release changes, is written to ``OUT/VERSION`` and
replaced by ``VERSION`` where the outputs carry it (the scorecard's ``tool``,
the report's ``generator``).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import benchmarkkit
from benchmarkkit.scoring import score, scorecard_to_json

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
EXAMPLE = HERE.parent / "examples" / "kazakhstan-2012"
VERSION = "VERSION"


def _first_day(date: object) -> datetime.date:
    """The first day a partial date (``2012``, ``2012-03`` or ``2012-03-20``) stands for."""
    text = str(date)
    return datetime.date.fromisoformat(text + {4: "-01-01", 7: "-01"}.get(len(text), ""))


def dates_of(dataset: benchmarkkit.Dataset) -> tuple[str, str, str]:
    """The three dates a dataset is scored at: latest, a half and a quarter of the way to it."""
    assessed = [_first_day(assessment.as_of) for assessment in dataset.assessments]
    dated = assessed + [_first_day(item.date) for item in dataset.evidence]
    if not dated:
        raise SystemExit(f"{dataset.id} has no dated assessment or evidence to score at")
    latest = max(assessed or dated)
    earliest = min(dated)
    span = latest.toordinal() - earliest.toordinal()
    middle = datetime.date.fromordinal(earliest.toordinal() + span // 2)
    early = datetime.date.fromordinal(earliest.toordinal() + span // 4)
    return latest.isoformat(), middle.isoformat(), early.isoformat()


def write_scorecards(dataset: benchmarkkit.Dataset, dates: tuple[str, ...], out: Path) -> None:
    """The scorecard at each date, as JSON, and their fingerprints."""
    out.mkdir(parents=True, exist_ok=True)
    fingerprints = []
    for date in dates:
        card = score(dataset, as_of=date, validated=True)  # load_dataset validated it
        document = scorecard_to_json(card)
        if document.get("tool", {}).get("version") == benchmarkkit.__version__:
            document["tool"]["version"] = VERSION
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        (out / f"scorecard-{date}.json").write_text(text, encoding="utf-8")
        fingerprints.append(f"{date} {card.fingerprint}\n")
    (out / "fingerprints.txt").write_text("".join(fingerprints), encoding="utf-8")


def write_reports(path: Path, dates: tuple[str, ...], out: Path) -> None:
    """The reports ``benchmarkkit report`` writes, as of the latest date, and compared."""
    latest, *_, early = dates
    runs = {
        "report": ["--as-of", latest],
        "report-compare": ["--as-of", latest, "--compare", early],
    }
    with tempfile.TemporaryDirectory() as cache:
        # The same Python, so the same benchmarkkit (PYTHONPATH is passed on); its own cache.
        environment = {**os.environ, "BENCHMARKKIT_CACHE_DIR": cache}
        for name, options in runs.items():
            for suffix in (".html", ".md"):
                target = out / f"{name}{suffix}"
                command = [sys.executable, "-m", "benchmarkkit", "report", str(path), *options]
                subprocess.run(
                    [*command, "-o", str(target)],
                    check=True,
                    env=environment,
                    stdout=subprocess.DEVNULL,
                )
                _replace_version(target)


def _replace_version(page: Path) -> None:
    """Put VERSION for benchmarkkit's version in a report, its detail pages included."""
    stamp = f"benchmarkkit {benchmarkkit.__version__}"
    for written in [page, *sorted(page.with_suffix("").rglob("*"))]:
        if written.is_file():
            text = written.read_text(encoding="utf-8")
            written.write_text(text.replace(stamp, f"benchmarkkit {VERSION}"), encoding="utf-8")


def write_outputs(out: Path, sizes: list[str], data: Path) -> list[str]:
    """Write the outputs of the example and of the datasets of ``sizes``; say what was written."""
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} is not empty: give a new folder, so that nothing old is compared")
    out.mkdir(parents=True, exist_ok=True)
    (out / "VERSION").write_text(benchmarkkit.__version__ + "\n", encoding="utf-8")
    said = []
    named = [("example", EXAMPLE), *((size, data / size / "dataset.json") for size in sizes)]
    for name, path in named:
        if not path.exists():
            raise SystemExit(
                f"{path} does not exist: write it first with python benchmarks/generate.py {name}"
            )
        dataset = benchmarkkit.load_dataset(path)
        dates = dates_of(dataset)
        write_scorecards(dataset, dates, out / name)
        if name == "example":
            write_reports(path, dates, out / name)
        said.append(f"{name}: scored as of {', '.join(dates)}")
    return said


def main(argv: list[str] | None = None) -> int:
    """Write the outputs to the folder given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, metavar="OUT_FOLDER", help="where to write")
    parser.add_argument(
        "--sizes",
        nargs="*",
        default=["1k", "10k", "100k"],
        metavar="SIZE",
        help="the harness datasets (default: 1k 10k 100k)",
    )
    parser.add_argument(
        "--data", type=Path, default=DATA, help="where the datasets are (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    for line in write_outputs(args.out, args.sizes, args.data):
        print(line)
    print(f"benchmarkkit {benchmarkkit.__version__} from {Path(benchmarkkit.__file__).parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Where a report's CPU time goes: each step of ``benchmarkkit report``, timed in one process.

The steps are the command's own, called as it calls them, with the collector
paused as the command pauses it: validation (cold: no quote cache), the
scorecard, the timeline's other dates, the report's model, the plan and the
pages, and writing them (control characters made visible, UTF-8, to a
temporary folder). The sum is a little less than the whole command, which
also starts Python, imports the library and exits.

    python benchmarks/report_stages.py benchmarks/data/100k --format html
    python benchmarks/report_stages.py benchmarks/data/100k --format md --repeat 3

Each figure is the best of ``--repeat`` runs, in CPU seconds (user + system of
this process) beside wall seconds. docs/performance.md gives the figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

AS_OF = dt.date(2024, 1, 1)


def _stages(path: Path, kind: str, folder: Path) -> list[tuple[str, float, float]]:
    from benchmarkkit import validate
    from benchmarkkit._cli._common import _visible
    from benchmarkkit._cli.report import FORMATS
    from benchmarkkit.reports._build import build_report_of
    from benchmarkkit.reports._html import report_to_html_site
    from benchmarkkit.reports._markdown_report import report_to_markdown_site
    from benchmarkkit.reports._site import page_size_for, plan_site
    from benchmarkkit.reports._timeline import history_dates
    from benchmarkkit.scoring._history import score_timeline
    from benchmarkkit.scoring._scorecard import plan_scoring, score_on

    found: list[tuple[str, float, float]] = []
    state: dict[str, Any] = {}

    def step(name: str, work: Callable[[], Any]) -> Any:
        cpu, wall = time.process_time(), time.perf_counter()
        result = work()
        found.append((name, time.process_time() - cpu, time.perf_counter() - wall))
        return result

    report = step("validate (cold)", lambda: validate(path, quote_cache=False))
    dataset = report.dataset
    state["plan"] = step("plan the scoring", lambda: plan_scoring(dataset, validated=True))
    card = step("the scorecard", lambda: score_on(state["plan"], AS_OF))
    dates = history_dates(dataset, AS_OF)[:-1]
    history = step(
        f"the timeline's other {len(dates)} dates",
        lambda: score_timeline(state["plan"], dates),
    )
    model = step("the report's model", lambda: build_report_of(dataset, card, history=history))
    plan = step(
        "the plan of the pages",
        lambda: plan_site(model, name="r", page_size=page_size_for(FORMATS[f".{kind}"])),
    )
    render = report_to_html_site if kind == "html" else report_to_markdown_site

    def pages() -> int:
        site = render(model, plan)
        count = 0
        for relative, text in site.pages:
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(_visible(text).encode("utf-8"))
            count += 1
        (folder / f"r.{kind}").write_bytes(_visible(site.overview).encode("utf-8"))
        return count

    count = step("render and write the pages", pages)
    found[-1] = (f"render and write the {count + 1} pages", *found[-1][1:])
    return found


def main() -> None:
    """Time each step; print the best of the runs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--format", choices=["html", "md"], default="html")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    gc.disable()  # as the command line runs it
    best: dict[str, tuple[float, float]] = {}
    names: list[str] = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            for name, cpu, wall in _stages(args.path, args.format, Path(folder)):
                if name not in best:
                    names.append(name)
                best[name] = min(best.get(name, (cpu, wall)), (cpu, wall))
        gc.collect()
    print(f"{'step':<40} {'cpu s':>8} {'wall s':>8}")
    for name in names:
        cpu, wall = best[name]
        print(f"{name:<40} {cpu:8.2f} {wall:8.2f}")
    total_cpu = sum(cpu for cpu, _ in best.values())
    total_wall = sum(wall for _, wall in best.values())
    print(f"{'total':<40} {total_cpu:8.2f} {total_wall:8.2f}")


if __name__ == "__main__":
    main()

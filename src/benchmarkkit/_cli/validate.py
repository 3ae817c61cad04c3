"""``benchmarkkit validate``: every problem in every dataset given, in one process."""

from __future__ import annotations

import argparse
import os
import sys
from typing import IO

from benchmarkkit import ValidationReport, validate
from benchmarkkit._cli._common import colour_enabled, progress, write_lines, write_text
from benchmarkkit.reports._validation import exit_status, render_github, render_json, render_text

__all__ = ["print_reports", "run"]


def _is_utf8(stream: object) -> bool:
    encoding = (
        str(getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    )
    return encoding in ("utf8", "utf8sig")


def _distinct(given: list[str]) -> list[str]:
    """The paths given, each dataset once: ``ex``, ``ex/`` and ``./ex`` are one folder.

    The first spelling of each is kept, as the user typed it.
    """
    seen: dict[str, str] = {}
    for path in given:
        try:
            key = os.path.realpath(path)
        except (OSError, ValueError):  # a path the system refuses: validate reports why
            key = path
        seen.setdefault(key, path)
    return list(seen.values())


def run(args: argparse.Namespace) -> int:
    """Validate each path, print the report in the format asked for, return the exit status."""
    stdout, stderr = sys.stdout, sys.stderr
    paths = _distinct(args.paths)
    reports: list[ValidationReport] = []
    with progress(stdout, stderr, f"Validating {paths[0]}") as status:
        for number, path in enumerate(paths, start=1):
            counter = f" ({number} of {len(paths)})" if len(paths) > 1 else ""
            status.update(f"Validating {path}{counter}")
            reports.append(
                validate(path, plugins=not args.no_plugins, quote_cache=not args.no_cache)
            )
    return print_reports(
        reports, fmt=args.format, strict=args.strict, limit=args.max_problems, stdout=stdout
    )


def print_reports(
    reports: list[ValidationReport],
    *,
    fmt: str,
    strict: bool = False,
    limit: int | None = None,
    stdout: IO[str],
) -> int:
    """Print the reports as ``validate`` does, in format ``fmt``; return the exit status.

    Other commands that report problems (``import``) print them with it.
    """
    if fmt == "json":
        write_text(
            stdout,
            render_json(
                reports, strict=strict, max_problems=limit, ensure_ascii=not _is_utf8(stdout)
            ),
        )
    elif fmt == "github":
        write_text(stdout, render_github(reports, strict=strict, max_problems=limit))
    else:
        lines = render_text(reports, strict=strict, max_problems=limit)
        write_lines(stdout, lines, colour=colour_enabled(stdout))
    return max(exit_status(report, strict=strict) for report in reports)

"""``benchmarkkit import TABLE --mapping MAPPING``: a table read through a mapping file.

Called by ``import`` when ``--mapping`` is given. The table is read, merged
into the ``--into`` dataset if one is given, and validated by the ordinary
pipeline; the problems are printed as ``validate`` prints them, each at its
cell of the table or its line in the mapping file, and a summary goes to
standard error. Nothing is written when there is an error (exit 1); else the
complete dataset is written to ``-o``, a new folder, with the archived texts
named by its sources (those of the ``--into`` dataset, found in its folder)
copied in, as ``import`` without a mapping writes a dataset.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from benchmarkkit._cli import CommandError
from benchmarkkit._cli._common import write_text
from benchmarkkit._problems import ValidationReport, sort_problems

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Import ``args.source`` through ``args.mapping``; print problems; return the exit status."""
    from benchmarkkit._cli.validate import print_reports
    from benchmarkkit._mapping import import_table

    output = Path(args.output)
    if os.path.lexists(output):
        raise CommandError(
            f"{args.output!r} already exists; import writes a new dataset folder, whole: give "
            "the name of a folder that does not exist yet"
        )
    result = import_table(
        args.source,
        args.mapping,
        encoding=args.encoding,
        sheet=args.sheet,
        into=args.into,
        update=args.update,
    )
    report = ValidationReport(path=args.source, problems=sort_problems(result.problems))
    status = print_reports([report], fmt=args.format, stdout=sys.stdout)
    summary = result.summary.lines()
    written = ""
    if result.dataset is not None and result.root is not None and status == 0:
        from benchmarkkit._cli.import_ import _summary, _write  # what the layout import writes

        copied = _write(result.dataset, output, result.root)
        written = _summary(result.dataset, args.output, copied)
    else:
        summary.append("nothing was written")
    write_text(sys.stderr, "".join(f"{line}\n" for line in summary) + written)
    return status

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
import sys

from benchmarkkit._cli._common import write_text
from benchmarkkit._cli.import_ import output_folder, write_dataset
from benchmarkkit._problems import ValidationReport, sort_problems

__all__ = ["run"]


def run(args: argparse.Namespace) -> int:
    """Import ``args.source`` through ``args.mapping``; print problems; return the exit status."""
    from benchmarkkit._cli.validate import print_reports
    from benchmarkkit._mapping import import_table

    output_folder(args.output)
    result = import_table(
        args.source,
        args.mapping,
        encoding=args.encoding,
        sheet=args.sheet,
        into=args.into,
        update=args.update,
    )
    report = ValidationReport(path=args.source, problems=sort_problems(result.problems))
    limit = getattr(args, "max_problems", None)  # callers from before --max-problems lack it
    status = print_reports([report], fmt=args.format, limit=limit, stdout=sys.stdout)
    summary = result.summary.lines()
    written = ""
    if result.dataset is not None and result.root is not None and status == 0:
        written = write_dataset(result.dataset, args.output, result.root)
    else:
        summary.append("nothing was written")
    write_text(sys.stderr, "".join(f"{line}\n" for line in summary) + written)
    return status

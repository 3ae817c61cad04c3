"""``benchmarkkit import``: a workbook or CSV tables written as a new dataset folder in YAML.

Without ``--mapping``, SOURCE is in the workbook layout (what ``export``
writes: an ``.xlsx``, ``.xls`` or ``.ods`` workbook, or a folder of CSV files
holding ``dataset.csv``). It is read and validated as ``validate`` reads it,
each problem at its cell, and printed as ``validate`` prints them; with no
error, the dataset is written to ``-o``, a folder that must not exist yet,
with the archived texts its sources name copied from beside SOURCE. Nothing
is written when there is an error. With ``--mapping``, the table is read
through a mapping file by ``benchmarkkit._cli._mapped``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from benchmarkkit._cli import CommandError
from benchmarkkit._cli._common import write_text
from benchmarkkit._model import COLLECTIONS, Dataset
from benchmarkkit._problems import ValidationReport

__all__ = ["run"]


def _check_arguments(args: argparse.Namespace) -> None:
    """Refuse, before reading anything, what cannot be done: options without a mapping, -o used."""
    needing = [name for name, given in (("--into", args.into), ("--update", args.update)) if given]
    if needing:
        raise CommandError(
            f"{' and '.join(needing)} {'needs' if len(needing) == 1 else 'need'} --mapping "
            "MAPPING: merging into a dataset is for tables read through a mapping; a workbook "
            "in the workbook layout is imported whole, as a new dataset"
        )
    if args.sheet is not None:
        raise CommandError(
            "--sheet picks the sheet a mapping reads; a workbook in the workbook layout is "
            "read whole: leave --sheet out, or give --mapping MAPPING"
        )
    if os.path.lexists(args.output.rstrip("/\\") or args.output):
        raise CommandError(
            f"{args.output!r} already exists; import writes a new dataset folder, whole: give "
            "the name of a folder that does not exist yet"
        )
    if not os.path.lexists(args.source):
        raise CommandError(f"{args.source!r} does not exist")


def _read(args: argparse.Namespace) -> tuple[ValidationReport, Path, bool]:
    """The validation report of SOURCE, the folder its archived texts are in, and if it was read."""
    from benchmarkkit._tables._book import read_table_dataset
    from benchmarkkit._tables._read import table_format
    from benchmarkkit._validate import DEFAULT_CHECKS, _validate_files

    source = Path(args.source)
    if table_format(source) is None:
        raise CommandError(
            f"{args.source!r} is not a table benchmarkkit reads: give an .xlsx, .xls or .ods "
            "workbook, or a folder of CSV files holding dataset.csv (as export writes them); "
            "a table of another shape needs --mapping MAPPING"
        )
    root, files, problems = read_table_dataset(source, args.source, encoding=args.encoding)
    report = _validate_files(
        args.source, root, files, problems, backend="auto", checks=DEFAULT_CHECKS, plugins=True
    )
    return report, root, bool(files)


def _archived_texts(dataset: Dataset, root: Path) -> Iterator[tuple[Path, str]]:
    """Each archived text of the dataset inside ``root``, and its path relative to it."""
    from benchmarkkit._archive_folders import archive_path

    for source in dataset.sources:
        if source.archive is None:
            continue
        path = archive_path(root, source.archive)  # within root: those of shared folders stay
        if path is not None and path.is_file():
            yield path, path.relative_to(root).as_posix()


def _write(dataset: Dataset, output: Path, root: Path) -> int:
    """Write the dataset folder and copy its archived texts into it; how many texts."""
    from benchmarkkit._errors import SaveError
    from benchmarkkit._save import save_dataset

    copied = 0
    try:
        save_dataset(dataset, output, layout="folder")
        for path, relative in _archived_texts(dataset, root):
            target = output / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            copied += 1
    except (SaveError, OSError) as error:
        if output.is_dir():
            shutil.rmtree(output, ignore_errors=True)
        raise CommandError(
            f"cannot write {str(output)!r}: {error}; nothing was written", status=2
        ) from None
    return copied


def _summary(dataset: Dataset, output: str, copied: int) -> str:
    counts = [
        f"{len(records)} {name}" for name in COLLECTIONS if (records := getattr(dataset, name))
    ]
    texts = f", and {copied} archived text{'s' if copied != 1 else ''}" if copied else ""
    return f"wrote {output}: {', '.join(counts) or 'no records'}{texts}\n"


def run(args: argparse.Namespace) -> int:
    """Import SOURCE: through the mapping if one is given, else as the workbook layout."""
    if args.mapping is not None:
        from benchmarkkit._cli import _mapped

        return _mapped.run(args)
    _check_arguments(args)
    from benchmarkkit._cli.validate import print_reports

    report, root, read = _read(args)
    status = print_reports([report], fmt=args.format, stdout=sys.stdout)
    if not read:
        status = 2  # the source could not be read at all
    if status != 0 or report.dataset is None:
        write_text(sys.stderr, "nothing was written\n")
        return status or 1
    output = args.output.rstrip("/\\") or args.output
    copied = _write(report.dataset, Path(output), root)
    write_text(sys.stderr, _summary(report.dataset, output, copied))
    return 0

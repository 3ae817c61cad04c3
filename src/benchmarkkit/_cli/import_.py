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
from benchmarkkit._cli._common import unused_folder, write_text
from benchmarkkit._model import COLLECTIONS, Dataset
from benchmarkkit._problems import ValidationReport

__all__ = ["output_folder", "run", "write_dataset"]


def output_folder(output: str) -> Path:
    """The dataset folder ``-o`` names; refused if anything is there (both routes check it)."""
    return unused_folder(output, "import writes a new dataset folder")


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
    output_folder(args.output)
    if not os.path.lexists(args.source):
        raise CommandError(f"{args.source!r} does not exist")


def _read(args: argparse.Namespace) -> tuple[ValidationReport, Path]:
    """The validation report of SOURCE and the folder its archived texts are in.

    A table that cannot be read (damaged, cut short, protected by a password) is an
    error of the report, as a YAML file that does not parse is one for ``validate``.
    """
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
    return report, root


def _archived_texts(dataset: Dataset, root: Path) -> Iterator[tuple[Path, str]]:
    """Each archived text of the dataset inside ``root``, and its path relative to it."""
    from benchmarkkit._archive_folders import archive_path

    for source in dataset.sources:
        if source.archive is None:
            continue
        path = archive_path(root, source.archive)  # within root: those of shared folders stay
        if path is not None and path.is_file():
            yield path, path.relative_to(root).as_posix()


def write_dataset(dataset: Dataset, output: str, root: Path) -> str:
    """Write the dataset to the folder ``output`` with its archived texts; what was written.

    Both routes write this way: the layout import and the mapped one.
    """
    copied = _write(dataset, output_folder(output), root)
    return _summary(dataset, output.rstrip("/\\") or output, copied)


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
    """``wrote OUTPUT: 1 scale, 17 actors, ..., and 1 archived text``: what was written."""
    from benchmarkkit._wording import plural, singular

    counts = [
        f"{len(records)} {name if len(records) != 1 else singular(name)}"  # 2 evidence, not -s
        for name in COLLECTIONS
        if (records := getattr(dataset, name))
    ]
    texts = f", and {plural(copied, 'archived text')}" if copied else ""
    return f"wrote {output}: {', '.join(counts) or 'no records'}{texts}\n"


def run(args: argparse.Namespace) -> int:
    """Import SOURCE: through the mapping if one is given, else as the workbook layout."""
    if args.mapping is not None:
        from benchmarkkit._cli import _mapped

        return _mapped.run(args)
    _check_arguments(args)
    from benchmarkkit._cli.validate import print_reports

    report, root = _read(args)
    status = print_reports([report], fmt=args.format, limit=args.max_problems, stdout=sys.stdout)
    if status != 0 or report.dataset is None:
        write_text(sys.stderr, "nothing was written\n")
        return status or 1
    write_text(sys.stderr, write_dataset(report.dataset, args.output, root))
    return 0

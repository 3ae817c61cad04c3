"""``benchmarkkit export``: a valid dataset written in another form: JSON, a workbook, CSV files.

Each format is a function from the dataset to what is written, in
:data:`FORMATS`: text (json), the bytes of one file (xlsx), or the files of a
new folder (csv). The command validates the dataset first (an invalid one is
not exported, as it is not scored) and writes where ``-o`` says, never over a
file the dataset reads: a file atomically, a folder whole or not at all.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import attrs

from benchmarkkit import Dataset, dump_dataset, validate
from benchmarkkit._cli import CommandError
from benchmarkkit._cli._common import (
    progress,
    refuse_output_inside_dataset,
    unused_folder,
    write_new_folder,
    write_output,
)
from benchmarkkit._cli.score import usable_dataset
from benchmarkkit._tables import missing_extra  # the one wording, shared with the readers

__all__ = ["FORMATS", "MISSING_EXTRA", "format_of", "missing_extra", "require_xlsxwriter", "run"]


#: What is said when a workbook is asked for without XlsxWriter installed.
MISSING_EXTRA = missing_extra("benchmarkkit export --format xlsx")


def require_xlsxwriter(what: str = "benchmarkkit export --format xlsx") -> None:
    """Raise :class:`CommandError` naming the spreadsheets extra if XlsxWriter is missing."""
    try:
        import xlsxwriter  # noqa: F401 - only whether it is there
    except ImportError:
        raise CommandError(missing_extra(what)) from None


def _json(dataset: Dataset) -> str:
    # One document holds every record: the manifest's `include` patterns say which files
    # of a folder made it up, and mean nothing in it.
    return dump_dataset(attrs.evolve(dataset, include=()), "json")


def _xlsx(dataset: Dataset) -> bytes:
    from benchmarkkit._tables._xlsx import NotWritableError, workbook

    try:
        return workbook(dataset)
    except NotWritableError as error:
        raise CommandError(f"cannot write the workbook: {error}", status=1) from None


def _csv(dataset: Dataset) -> dict[str, str]:
    from benchmarkkit._tables._csv import csv_files

    return csv_files(dataset)


Output = str | bytes | Mapping[str, str]
"""What a format writes: text or bytes for one file, or the files of a folder by name."""

#: The export formats: each turns a valid dataset into what is written.
FORMATS: dict[str, Callable[[Dataset], Output]] = {"json": _json, "xlsx": _xlsx, "csv": _csv}

#: The formats that write a folder, not one file.
_FOLDERS = frozenset({"csv"})


def format_of(requested: str | None, output: str | None) -> str:
    """The format asked for, or the one the output's suffix names (``book.xlsx``); json else."""
    if requested is not None:
        return requested
    if output is not None and output.lower().endswith(".xlsx"):
        return "xlsx"
    return "json"


def _valid_dataset(path: str, *, quote_cache: bool) -> Dataset:
    """The dataset at ``path``; if it has errors, they are shown and CommandError is raised."""
    with progress(sys.stdout, sys.stderr, f"Validating {path}"):
        report = validate(path, quote_cache=quote_cache)
    return usable_dataset(report, "exported")


def _check_output(fmt: str, output: str | None) -> Path | None:
    """Refuse, before any work, what cannot be written: no place, no library, a used folder.

    The new folder a folder format writes is returned; ``None`` for the others.
    """
    if fmt == "xlsx":
        require_xlsxwriter()
    if fmt in ("json",):
        return None
    if output is None or output == "-":
        what = "FOLDER" if fmt in _FOLDERS else "FILE"
        raise CommandError(f"--format {fmt} writes a {what.lower()}: give it with -o {what}")
    if fmt in _FOLDERS:
        return unused_folder(output, f"--format {fmt} writes a new folder")
    return None


def run(args: argparse.Namespace) -> int:
    """Validate the dataset and write it in the format asked for."""
    fmt = format_of(args.format, args.output)
    folder = _check_output(fmt, args.output)
    refuse_output_inside_dataset(args.output, args.path, force=args.force)
    dataset = _valid_dataset(args.path, quote_cache=not args.no_cache)
    written = FORMATS[fmt](dataset)
    if isinstance(written, str | bytes):
        if isinstance(written, bytes):
            _write_file(written, args.output)
        else:
            write_output(written, args.output, sys.stdout, data=True)
        return 0
    assert folder is not None  # noqa: S101 - _check_output gives a folder format its folder
    write_new_folder(folder, dict(written), args.output, "export")
    return 0


def _write_file(data: bytes, output: str) -> None:
    from benchmarkkit._write import write_atomically

    if Path(output).is_dir():
        raise CommandError(f"cannot write {output!r}: it is a folder; give a file name")
    try:
        write_atomically(output, data)
    except OSError as error:
        raise CommandError(
            f"cannot write {output!r}: {error.strerror or error}; nothing was written over it"
        ) from None

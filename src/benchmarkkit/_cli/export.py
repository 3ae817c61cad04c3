"""``benchmarkkit export``: a valid dataset written in another form, such as one JSON document.

Each format is a function from the dataset to its text, in :data:`FORMATS`;
the command validates the dataset first (an invalid one is not exported, as
it is not scored) and writes where ``-o`` says, never over a file the dataset
reads.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

import attrs

from benchmarkkit import Dataset, dump_dataset, validate
from benchmarkkit._cli._common import progress, refuse_output_inside_dataset, write_output
from benchmarkkit._cli.score import usable_dataset

__all__ = ["FORMATS", "run"]


def _json(dataset: Dataset) -> str:
    # One document holds every record: the manifest's `include` patterns say which files
    # of a folder made it up, and mean nothing in it.
    return dump_dataset(attrs.evolve(dataset, include=()), "json")


#: The export formats: each turns a valid dataset into the text written.
FORMATS: dict[str, Callable[[Dataset], str]] = {"json": _json}


def _valid_dataset(path: str) -> Dataset:
    """The dataset at ``path``; if it has errors, they are shown and CommandError is raised."""
    with progress(sys.stdout, sys.stderr, f"Validating {path}"):
        report = validate(path)
    return usable_dataset(report, "exported")


def run(args: argparse.Namespace) -> int:
    """Validate the dataset and write it in the format asked for."""
    refuse_output_inside_dataset(args.output, args.path, force=args.force)
    dataset = _valid_dataset(args.path)
    write_output(FORMATS[args.format](dataset), args.output, sys.stdout, data=True)
    return 0

"""``benchmarkkit upgrade``: rewrite a dataset to the newest format version, in place.

Only what the new version needs changes (for 1.0 to 1.1, the ``schema_version``
scalar in the text of the file that holds it); the notes of what the user must
decide are printed. ``--check`` writes nothing and exits 1 when something would
change. A dataset with errors in its own version is not upgraded (exit 1, its
problems shown). Exit 2 when the upgrade cannot be done: the path holds no dataset
that can be read, the dataset is of a later format than this benchmarkkit, a file is
read-only or the system refuses to write it, ``schema_version`` is written in a way
the upgrade cannot rewrite, or the path is a workbook or a folder of CSV files, whose
text the upgrade does not edit; nothing is written then.
"""

from __future__ import annotations

import argparse
import sys

from benchmarkkit._cli import CommandError
from benchmarkkit._cli._common import colour_enabled, write_lines, write_text
from benchmarkkit._upgrade import (
    UpgradeImpossibleError,
    UpgradeRefusedError,
    apply_upgrade,
    plan_upgrade,
)

__all__ = ["run"]


def _refused(error: UpgradeRefusedError) -> int:
    """Show why the dataset was not upgraded: exit 1 for its errors, 2 if it cannot be done."""
    from benchmarkkit.reports._validation import exit_status, render_text

    cannot = isinstance(error, UpgradeImpossibleError) or (
        error.report is not None and exit_status(error.report) == 2
    )
    stream = sys.stderr if cannot else sys.stdout
    if error.report is not None:
        lines = render_text([error.report], strict=False, max_problems=None)
        write_lines(stream, lines, colour=colour_enabled(stream))
    if cannot:
        raise CommandError(str(error)) from None
    write_text(sys.stdout, f"{error}\n")
    return 1


def run(args: argparse.Namespace) -> int:
    """Upgrade the dataset at ``args.path``, or say what would change (``--check``)."""
    path: str = args.path
    try:
        upgrade = plan_upgrade(path)
    except UpgradeRefusedError as error:
        return _refused(error)
    notes = "".join(f"{note}\n" for note in upgrade.notes)
    if not upgrade.needed:
        write_text(
            sys.stdout,
            f"{notes}{path} is already in format {upgrade.to_version}, the newest this "
            "benchmarkkit writes: nothing to change\n",
        )
        return 0
    changes = "".join(f"  {change}\n" for change in upgrade.changes)
    versions = f"format {upgrade.from_version} to {upgrade.to_version}"
    if args.check:
        write_text(sys.stdout, f"{notes}{path} would be upgraded from {versions}:\n{changes}")
        return 1
    try:
        apply_upgrade(upgrade)
    except UpgradeRefusedError as error:
        return _refused(error)
    except OSError as error:
        where = error.filename or path
        raise CommandError(
            f"cannot write {str(where)!r}: {error.strerror or error}; the dataset is unchanged"
        ) from None
    write_text(sys.stdout, f"{notes}upgraded {path} from {versions}:\n{changes}")
    return 0

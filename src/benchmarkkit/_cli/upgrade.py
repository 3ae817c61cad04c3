"""``benchmarkkit upgrade``: rewrite a dataset to the newest format version, in place.

Only what the new version needs changes (for 1.0 to 1.1, the ``schema_version``
scalar in the text of the file that holds it); the notes of what the user must
decide are printed. ``--check`` writes nothing and exits 1 when something would
change. A dataset with errors in its own version is not upgraded (exit 1, its
problems shown); neither is one the system will not let us write (exit 2).
"""

from __future__ import annotations

import argparse
import sys

from benchmarkkit._cli import CommandError
from benchmarkkit._cli._common import colour_enabled, write_lines, write_text
from benchmarkkit._upgrade import UpgradeRefusedError, apply_upgrade, plan_upgrade

__all__ = ["run"]


def _refused(error: UpgradeRefusedError) -> int:
    if error.report is not None:
        from benchmarkkit.reports._validation import render_text

        lines = render_text([error.report], strict=False, max_problems=None)
        write_lines(sys.stdout, lines, colour=colour_enabled(sys.stdout))
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

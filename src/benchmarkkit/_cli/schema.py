"""``benchmarkkit schema``: the bundled JSON Schema files, printed or written to a folder."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchmarkkit import SCHEMA_NAMES, UnknownSchemaError, schema_text
from benchmarkkit._cli import CommandError
from benchmarkkit._cli._common import write_text

__all__ = ["run"]


def _text(name: str) -> str:
    try:
        return schema_text(name)
    except UnknownSchemaError as error:
        raise CommandError(str(error)) from None


def _listing() -> str:
    lines = []
    width = max(len(name) for name in SCHEMA_NAMES)
    for name in SCHEMA_NAMES:
        document = json.loads(schema_text(name))
        lines.append(f"{name:<{width}}  {document.get('title', '')}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    """Print one schema, list them, or write them into a folder."""
    if args.list:
        write_text(sys.stdout, _listing())
        return 0
    if args.output is None:
        text = _text(args.name or "dataset")
        write_text(sys.stdout, text if text.endswith("\n") else text + "\n")
        return 0
    names = [args.name] if args.name else list(SCHEMA_NAMES)
    texts = {name: _text(name) for name in names}
    folder = Path(args.output)
    from benchmarkkit._write import write_atomically

    where = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            where = str(folder / f"{name}.schema.json")
            write_atomically(where, text)
    except OSError as error:
        reason = error.strerror or error
        raise CommandError(
            f"cannot write into {args.output!r}: {reason}"
            if where is None
            else f"cannot write {where!r}: {reason}; that file is unchanged"
        ) from None
    written = "".join(f"wrote {folder / f'{name}.schema.json'}\n" for name in texts)
    write_text(sys.stdout, written)
    return 0

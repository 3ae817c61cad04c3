"""The argument parser of the ``benchmarkkit`` command and its subcommands.

Only the standard library and ``benchmarkkit._version`` are imported here, so
that ``benchmarkkit --version`` and ``--help`` answer without loading the
library; each subcommand's ``run`` is named as text (:func:`_handler`) and
imported by :mod:`benchmarkkit.cli` only when it runs.
"""

from __future__ import annotations

import argparse

from benchmarkkit._version import __version__

# Not ``typing.TYPE_CHECKING``: importing typing would cost --version a few milliseconds.
# Type checkers treat any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt

__all__ = ["PROG", "build_parser"]

PROG = "benchmarkkit"

_EXIT_STATUSES = """\
exit status:
  0  success: every dataset is valid (warnings allowed unless --strict)
  1  a dataset has errors (with --strict: errors or warnings)
  2  the command could not run: bad arguments, a path that does not exist or
     holds no dataset, an unreadable file, an unknown rule, an invalid date
"""
_SCORE_EXIT_STATUSES = """\
exit status:
  0  success: the dataset was scored
  1  the dataset has errors, so it cannot be scored; or a rule failed while
     scoring (the scorecard is still written, the failure is on stderr)
  2  the command could not run: bad arguments, a path that does not exist or
     holds no dataset, an unreadable file, an unknown rule, an invalid date,
     an output file that cannot be written
"""


class _Formatter(argparse.HelpFormatter):
    """Wraps descriptions, keeps the line breaks of epilogs, and shows defaults."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:  # an epilog laid out by hand
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help
        shown = action.default not in (None, False, argparse.SUPPRESS)
        if text and shown and "%(default)" not in text and not isinstance(action.default, list):
            text += " (default: %(default)s)"
        return text


def _date(text: str) -> dt.date:
    """Read a calendar date written YYYY-MM-DD (an argparse type)."""
    import datetime as dt
    import re

    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass  # a day that does not exist, such as 2012-02-30
    raise argparse.ArgumentTypeError(
        f"{text!r} is not a date: write it as YYYY-MM-DD, such as 2012-03-20, "
        "and use a day that exists"
    )


def _materiality(text: str) -> float:
    """Read a materiality threshold: a number from 0 up to 1 (an argparse type)."""
    import math

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 <= value < 1):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a materiality threshold: give a number from 0 up to 1, "
            "such as 0.01 (the default) or 0 to count every difference"
        )
    return value


def _count(text: str) -> int:
    """Read a whole number of at least 1 (an argparse type)."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return number


def _handler(module: str, function: str = "run") -> str:
    """Where a subcommand's code is: imported only when the subcommand runs."""
    return f"benchmarkkit._cli.{module}:{function}"


def _add_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    *,
    summary: str,
    description: str,
    epilog: str,
) -> argparse.ArgumentParser:
    """Add the subcommand ``name``, run by ``benchmarkkit._cli.<name>:run``."""
    parser = commands.add_parser(
        name, help=summary, description=description, epilog=epilog, formatter_class=_Formatter
    )
    parser.set_defaults(handler=_handler(name))
    return parser


def _add_format(parser: argparse.ArgumentParser, choices: tuple[str, ...], about: str) -> None:
    """Add ``-f/--format``; the first choice is the default."""
    parser.add_argument("-f", "--format", choices=choices, default=choices[0], help=about)


def _add_max_problems(parser: argparse.ArgumentParser) -> None:
    """Add ``--max-problems``: commands that print problems as ``validate`` does (``import``)."""
    parser.add_argument(
        "--max-problems",
        type=_count,
        metavar="N",
        help="show at most N problems (in file and line order) and say how many were left out",
    )


def _add_output(
    parser: argparse.ArgumentParser, about: str, *, metavar: str = "FILE", required: bool = False
) -> None:
    """Add ``-o/--output``."""
    parser.add_argument("-o", "--output", metavar=metavar, required=required, help=about)


def _add_no_cache(parser: argparse.ArgumentParser) -> None:
    """Add ``--no-cache``: commands that validate a dataset keep the quotes they found."""
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="look for every quote in its archived text, without the quote cache; by "
        "default, quotes found are kept in $BENCHMARKKIT_CACHE_DIR/quotes (else the user's "
        "cache folder, such as ~/.cache/benchmarkkit/quotes) and not looked for again while "
        "the text is unchanged. The problems found are the same either way; the folder can "
        "be deleted at any time",
    )


def _add_validate(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _add_command(
        commands,
        "validate",
        summary="find every problem in one or more datasets",
        description="Find every problem in each dataset given: file syntax, the format, "
        "references between records, dates, indicator values, archived sources and quotes, "
        "and the checks of installed plugins. Problems are listed by file and line; the "
        "same problem repeated across many records is listed once, with its places.",
        epilog=_EXIT_STATUSES + "\nexamples:\n  benchmarkkit validate examples/kazakhstan-2012\n"
        "  benchmarkkit validate --format github --strict data/\n"
        "  benchmarkkit validate --format json one.yaml two.json > report.json\n",
    )
    parser.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a dataset file (.json, .yaml, .yml) or a folder holding dataset.yaml; "
        "several are validated in one run",
    )
    _add_format(
        parser,
        ("text", "json", "github"),
        "text for people; json for other tools (documented in "
        "docs/reference/validation-report.md); github for GitHub Actions annotations",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings (such as quotes that cannot be verified) as errors",
    )
    _add_max_problems(parser)
    parser.add_argument(
        "--no-plugins",
        action="store_true",
        help="skip the checks of installed plugins (benchmarkkit.checks entry points)",
    )
    _add_no_cache(parser)


def _add_scoring_options(parser: argparse.ArgumentParser, *, path_optional: bool) -> None:
    parser.add_argument(
        "path",
        nargs="?" if path_optional else None,
        metavar="PATH",
        help="the dataset: a file, or a folder holding dataset.yaml"
        + (" (not needed with --list-rules)" if path_optional else ""),
    )
    parser.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="score with only what was known on this day, YYYY-MM-DD (default: today)",
    )
    parser.add_argument(
        "--compare",
        type=_date,
        metavar="DATE",
        help="also score as of this earlier day and show what changed between the two",
    )
    parser.add_argument(
        "--materiality",
        type=_materiality,
        default=None,  # given only with --compare; scoring's default (0.01) otherwise
        metavar="N",
        help="with --compare, the smallest difference in a score that counts as a change "
        "(default 0.01; 0 counts every difference)",
    )
    parser.add_argument(
        "--rule",
        action="append",
        dest="rules",
        metavar="NAME",
        help="score benchmarks with this registered rule instead of the dataset's own; "
        "repeat to try several in order (see benchmarkkit score --list-rules)",
    )
    _add_no_cache(parser)


def _add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help="write FILE even over a file the dataset reads (its data files, an archived "
        "text, anything in its folder), which is refused otherwise",
    )


def _add_score(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _add_command(
        commands,
        "score",
        summary="score a dataset as of a date, and compare two dates",
        description="Score each benchmark, area and the whole dataset as of a date, with "
        "each gate's verdict. The dataset must be valid (warnings allowed).",
        epilog=_SCORE_EXIT_STATUSES
        + "\nexamples:\n  benchmarkkit score examples/kazakhstan-2012 --as-of 2012-03-20\n"
        "  benchmarkkit score examples/kazakhstan-2012 --as-of 2012-03-20 --compare 2012-01-01\n"
        "  benchmarkkit score examples/kazakhstan-2012 --format csv -o scores.csv\n"
        "  benchmarkkit score examples/kazakhstan-2012 --format xlsx -o scores.xlsx\n",
    )
    _add_scoring_options(parser, path_optional=True)
    parser.add_argument(
        "--list-rules",
        action="store_true",
        help="list the registered scoring rules and exit",
    )
    _add_format(
        parser,
        ("table", "json", "csv", "markdown", "xlsx"),
        "table for the terminal; json, csv or markdown to publish or process; xlsx a "
        "workbook with the explanations (needs -o FILE and the spreadsheets extra; the "
        "default for a FILE ending in .xlsx)",
    )
    _add_output(parser, "write to FILE instead of the standard output")
    _add_force(parser)
    parser.add_argument(
        "--csv-formulas",
        choices=("guard", "keep"),
        default=None,  # guard; given only with --format csv
        help="with --format csv: guard (the default) puts a ' before text a spreadsheet "
        "would run as a formula (starting with =, +, -, @), which keeps a spreadsheet safe "
        "but changes the value a script reads; keep writes every value as it is, for "
        "scripts and pandas (for a spreadsheet, --format xlsx keeps values and is safe)",
    )
    parser.add_argument(
        "--explain",
        action="store_true",
        help="with the table, also show how each benchmark's score was reached",
    )


def _add_report(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _add_command(
        commands,
        "report",
        summary="write a scorecard report to a file",
        description="Write a readable scorecard report of the dataset to FILE. The format "
        "follows the file's extension: .html (one self-contained page: no scripts, no "
        "requests, readable on a phone, prints cleanly) or .md (Markdown that renders on "
        "GitHub). With --compare, or when assessments have several dates, the report charts "
        "scores over time. A report too large for one page is written as an overview in FILE "
        "and its detail pages in a new folder beside it (see --pages).",
        epilog=_SCORE_EXIT_STATUSES.replace("was scored", "was scored and the report written")
        + "\nexamples:\n"
        "  benchmarkkit report examples/kazakhstan-2012 --as-of 2012-03-20 -o report.html\n"
        "  benchmarkkit report examples/kazakhstan-2012 --as-of 2012-03-20 -o report.md\n",
    )
    _add_scoring_options(parser, path_optional=False)
    _add_output(
        parser,
        "the file to write: .html or .htm (a self-contained page), .md or .markdown "
        "(Markdown); '-' writes Markdown to the standard output",
        required=True,
    )
    parser.add_argument(
        "--pages",
        choices=("auto", "single", "split"),
        default="auto",
        help="single: the whole report in FILE; split: an overview in FILE (gates, areas, "
        "charts) and the detail pages (each area's benchmarks, every evidence item with its "
        "quote, the sources) in a new folder beside it, named as FILE without its extension; "
        "auto (the default): single unless the report is too large for a phone to open "
        "(see docs/reports.md, 'Large datasets')",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="write FILE even over a file the dataset reads (its data files, an archived "
        "text, anything in its folder), which is refused otherwise; and replace the folder of "
        "pages of an earlier split report (only a folder benchmarkkit wrote)",
    )


def _add_export(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "export",
        help="write a dataset as one JSON document, a workbook or CSV files",
        description="Write the dataset, however many files it is kept in, in one form for "
        "other tools and people: json is one JSON document that the published dataset schema "
        "(benchmarkkit schema) validates; xlsx a workbook with a sheet per kind of record and "
        "a sheet describing every column; csv a new folder with one CSV file per sheet of the "
        "workbook (docs/reference/workbook.md). The dataset must be valid (warnings allowed).",
        epilog="exit status:\n  0  the dataset was written\n  1  the dataset has errors, so "
        "it was not written\n  2  the command could not run: bad arguments, a path that does "
        "not exist or\n     holds no dataset, an output file that cannot be written\n"
        "\nexamples:\n  benchmarkkit export examples/kazakhstan-2012 -o kazakhstan.json\n"
        "  benchmarkkit export data/ --format json | jq '.benchmarks | length'\n"
        "  benchmarkkit export examples/kazakhstan-2012 -o kazakhstan.xlsx\n"
        "  benchmarkkit export examples/kazakhstan-2012 --format csv -o kazakhstan-csv\n",
        formatter_class=_Formatter,
    )
    parser.add_argument(
        "path", metavar="PATH", help="the dataset: a file, or a folder holding dataset.yaml"
    )
    parser.add_argument(
        "-f",
        "--format",
        choices=("json", "xlsx", "csv"),
        help="json: the whole dataset as one JSON document (the default); xlsx: a workbook "
        "(the default for an output ending in .xlsx; needs the spreadsheets extra); csv: a "
        "new folder of CSV files, one per sheet",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE instead of the standard output ('-' is the standard output); "
        "xlsx needs a FILE, and csv a FOLDER that does not exist yet",
    )
    _add_force(parser)
    _add_no_cache(parser)
    parser.set_defaults(handler=_handler("export"))


#: The exit statuses of ``import``; docs/reference/cli.md repeats them.
_IMPORT_EXIT_STATUSES = """\
exit status:
  0  the dataset was written (warnings allowed)
  1  the table has errors (they are shown, each at its cell), or it cannot be
     read as a table (damaged, cut short, protected by a password), as for a
     dataset file that does not parse; nothing was written
  2  the command could not run, and nothing was written: bad arguments (such
     as --into without --mapping), a source that does not exist or is not a
     table, an output folder that exists or cannot be written
"""


def _add_import(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _add_command(
        commands,
        "import",
        summary="read a workbook or CSV tables into a new dataset folder",
        description="Read SOURCE and write the dataset it holds to a new folder in YAML. "
        "Without --mapping, SOURCE is in the workbook layout export writes "
        "(docs/reference/workbook.md): an .xlsx, .xls or .ods workbook, or a folder of CSV "
        "files holding dataset.csv. It is validated as validate validates it, each problem "
        "at its cell; the archived texts its sources name are copied from beside SOURCE. "
        "With --mapping, SOURCE is any table (a CSV file or a workbook), read through the "
        "mapping file, which says what each row becomes (docs/reference/mapping.md). "
        "Nothing is written when there is an error.",
        epilog=_IMPORT_EXIT_STATUSES + "\nexamples:\n"
        "  benchmarkkit import kazakhstan.xlsx -o kazakhstan\n"
        "  benchmarkkit import kazakhstan-csv/ -o kazakhstan\n"
        "  benchmarkkit import upr.csv --mapping mapping.yaml -o upr\n"
        "  benchmarkkit import upr.csv --mapping mapping.yaml --into data/ -o data-new\n",
    )
    parser.set_defaults(handler=_handler("import_"))  # "import" is a keyword
    parser.add_argument(
        "source",
        metavar="SOURCE",
        help="a workbook (.xlsx, .xls, .ods), a folder of CSV files, or with --mapping a "
        "CSV file or workbook of any shape",
    )
    _add_output(
        parser,
        "the dataset folder to write; it must not exist yet",
        metavar="DATASET",
        required=True,
    )
    parser.add_argument(
        "--mapping",
        metavar="MAPPING",
        help="a mapping file (YAML or JSON) saying how the table's rows become records",
    )
    parser.add_argument(
        "--into",
        metavar="DATASET",
        help="with --mapping: add the imported records to this dataset (which is not "
        "changed); the whole result is written to -o",
    )
    parser.add_argument(
        "--update",
        action="store_true",
        help="with --into: records already in the dataset that the table changes are "
        "updated, instead of being listed as conflicts",
    )
    parser.add_argument(
        "--encoding",
        metavar="ENCODING",
        help="the encoding of CSV files (utf-8, cp1252, mac_roman, utf-16, ...); by default "
        "it is found from the bytes, and said",
    )
    parser.add_argument(
        "--sheet",
        metavar="NAME",
        help="with --mapping: the sheet of a workbook to read (by default the mapping's, "
        "else the first)",
    )
    _add_format(
        parser,
        ("text", "json", "github"),
        "how problems are printed, as validate prints them: text for people; json for "
        "other tools; github for GitHub Actions annotations",
    )
    _add_max_problems(parser)


def _add_schema(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _add_command(
        commands,
        "schema",
        summary="print or write the JSON Schema files",
        description="Print a JSON Schema (draft 2020-12), or write them all to a folder, "
        "for other tools and for editors. Each file stands alone (every reference is inside "
        "it), so any validator can use it with no network. Point your editor's YAML or JSON "
        "schema support at dataset.schema.json (for a folder's other files, "
        "fragment.schema.json).",
        epilog="examples:\n  benchmarkkit schema > dataset.schema.json\n"
        "  benchmarkkit schema --format-version 1.0 > dataset-1.0.schema.json\n"
        "  benchmarkkit schema --output schemas/\n  benchmarkkit schema --list\n",
    )
    parser.add_argument(
        "name",
        nargs="?",
        metavar="NAME",
        help="the schema to print: dataset (the default), fragment, definitions, ...; see --list",
    )
    _add_output(
        parser,
        "write NAME.schema.json files into DIR (every schema, unless NAME is given); "
        "each file stands alone, with every definition inside it. With neither NAME nor "
        "--format-version, also every format version's files, in DIR/1.0/, DIR/1.1/, ...",
        metavar="DIR",
    )
    parser.add_argument(
        "--format-version",
        metavar="VERSION",
        help="the files published with this version of the dataset format (1.0, 1.1, ...), "
        "unchanged; by default the newest",
    )
    parser.add_argument("--list", action="store_true", help="list the schema names and exit")


def _add_init(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _add_command(
        commands,
        "init",
        summary="start a new dataset from a commented example",
        description="Create DIR with a small, valid dataset whose comments explain each "
        "field: a manifest, records in three more files, and an archived source text that "
        "the quotes are checked against. DIR must not exist, or be empty.",
        epilog="example:\n"
        "  benchmarkkit init my-benchmarks && benchmarkkit validate my-benchmarks\n",
    )
    parser.add_argument("directory", metavar="DIR", help="the folder to create")


#: The exit statuses of ``upgrade``; docs/reference/cli.md repeats them (a test checks it).
_UPGRADE_EXIT_STATUSES = """\
exit status:
  0  upgraded, or nothing to do: the dataset is already in the newest version
  1  with --check: the dataset would change; or the dataset has errors, so it
     was not upgraded (they are shown)
  2  the command could not run or cannot do it, and nothing was written: bad
     arguments, a path that does not exist or holds no dataset, an unreadable
     file, a dataset in a later format than this benchmarkkit reads, a
     read-only file or one that cannot be written, a schema_version written
     in a way the upgrade cannot rewrite, a workbook or a folder of CSV files
     (import it, upgrade the dataset folder, export it again)
"""


def _add_upgrade(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = _add_command(
        commands,
        "upgrade",
        summary="rewrite a dataset to the newest format version",
        description="Rewrite the dataset at PATH (a file, or a folder with a manifest) in "
        "place to the newest format version this benchmarkkit writes. Only what the new "
        "version needs changes: from 1.0 to 1.1, the schema_version in the file that holds "
        "it, and a $schema that names a published 1.0 schema; every other byte, comments "
        "and layout included, stays as it was. What the upgrade cannot decide for you is "
        "printed as a note. A dataset that has errors in its own version is not upgraded: "
        "fix them first (fields of a later version are not in the way: the upgrade is what "
        "fixes them). Nothing is written unless the upgraded dataset validates, and no file "
        "if one is read-only. A dataset already in the newest version is left alone.",
        epilog=_UPGRADE_EXIT_STATUSES + "\nexamples:\n  benchmarkkit upgrade my-benchmarks\n"
        "  benchmarkkit upgrade --check my-benchmarks\n",
    )
    parser.add_argument("path", metavar="PATH", help="the dataset: a file or a folder")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing: say what would change, and exit 1 if anything would",
    )


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of the ``benchmarkkit`` command and its subcommands."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Validate, score and publish structured human-rights benchmark datasets.",
        epilog=_EXIT_STATUSES + "\nRun 'benchmarkkit COMMAND --help' for a command's options.",
        formatter_class=_Formatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(
        title="commands", metavar="COMMAND", dest="command", required=True
    )
    _add_validate(commands)
    _add_score(commands)
    _add_report(commands)
    _add_export(commands)
    _add_import(commands)
    _add_schema(commands)
    _add_init(commands)
    _add_upgrade(commands)
    return parser

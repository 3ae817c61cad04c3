"""Generate a table shaped like the UPR Info database's export, for the import measurements.

One row per recommendation and recommending State, with the export's columns
(``To``, ``To-Rgrp``, ``To-Org``, ``Text``, ``From``, ``From-Rgrp``, ``From-Org``,
``Response``, ``Action``, ``Issue``, ``Session``), as ``examples/upr-info/mapping.yaml``
reads them. The text is as hard as the real export's: State names as the
database spells them (accents, parentheses, apostrophes), curly quotes, en
dashes, accented and Cyrillic words, comma-separated themes, a line break in
one text in fifty, and one recommendation in eight made jointly by two to four
States (repeated rows with the same text, which the mapping merges into one
recommendation). Written as CSV in UTF-8 with a byte order mark and CRLF line
ends, as spreadsheet programs save it.

    python benchmarks/upr_table.py 50k [--out benchmarks/data]

Writes ``<out>/upr-<size>.csv``. The same size always gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import io
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
SIZES = {"1k": 1_000, "5k": 5_000, "50k": 50_000}
HEADERS = (
    "To",
    "To-Rgrp",
    "To-Org",
    "Text",
    "From",
    "From-Rgrp",
    "From-Org",
    "Response",
    "Action",
    "Issue",
    "Session",
)
STATES = (
    ("Kazakhstan", "Asia-Pacific Group", "OSCE, OIC"),
    ("Côte d'Ivoire", "African Group", "AU, OIF"),
    ("Türkiye", "WEOG", "OSCE, OIC, CoE"),
    ("Iran (Islamic Republic of)", "Asia-Pacific Group", "OIC"),
    ("Venezuela (Bolivarian Republic of)", "GRULAC", "OAS"),
    ("United Kingdom of Great Britain and Northern Ireland", "WEOG", "OSCE, CoE, Commonwealth"),
    ("Russian Federation", "EEG", "OSCE"),
    ("Viet Nam", "Asia-Pacific Group", "ASEAN, OIF"),
    ("Bolivia (Plurinational State of)", "GRULAC", "OAS"),
    ("Republic of Korea", "Asia-Pacific Group", ""),
    ("Democratic People's Republic of Korea", "Asia-Pacific Group", ""),
    ("São Tomé and Príncipe", "African Group", "AU, OIF"),
    ("Norway", "WEOG", "OSCE, CoE"),
    ("Mexico", "GRULAC", "OAS"),
    ("Czechia", "EEG", "EU, OSCE, CoE"),
    ("Kyrgyzstan", "Asia-Pacific Group", "OSCE, OIC"),
    ("Uzbekistan", "Asia-Pacific Group", "OSCE, OIC"),
    ("Brazil", "GRULAC", "OAS"),
    ("Sierra Leone", "African Group", "AU, Commonwealth"),
    ("Holy See", "WEOG", "OSCE"),
)
ISSUES = (
    "Women's rights",
    "Rights of the Child",
    "Freedom of opinion and expression",
    "Freedom of association and peaceful assembly",
    "Torture and other CID treatment",
    "Justice",
    "Detention",
    "Human rights defenders",
    "Minorities",
    "Ratification of international instruments",
    "National Human Rights Institution (NHRI)",
    "Death penalty",
)
VERBS = ("Ensure", "Guarantee", "Adopt", "Consider", "Take measures to", "Continue to", "Review")
# Real text: en dashes, curly quotes, Cyrillic and accented words (RUF001 is meant for code).
OBJECTS = (
    "that journalists and human rights defenders can work without harassment",
    "the independence of the judiciary, in line with the “Basic Principles”",
    "legislation on peaceful assembly – including the law of 2011 – with international standards",  # noqa: RUF001
    "access to education for children of the Roma and Uyghur minorities",
    "the ratification of the Optional Protocol to the Convention against Torture",
    "a moratorium on executions with a view to abolishing the death penalty",
    "registration of religious communities without undue restrictions (закон «О свободе»)",  # noqa: RUF001
    "effective investigations into allegations of torture in pre-trial détention",
    "an independent national human rights institution fully compliant with the Paris Principles",
    "the protection of women from domestic violence, with shelters in every région",
)
RESPONSES = ("Accepted", "Accepted", "Accepted", "Noted")


def size_of(name: str) -> int:
    """The number of rows of a size name (``5k``, ``50k``) or of a plain number."""
    return SIZES[name] if name in SIZES else int(name)


def _text(rng: random.Random, number: int) -> str:
    text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} (recommendation {number})."
    if rng.random() < 0.02:
        text += "\nThis line follows a line break inside the cell."
    return text


def rows(count: int, seed: int = 20120320) -> list[tuple[str, ...]]:
    """``count`` rows of the export, in a fixed order for a given seed."""
    rng = random.Random(seed)
    made: list[tuple[str, ...]] = []
    number = 0
    while len(made) < count:
        number += 1
        to, to_group, to_org = rng.choice(STATES)
        text = _text(rng, number)
        response = rng.choice(RESPONSES)
        action = str(rng.randint(1, 5))
        issues = ",".join(rng.sample(ISSUES, rng.randint(1, 3)))
        session = str(rng.randint(1, 50))
        joint = rng.randint(2, 4) if rng.random() < 0.125 else 1
        recommending = rng.sample([state for state in STATES if state[0] != to], joint)
        for by, by_group, by_org in recommending:
            row = (to, to_group, to_org, text, by, by_group, by_org)
            made.append((*row, response, action, issues, session))
    return made[:count]


def table_text(count: int) -> str:
    """The CSV text of a table of ``count`` rows, header first, CRLF line ends."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(rows(count))
    return out.getvalue()


def write(name: str, out: Path = DATA) -> Path:
    """Write the table of size ``name`` to ``<out>/upr-<name>.csv`` and return its path."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"upr-{name}.csv"
    path.write_bytes(table_text(size_of(name)).encode("utf-8-sig"))
    return path


def main() -> None:
    """Write the tables named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="+", metavar="SIZE")
    parser.add_argument("--out", type=Path, default=DATA)
    args = parser.parse_args()
    for name in args.sizes:
        print(write(name, args.out))


if __name__ == "__main__":
    main()

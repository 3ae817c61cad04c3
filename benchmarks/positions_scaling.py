"""Time locating problem pointers in a large dataset against parsing it with ``json.loads``.

Builds a ~90 MB pretty-printed dataset in memory (100,000 evidence records,
10,000 actors and 10,000 sources), picks about 100 scattered pointers (some in
the last records, some to keys or items that do not exist) and prints the
median of three runs. Nothing is written to disk.

    python benchmarks/positions_scaling.py [--wide] [--plain]

``--wide`` puts a character beyond Latin-1 (a curly apostrophe) in some quotes,
which makes Python store the text with two bytes a character. ``--plain``
turns off the jump over long arrays (counting braces), so that each item on
the way is skipped one by one: the figure that justifies the jump.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable

from benchmarkkit import _positions
from benchmarkkit._positions import locate_json

WORDS = [
    "the",
    "police",
    "detained",
    "a",
    "journalist",
    "after",
    "the",
    "report",
    "court",
    "ruling",
    "on",
    "protest",
    "rights",
    "of",
    "village",
    "women",
    "and",
    "children",
    "to",
    "water",
    "access",
    "health",
    "education",
    "freedom",
    "of",
    "assembly",
    "expression",
    "torture",
    "detention",
    "released",
    "authorities",
    "ministry",
    "company",
    "land",
    "eviction",
]


def sentence(rng: random.Random, length: int) -> str:
    """Return words, cut to ``length`` characters."""
    text = " ".join(rng.choice(WORDS) for _ in range(length // 5))
    return text[:length]


def make_dataset(rng: random.Random, *, wide: bool) -> dict[str, object]:
    """Build a dataset shaped like a real one, of the size the performance issue names."""
    apostrophe = "\u2019" if wide else "'"
    actors = [
        {
            "id": f"act-{i}",
            "name": sentence(rng, 30).title(),
            "kind": rng.choice(["state", "company", "armed_group", "ngo"]),
            "country": rng.choice(["FR", "KE", "BR", "IN", "MX"]),
            "aliases": [sentence(rng, 20) for _ in range(2)],
        }
        for i in range(10_000)
    ]
    sources = [
        {
            "id": f"src-{i}",
            "title": sentence(rng, 80),
            "url": f"https://example.org/reports/{i}",
            "publisher": sentence(rng, 25),
            "published": f"20{rng.randint(10, 23)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        }
        for i in range(10_000)
    ]
    evidence = []
    for i in range(100_000):
        quote = sentence(rng, 200)
        if rng.random() < 0.1:
            quote = f'"{quote[:80]}" {apostrophe}{{sic}}{apostrophe} [caf\u00e9] {quote[80:]}'
        evidence.append(
            {
                "id": f"ev-{i}",
                "source": f"src-{rng.randrange(10_000)}",
                "locator": f"p. {rng.randint(1, 300)}",
                "quote": quote,
                "date": f"20{rng.randint(10, 23)}-0{rng.randint(1, 9)}-2{rng.randint(0, 8)}",
                "summary": sentence(rng, 350),
                "benchmarks": [f"bm-{rng.randrange(60)}" for _ in range(3)],
                "direction": rng.choice(["progress", "regress", "neutral"]),
                "actor": f"act-{rng.randrange(10_000)}",
            }
        )
    return {"schema_version": "1.0", "actors": actors, "sources": sources, "evidence": evidence}


def pick_pointers(rng: random.Random) -> list[str]:
    """Pick about 100 pointers spread over the file, some to things that do not exist."""
    pointers = [f"/evidence/{i}/date" for i in rng.sample(range(100_000), 60)]
    pointers += [f"/evidence/{i}" for i in (99_999, 99_998, 99_990)]
    pointers += [f"/evidence/{i}/quote" for i in (99_997, 99_950)]
    pointers += [
        f"/evidence/{i}/benchmarks/{rng.randrange(5)}" for i in rng.sample(range(100_000), 8)
    ]
    pointers += [f"/evidence/{i}/no_such_field" for i in rng.sample(range(100_000), 8)]
    pointers += [f"/actors/{i}/kind" for i in rng.sample(range(10_000), 8)]
    pointers += [f"/sources/{i}/url" for i in rng.sample(range(10_000), 8)]
    pointers += ["/evidence/100000/date", "/sources/9999/missing", "/schema_version", ""]
    rng.shuffle(pointers)
    return pointers


def median_seconds(function: Callable[[], object], runs: int = 3) -> float:
    """Return the median wall time of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Build the dataset, time parsing and locating, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wide", action="store_true", help="use a character beyond Latin-1")
    parser.add_argument("--plain", action="store_true", help="skip items one by one, no jumps")
    args = parser.parse_args()
    if args.plain:
        _positions._JUMP_MIN = sys.maxsize  # what the option measures
    rng = random.Random(20240601)
    data = make_dataset(rng, wide=args.wide)
    text = json.dumps(data, indent=2, ensure_ascii=False)
    del data
    parsed = json.loads(text)
    pointers = pick_pointers(rng)
    positions = locate_json(text, parsed, pointers)
    assert len(positions) == len(pointers)

    loads = median_seconds(lambda: json.loads(text))
    locate = median_seconds(lambda: locate_json(text, parsed, pointers))
    early = median_seconds(lambda: locate_json(text, parsed, ["/actors/3/kind"]))
    late = median_seconds(lambda: locate_json(text, parsed, ["/evidence/99999/date"]))
    print(f"text: {len(text) / 1e6:.1f} M characters, {len(pointers)} pointers")
    print(f"json.loads:                 {loads:8.3f} s")
    print(f"locate_json, all pointers:  {locate:8.3f} s   ratio {locate / loads:.3f}")
    print(f"locate_json, /actors/3:     {early:8.3f} s   ratio {early / loads:.3f}")
    print(f"locate_json, last record:   {late:8.3f} s   ratio {late / loads:.3f}")


if __name__ == "__main__":
    main()

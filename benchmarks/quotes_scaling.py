"""Show that checking a quote costs the same in a text ten times longer.

Draws words by Zipf's law from a vocabulary that grows with the square root of
the text, and lays them out as an extracted PDF would (short lines, blank
lines, words hyphenated at line ends, a few curly quotes). Then checks 1,000
quotes (900 runs of 6 to 20 words from the text, 100 with one letter changed)
against three texts:

- the text;
- the same text followed by nine others with their own vocabularies: ten times
  the length, but the quoted words are as frequent as before;
- a text of ten times the words by the same law: its words are more frequent,
  which is what a lookup pays for (the mean count of each quote's rarest word
  is printed).

Preparing a text (normalising it, then the word index of each of the three
readings of line-end hyphens) is timed apart from the quotes. For comparison,
the naive check (``normalize(quote) in normalised_text``, without word
boundaries) is timed too. Nothing is written to disk.

    python benchmarks/quotes_scaling.py [--words 200000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import time
from collections import Counter
from collections.abc import Callable

from benchmarkkit._quotes import QuoteIndex, normalize

QUOTES = 1_000


def make_words(rng: random.Random, count: int) -> list[str]:
    """Draw ``count`` words; the vocabulary grows with the square root of the text (Heaps)."""
    size = int(40 * count**0.5)
    vocabulary = {
        "".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 11))) for _ in range(size)
    }
    ranked = sorted(vocabulary)
    rng.shuffle(ranked)
    weights = [1 / rank for rank in range(1, len(ranked) + 1)]
    return rng.choices(ranked, weights=weights, k=count)


def make_text(words: list[str]) -> str:
    """Lay the words out as an extracted PDF would: short lines, some words hyphenated."""
    pieces: list[str] = []
    for index, word in enumerate(words):
        if index % 600 == 599:
            pieces.append(word + "\n\n\n")
        elif index % 12 == 11 and len(word) > 6 and index % 5 == 0:
            pieces.append(word[:3] + "-\n" + word[3:] + " ")
        elif index % 12 == 11:
            pieces.append(word + "\n")
        else:
            pieces.append(word + " ")
    return "".join(pieces)


def make_quotes(rng: random.Random, words: list[str]) -> list[str]:
    """Take runs of words as quotes, and change one letter in a tenth of them."""
    quotes = []
    for number in range(QUOTES):
        length = rng.randint(6, 20)
        start = rng.randrange(len(words) - length)
        quote = words[start : start + length]
        if number % 10 == 0:
            which = rng.randrange(length)
            quote[which] = "Q" + quote[which][1:]
        quotes.append(" ".join(quote))
    return quotes


def seconds(function: Callable[[], object]) -> float:
    """Return the best of seven timings of ``function`` (the machine may be busy)."""
    best = float("inf")
    for _ in range(7):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def measure(label: str, text: str, quotes: list[str], counts: Counter[str]) -> None:
    """Print the preparation time and the cost per quote of ``quotes`` in ``text``."""
    start = time.perf_counter()
    index = QuoteIndex(text)
    normalised = time.perf_counter() - start
    index.contains("Qx")  # builds the word index of the printed reading
    index.contains("Qx-\ny")  # and of the joined and hyphenated readings
    prepared = time.perf_counter() - start

    found = sum(index.contains(quote) for quote in quotes)
    contains = seconds(lambda: [index.contains(quote) for quote in quotes])
    index.find(quotes[1])  # builds the offset map and the line starts
    find = seconds(lambda: [index.find(quote) for quote in quotes])
    flat = normalize(text)
    naive = seconds(lambda: [normalize(quote) in flat for quote in quotes])
    rarest = statistics.mean(
        min(counts[word.strip("\u201c\u201d")] for word in quote.split()) for quote in quotes
    )
    print(
        f"{label:<26} {len(text) / 1e6:5.1f} M chars  prepare {normalised:5.2f} s "
        f"+ index {prepared - normalised:5.2f} s  found {found}/{QUOTES}  rarest word "
        f"x{rarest:5.1f}  contains {contains / QUOTES * 1e6:5.1f} us  find "
        f"{find / QUOTES * 1e6:5.1f} us  naive 'in' {naive / QUOTES * 1e6:7.1f} us"
    )


def quoted(rng: random.Random, count: int) -> list[str]:
    """Draw words and put one in a hundred in curly quotes."""
    words = make_words(rng, count)
    return [f"\u201c{word}\u201d" if rng.random() < 0.01 else word for word in words]


def main() -> None:
    """Measure a text, the same text among nine others, and a text of ten times the words."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=200_000, help="words in the shorter text")
    args = parser.parse_args()
    rng = random.Random(20120320)
    words = quoted(rng, args.words)
    quotes = make_quotes(rng, words)
    others = [quoted(random.Random(seed), args.words) for seed in range(9)]
    longer = quoted(random.Random(10), args.words * 10)
    quotes_longer = make_quotes(random.Random(11), longer)
    print(f"per quote, best of 7 runs of {QUOTES} quotes")
    measure("text", make_text(words), quotes, Counter(words))
    measure(
        "same text + 9x other words",
        "\n\n".join(make_text(part) for part in [words, *others]),
        quotes,
        Counter(words + [word for part in others for word in part]),
    )
    measure("10x words, same Zipf law", make_text(longer), quotes_longer, Counter(longer))


if __name__ == "__main__":
    main()

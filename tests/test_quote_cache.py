"""The quote cache: warm and cold validations agree; an entry holds for one text and version."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarkkit import _quote_cache, _sources
from benchmarkkit._quote_cache import ENVIRONMENT, SHARDS, QuoteCache, cache_folder, shard_name
from benchmarkkit._quotes import RULES_VERSION, QuoteIndex
from benchmarkkit._validate import validate
from benchmarkkit.cli import main

EXAMPLE = Path(__file__).parent.parent / "examples" / "kazakhstan-2012"
APPEAL = "sources/2012-03-20-appeal-eu-kazakhstan.txt"
MISSING = "a sentence that the appeal never contains"


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    """The example, with one evidence item quoting words its source does not hold."""
    folder = tmp_path / "dataset"
    shutil.copytree(EXAMPLE, folder)
    evidence = folder / "evidence.yaml"
    text = evidence.read_text(encoding="utf-8")
    first = text.index("quote:")
    end = text.index("\n", first)
    evidence.write_text(f"{text[:first]}quote: {MISSING}{text[end:]}", encoding="utf-8")
    return folder


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of quotes looked for in archived texts, per text searched."""
    counted: list[int] = []
    contains_all = QuoteIndex.contains_all

    def counting(self: QuoteIndex, quotes: list[str]) -> list[bool]:
        counted.append(len(quotes))
        return contains_all(self, quotes)

    monkeypatch.setattr(QuoteIndex, "contains_all", counting)
    return counted


def _problems(report: object) -> list[tuple[object, ...]]:
    return [
        (p.code, p.message, p.file, p.pointer, p.line, p.column)
        for p in report.problems  # type: ignore[attr-defined]
    ]


def test_a_warm_validation_finds_the_same_problems_without_searching_again(
    dataset: Path, tmp_path: Path, searches: list[int]
) -> None:
    cache = tmp_path / "cache"
    uncached = validate(dataset)
    cold = validate(dataset, quote_cache=cache)
    warm = validate(dataset, quote_cache=cache)
    assert [p.code for p in warm.problems if p.code.startswith("quote")] == ["quote-not-found"]
    assert _problems(uncached) == _problems(cold) == _problems(warm)
    # Warm, only the quote that does not occur is looked for again: failures are not kept.
    uncached_searched, cold_searched, warm_searched = searches
    assert uncached_searched == cold_searched > 10
    assert warm_searched == 1


def _shard(cache: Path) -> Path:
    """The one shard file of the cache folder ``cache`` (its ``quotes`` sub-folder)."""
    (shard,) = (cache / "quotes").iterdir()
    return shard


def _entries(cache: Path) -> dict[str, object]:
    """The entries of every shard of the cache folder ``cache``."""
    entries: dict[str, object] = {}
    for shard in (cache / "quotes").iterdir():
        entries.update(json.loads(shard.read_bytes()))
    return entries


def test_there_is_one_entry_per_archived_text_holding_its_quotes(
    dataset: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    validate(dataset, quote_cache=cache)
    key = QuoteCache.key((dataset / APPEAL).read_text(encoding="utf-8-sig"))
    shard = _shard(cache)
    assert shard.name == f"{shard_name(key)}.json"
    entries = json.loads(shard.read_text(encoding="utf-8"))
    assert list(entries) == [key]
    assert entries[key]["rules"] == RULES_VERSION
    assert MISSING not in entries[key]["quotes"]
    assert len(entries[key]["quotes"]) > 10


def test_thousands_of_texts_share_at_most_64_files_each_written_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes: list[Path] = []
    replace = _quote_cache._replace

    def counted(entry: Path, data: bytes) -> None:
        writes.append(entry)
        replace(entry, data)

    monkeypatch.setattr(_quote_cache, "_replace", counted)
    reads: list[Path] = []
    read = _quote_cache._read

    def counted_read(path: Path) -> dict[str, object]:
        reads.append(path)
        return read(path)

    monkeypatch.setattr(_quote_cache, "_read", counted_read)
    texts = [f"text number {n}" for n in range(3000)]
    cache = QuoteCache(tmp_path)
    for n, text in enumerate(texts):
        key = cache.key(text)
        cache.add(key, cache.verified(key), [f"quote {n}"])
    assert writes == []  # nothing is written before the check ends
    cache.save()
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == [f"{n:02x}.json" for n in range(SHARDS)] == sorted(p.name for p in writes)
    assert sorted(p.name for p in reads) == names  # each shard read once, when first needed
    cache.save()
    assert len(writes) == SHARDS  # nothing changed since: nothing written again
    again = QuoteCache(tmp_path)
    assert [again.verified(again.key(text)) for text in texts] == [
        {f"quote {n}"} for n in range(len(texts))
    ]
    assert len(reads) == 2 * SHARDS
    assert len(writes) == SHARDS  # a warm run that finds everything writes nothing


def test_the_library_uses_no_cache_unless_asked(
    dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENVIRONMENT, str(tmp_path / "user-cache"))
    validate(dataset)
    assert not (tmp_path / "user-cache").exists()
    validate(dataset, quote_cache=True)
    assert _shard(tmp_path / "user-cache").suffix == ".json"


def test_a_changed_text_is_searched_again_and_its_stale_quotes_are_not_trusted(
    dataset: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    assert validate(dataset, quote_cache=cache).counts()["error"] == 1
    appeal = dataset / APPEAL
    text = appeal.read_text(encoding="utf-8")
    # The first quote of the evidence still quoted ('strengthening EU-Kazakhstan relations')
    # is taken out of the text: the cache held it as found.
    appeal.write_text(text.replace("strengthening", "strengthen"), encoding="utf-8")
    stale = validate(dataset, quote_cache=cache)
    fresh = validate(dataset)
    assert _problems(stale) == _problems(fresh)
    assert len([p for p in fresh.problems if p.code == "quote-not-found"]) > 1
    assert len(_entries(cache)) == 2  # one per version of the text


def test_entries_of_another_library_version_are_not_trusted(
    dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, searches: list[int]
) -> None:
    cache = tmp_path / "cache"
    validate(dataset, quote_cache=cache)
    validate(dataset, quote_cache=cache)
    assert searches[-1] == 1  # warm: only the missing quote
    monkeypatch.setattr(_quote_cache, "__version__", "999.0")
    validate(dataset, quote_cache=cache)
    assert searches[-1] > 1  # a new version searches every quote again
    assert len(_entries(cache)) == 2


def test_entries_under_other_matching_rules_are_not_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = QuoteCache.key("some text")
    monkeypatch.setattr(_quote_cache, "RULES_VERSION", 999)
    assert QuoteCache.key("some text") != key


def _each_entry(data: bytes, change: Callable[[object], object]) -> bytes:
    """The shard ``data`` with each of its entries changed by ``change``."""
    return json.dumps({key: change(entry) for key, entry in json.loads(data).items()}).encode()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="cut short"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: b"\x00\xff" * 10, id="not JSON"),
        pytest.param(lambda data: b'{"other": {"quotes": ["x"]}}', id="another entry's"),
        pytest.param(lambda data: b'["a list"]', id="not a shard"),
        pytest.param(lambda data: _each_entry(data, lambda entry: ["a list"]), id="not an entry"),
        pytest.param(lambda data: data.replace(b'"quotes":[', b'"quotes":[1,'), id="not quotes"),
        pytest.param(lambda data: _each_entry(data, lambda entry: {"quotes": "x"}), id="one text"),
        pytest.param(lambda data: _each_entry(data, lambda entry: {}), id="no quotes"),
    ],
)
def test_a_damaged_entry_is_ignored_and_rewritten(
    dataset: Path, tmp_path: Path, searches: list[int], damage: object
) -> None:
    cache = tmp_path / "cache"
    cold = validate(dataset, quote_cache=cache)
    entry = _shard(cache)
    good = entry.read_bytes()
    entry.write_bytes(damage(good))  # type: ignore[operator]
    before = len(searches)
    again = validate(dataset, quote_cache=cache)
    assert _problems(again) == _problems(cold)
    assert searches[before] > 1  # every quote was looked for again
    assert entry.read_bytes() == good


def test_a_shard_copied_under_another_shard_s_name_is_not_trusted(tmp_path: Path) -> None:
    cache = QuoteCache(tmp_path)
    one = QuoteCache.key("one text")
    other = next(
        key for n in range(1000) if shard_name(key := QuoteCache.key(f"{n}")) != shard_name(one)
    )
    cache.add(one, (), ["a quote"])
    cache.save()
    copied = tmp_path / f"{shard_name(other)}.json"
    shutil.copy(tmp_path / f"{shard_name(one)}.json", copied)
    # The copied entry, under its own key, answers nothing in the wrong shard...
    again = QuoteCache(tmp_path)
    assert again.verified(one) == {"a quote"}
    assert again.verified(other) == frozenset()
    # ... and is dropped from it when that shard is next written.
    again.add(other, (), ["another quote"])
    again.save()
    assert json.loads(copied.read_bytes()) == {
        other: {"rules": RULES_VERSION, "quotes": ["another quote"]}
    }


@pytest.mark.parametrize("kind", ["a file", "a file above it"])
def test_a_cache_folder_that_cannot_be_written_never_fails_validation(
    dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    cache = blocker if kind == "a file" else blocker / "below"
    attempts: list[Path] = []
    replace = _quote_cache._replace

    def counted(entry: Path, data: bytes) -> None:
        attempts.append(entry)
        replace(entry, data)

    monkeypatch.setattr(_quote_cache, "_replace", counted)
    with_cache = validate(dataset, quote_cache=cache)
    assert _problems(with_cache) == _problems(validate(dataset))
    assert blocker.read_text(encoding="utf-8") == "not a folder"
    assert attempts == []  # the folder could not be made: nothing was written


def test_an_unwritable_folder_is_tried_once_per_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts: list[Path] = []

    def refuse(entry: Path, data: bytes) -> None:
        attempts.append(entry)
        raise PermissionError(13, "Permission denied", str(entry))

    monkeypatch.setattr(_quote_cache, "_replace", refuse)
    cache = QuoteCache(tmp_path / "cache")
    one, two = QuoteCache.key("one"), QuoteCache.key("two")
    assert shard_name(one) != shard_name(two)
    cache.add(one, (), ["a"])
    cache.add(two, (), ["b"])
    cache.save()
    assert len(attempts) == 1  # the second shard is not tried
    cache.add(QuoteCache.key("three"), (), ["c"])
    cache.save()
    assert len(attempts) == 1
    assert QuoteCache(tmp_path / "cache").verified(one) == frozenset()


_WRITER = textwrap.dedent(
    """
    import sys
    from benchmarkkit._quote_cache import QuoteCache

    key = QuoteCache.key("the shared text")
    mine = [f"{sys.argv[2]} {n}" for n in range(2000)]
    for round in range(60):
        cache = QuoteCache(sys.argv[1])  # a run: reads the shard, adds, writes it
        seen = cache.verified(key)
        assert not seen or len(seen) >= 2000, len(seen)  # never part of an entry
        cache.add(key, seen, mine)
        cache.save()
    """
)


def test_two_processes_writing_one_entry_at_once_leave_a_whole_entry(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    writers = [
        subprocess.Popen([sys.executable, "-c", _WRITER, str(folder), name])
        for name in ("first", "second")
    ]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    (shard,) = folder.iterdir()  # no temporary file left behind
    quotes = QuoteCache(folder).verified(QuoteCache.key("the shared text"))
    # Each writer's last entry held all its quotes; the last rename wins, with the other's
    # quotes too if it had read them first.
    assert {f"first {n}" for n in range(2000)} <= quotes or {
        f"second {n}" for n in range(2000)
    } <= quotes
    assert shard.name == f"{shard_name(QuoteCache.key('the shared text'))}.json"


def test_the_cache_folder_is_named_by_the_environment_or_the_platform(tmp_path: Path) -> None:
    assert cache_folder(environ={ENVIRONMENT: str(tmp_path)}) == tmp_path / "quotes"
    assert cache_folder(tmp_path / "given", environ={ENVIRONMENT: "ignored"}) == (
        tmp_path / "given" / "quotes"
    )
    import platformdirs

    assert cache_folder(environ={}) == (
        Path(platformdirs.user_cache_dir("benchmarkkit", appauthor=False)) / "quotes"
    )


@pytest.mark.parametrize("command", ["validate", "score", "report", "export"])
def test_the_command_uses_the_cache_unless_told_not_to(
    dataset: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    # The quote that does not occur is an error: every command stops after validating.
    monkeypatch.setenv(ENVIRONMENT, str(tmp_path / "cache"))
    extra = ["-o", str(tmp_path / "report.html")] if command == "report" else []
    assert main([command, str(dataset), "--no-cache", *extra]) == 1
    without = capsys.readouterr()
    assert not (tmp_path / "cache").exists()
    assert main([command, str(dataset), *extra]) == 1
    cold = capsys.readouterr()
    assert len(_entries(tmp_path / "cache")) == 1
    assert main([command, str(dataset), *extra]) == 1
    warm = capsys.readouterr()
    assert (without.out, without.err) == (cold.out, cold.err) == (warm.out, warm.err)
    assert "quote-not-found" in without.out + without.err


def test_validate_json_is_the_same_cold_warm_and_without_cache(
    dataset: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(ENVIRONMENT, str(tmp_path / "cache"))
    outputs = []
    for options in (["--no-cache"], [], []):
        assert main(["validate", "--format", "json", str(dataset), *options]) == 1
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] == outputs[2]
    assert "does not occur in the archived text" in outputs[0]


@settings(max_examples=40)
@given(
    words=st.lists(
        st.sampled_from(["rights", "caf\u00e9", "well-known", "\u201cfree\u201d"]), min_size=1
    ),
    quotes=st.lists(
        st.text(alphabet="rights caf\u00e9well-known\u201c\u201d.", max_size=20), max_size=6
    ),
)
def test_cached_answers_are_the_answers_of_a_search(words: list[str], quotes: list[str]) -> None:
    import tempfile

    text = " ".join(words)
    expected = QuoteIndex(text).contains_all(quotes)
    with tempfile.TemporaryDirectory() as folder:
        cache = QuoteCache(folder)
        cold, _ = _sources._occurrences(text, quotes, cache)
        again, _ = _sources._occurrences(text, quotes, cache)  # the same run: in memory
        cache.save()
        warm, _ = _sources._occurrences(text, quotes, QuoteCache(folder))  # the next run
    assert cold == again == warm == expected

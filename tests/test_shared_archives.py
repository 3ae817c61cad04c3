"""Shared archive folders: a dataset names folders outside itself that archived texts may be in.

Nothing else outside the dataset folder is read: ``..`` that does not lead into a
named folder or leaves it again, links judged by where they really lead, absolute
paths; and a named folder must exist, be a folder and not contain the dataset.
"""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit import dump_dataset, load_dataset, save_dataset, validate
from benchmarkkit._archive_folders import archive_path, usable_folders

WORDS = "the shared words of the appeal"
OUTSIDE_WORDS = "the secret words"


def _dataset(folder: Path, folders: list[str], archive: str, *, quote: str = WORDS) -> Path:
    """A 1.1 dataset in ``folder`` naming ``folders``, with one source archived at ``archive``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "dataset.yaml"
    path.write_text(
        textwrap.dedent(
            f"""\
            schema_version: "1.1"
            id: d
            title: T
            archive_folders: {json.dumps(folders)}
            sources: [{{id: s, title: S, kind: appeal, archive: {json.dumps(archive)}}}]
            areas: [{{id: a, title: A}}]
            benchmarks: [{{id: b, title: B, statement: S, area: a, type: outcome}}]
            evidence:
              - {{id: e, source: s, date: "2012", benchmarks: [b], direction: mixed, summary: S,
                 quote: {quote!r}}}
            """
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """``shared/appeal.txt`` and ``secret.txt`` beside the (not yet written) ``dataset`` folder."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "appeal.txt").write_text(WORDS + "\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text(OUTSIDE_WORDS + "\n", encoding="utf-8")
    return tmp_path


def _problems(path: Path) -> list[tuple[str, str | None, str]]:
    return [(p.code, p.pointer, p.message) for p in validate(path).problems]


# -- what is read --------------------------------------------------------------------------


def test_an_archive_in_a_named_folder_is_read_and_its_quotes_verified(tree: Path) -> None:
    path = _dataset(tree / "dataset", ["../shared"], "../shared/appeal.txt")
    assert _problems(path) == []


def test_a_quote_not_in_a_shared_archive_names_the_shared_path(tree: Path) -> None:
    path = _dataset(tree / "dataset", ["../shared"], "../shared/appeal.txt", quote="other words")
    [(code, pointer, message)] = _problems(path)
    assert (code, pointer) == ("quote-not-found", "/evidence/0/quote")
    assert "(line 1, column 5 of ../shared/appeal.txt)" in message


def test_the_folders_of_a_single_file_dataset_are_relative_to_its_folder(tree: Path) -> None:
    path = _dataset(tree / "dataset", ["../shared"], "../shared/appeal.txt")
    single = path.rename(tree / "dataset" / "one.yaml")
    assert _problems(single) == []


def test_a_folder_named_with_a_trailing_slash_or_dot_is_the_same_folder(tree: Path) -> None:
    path = _dataset(tree / "dataset", ["./../shared/"], "../shared/appeal.txt")
    assert _problems(path) == []


def test_a_dataset_built_in_code_reads_shared_archives_from_its_root(tree: Path) -> None:
    path = _dataset(tree / "dataset", ["../shared"], "../shared/appeal.txt")
    dataset = load_dataset(path)
    assert validate(dataset, root=tree / "dataset").problems == ()
    # Without a root, nothing is read and the quote is unverifiable, as for any archive.
    assert [p.code for p in validate(dataset).problems] == ["quote-unverifiable"]


def test_a_missing_text_in_a_named_folder_is_said_to_be_missing_there(tree: Path) -> None:
    path = _dataset(tree / "dataset", ["../shared"], "../shared/gone.txt")
    assert _problems(path) == [
        (
            "archive-missing",
            "/sources/0/archive",
            (
                "source 's': the archived text '../shared/gone.txt' does not exist in the archive "
                "folder '../shared'"
            ),
        )
    ]


# -- what is still refused ------------------------------------------------------------------


@pytest.mark.parametrize(
    "archive",
    [
        "../secret.txt",  # outside, and not in the named folder
        "../shared/../secret.txt",  # into the named folder, then out of it again
        "../shared/../shared/appeal.txt",  # back in, but by a '..' inside the named folder
        "shared/../../secret.txt",  # not by the folder's name
        "/etc/passwd",
        "C:\\secret.txt",
        "..\\shared\\appeal.txt",
    ],
)
def test_paths_that_leave_the_dataset_other_than_into_a_named_folder_are_refused(
    tree: Path, archive: str
) -> None:
    path = _dataset(tree / "dataset", ["../shared"], archive, quote=OUTSIDE_WORDS)
    assert _problems(path) == [
        (
            "archive-outside-dataset",
            "/sources/0/archive",
            (
                f"source 's': the archive path {archive!r} leads outside the dataset folder and is "
                "not inside an archive folder the dataset names ('../shared'); it was not read"
            ),
        )
    ]


def test_a_link_in_the_named_folder_that_leads_out_of_it_is_refused(tree: Path) -> None:
    (tree / "shared" / "link.txt").symlink_to(tree / "secret.txt")
    path = _dataset(tree / "dataset", ["../shared"], "../shared/link.txt", quote=OUTSIDE_WORDS)
    assert [code for code, _, _ in _problems(path)] == ["archive-outside-dataset"]


def test_a_link_from_inside_the_dataset_into_the_named_folder_is_followed(tree: Path) -> None:
    folder = tree / "dataset"
    path = _dataset(folder, ["../shared"], "appeal.txt")
    (folder / "appeal.txt").symlink_to(tree / "shared" / "appeal.txt")
    assert _problems(path) == []


def test_a_link_from_inside_the_dataset_into_an_unnamed_folder_is_refused(tree: Path) -> None:
    folder = tree / "dataset"
    path = _dataset(folder, [], "appeal.txt")
    (folder / "appeal.txt").symlink_to(tree / "shared" / "appeal.txt")
    assert [code for code, _, _ in _problems(path)] == ["archive-outside-dataset"]


def test_a_named_folder_that_is_a_link_is_judged_by_its_real_path(tree: Path) -> None:
    (tree / "alias").symlink_to(tree / "shared", target_is_directory=True)
    path = _dataset(tree / "dataset", ["../alias"], "../alias/appeal.txt")
    assert _problems(path) == []
    # The real folder is not named: a path through its own name is refused.
    other = _dataset(tree / "other", ["../alias"], "../shared/appeal.txt")
    assert [code for code, _, _ in _problems(other)] == ["archive-outside-dataset"]


def test_an_archive_that_is_a_loop_of_links_is_unreadable_not_a_crash(tree: Path) -> None:
    folder = tree / "dataset"
    path = _dataset(folder, ["../shared"], "../shared/a.txt")
    (tree / "shared" / "a.txt").symlink_to(tree / "shared" / "b.txt")
    (tree / "shared" / "b.txt").symlink_to(tree / "shared" / "a.txt")
    [(code, pointer, message)] = _problems(path)
    assert (code, pointer) == ("archive-unreadable", "/sources/0/archive")
    assert message.startswith("source 's': the archived text '../shared/a.txt' cannot be read: ")


# -- the named folders themselves ------------------------------------------------------------


def test_a_named_folder_that_does_not_exist_is_one_problem(tree: Path) -> None:
    path = _dataset(tree / "dataset", ["../nowhere"], "../nowhere/appeal.txt")
    report = validate(path)
    missing = "the archive folder '../nowhere' does not exist"
    assert [(p.code, p.pointer, p.line, p.message) for p in report.problems] == [
        (
            "archive-folder-missing",
            "/archive_folders/0",
            4,
            f"{missing}; the archived texts in it were not read",
        )
    ]
    assert not report.valid


def test_a_named_folder_that_is_a_file_is_a_problem(tree: Path) -> None:
    path = _dataset(tree / "dataset", ["../shared", "../secret.txt"], "../shared/appeal.txt")
    assert _problems(path) == [
        (
            "archive-folder-not-a-folder",
            "/archive_folders/1",
            (
                "the archive folder '../secret.txt' is a file, not a folder; the archived texts in "
                "it were not read"
            ),
        )
    ]


def test_a_named_folder_that_is_a_loop_of_links_cannot_be_reached(tree: Path) -> None:
    (tree / "loop-a").symlink_to(tree / "loop-b")
    (tree / "loop-b").symlink_to(tree / "loop-a")
    path = _dataset(tree / "dataset", ["../loop-a"], "../loop-a/appeal.txt")
    [(code, pointer, message)] = _problems(path)
    assert (code, pointer) == ("archive-folder-missing", "/archive_folders/0")
    assert message.startswith("the archive folder '../loop-a' cannot be reached: ")


@pytest.mark.parametrize("name", ["..", "../..", ".", "../dataset", "../dataset/.."])
def test_a_named_folder_that_contains_the_dataset_folder_is_refused(tree: Path, name: str) -> None:
    path = _dataset(tree / "dataset", [name, "../shared"], "../shared/appeal.txt")
    assert _problems(path) == [
        (
            "archive-folder-not-allowed",
            "/archive_folders/0",
            (
                f"the archive folder {name!r} contains the dataset folder, so it would let every "
                "file around the dataset in; name the folder that holds the shared texts, beside "
                "the dataset folder; the archived texts in it were not read"
            ),
        )
    ]


def test_a_named_folder_that_links_to_a_parent_of_the_dataset_is_refused(tree: Path) -> None:
    (tree / "shared" / "up").symlink_to(tree, target_is_directory=True)
    path = _dataset(
        tree / "dataset", ["../shared/up"], "../shared/up/secret.txt", quote=OUTSIDE_WORDS
    )
    assert [(code, pointer) for code, pointer, _ in _problems(path)] == [
        ("archive-folder-not-allowed", "/archive_folders/0")
    ]


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("/", "is an absolute path"),
        ("/etc", "is an absolute path"),
        ("C:/shared", "is an absolute path"),
        ("..\\shared", "has backslashes"),
    ],
)
def test_a_named_folder_given_as_an_absolute_path_is_refused(
    tree: Path, name: str, what: str
) -> None:
    path = _dataset(tree / "dataset", [name], "../shared/appeal.txt")
    problems = _problems(path)
    assert problems[0] == (
        "archive-folder-not-allowed",
        "/archive_folders/0",
        (
            f"the archive folder {name!r} {what}; name it relative to the dataset folder, with "
            "forward slashes, such as '../shared-sources'; the archived texts in it were not read"
        ),
    )
    # The archive is refused on its own account: the refused name is not a folder it is in.
    assert [code for code, _, _ in problems[1:]] in ([], ["archive-outside-dataset"])


def test_a_dataset_without_named_folders_says_what_it_always_said(tree: Path) -> None:
    path = _dataset(tree / "dataset", [], "../shared/appeal.txt")
    assert _problems(path) == [
        (
            "archive-outside-dataset",
            "/sources/0/archive",
            (
                "source 's': the archive path '../shared/appeal.txt' leads outside the dataset "
                "folder; it was not read"
            ),
        )
    ]


# -- saving and writing ------------------------------------------------------------------------


def test_saving_and_dumping_keep_the_named_folders(tree: Path) -> None:
    path = _dataset(tree / "dataset", ["../shared"], "../shared/appeal.txt")
    dataset = load_dataset(path)
    assert dataset.archive_folders == ("../shared",)
    assert "archive_folders:\n- ../shared\n" in dump_dataset(dataset, "yaml")
    copy = tree / "copy" / "dataset.yaml"
    save_dataset(dataset, copy)
    assert load_dataset(copy) == dataset
    assert _problems(copy) == []


def test_export_keeps_the_named_folders_and_an_export_in_a_sibling_folder_validates(
    cli: Any, tree: Path
) -> None:
    path = _dataset(tree / "dataset", ["../shared"], "../shared/appeal.txt")
    (tree / "exported").mkdir()
    target = tree / "exported" / "export.json"
    result = cli("export", path.parent, "-o", target)
    assert (result.status, result.err) == (0, "")
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported["archive_folders"] == ["../shared"]
    assert exported["sources"][0]["archive"] == "../shared/appeal.txt"
    assert _problems(target) == []


def test_an_output_over_a_shared_archive_is_refused(cli: Any, tree: Path) -> None:
    path = _dataset(tree / "dataset", ["../shared"], "../shared/appeal.txt")
    archive = tree / "shared" / "appeal.txt"
    before = archive.read_bytes()
    result = cli("score", path.parent, "--as-of", "2012-12-31", "--format", "csv", "-o", archive)
    assert result.status == 2
    assert f"'{archive}' is the archived text of source 's' (../shared/appeal.txt)" in result.err
    assert archive.read_bytes() == before


# -- the rule as a property ---------------------------------------------------------------------

_PARTS = st.sampled_from(["..", ".", "shared", "dataset", "secret.txt", "appeal.txt", "up", "x"])


@given(parts=st.lists(_PARTS, min_size=1, max_size=6))
def test_every_accepted_archive_really_lies_in_the_dataset_or_a_named_folder(
    parts: list[str], shared_tree: Path
) -> None:
    root = shared_tree / "dataset"
    folders = usable_folders(root, ["../shared"])
    path = archive_path(root, "/".join(parts), folders=folders)
    if path is not None:
        real = Path(os.path.realpath(path))
        assert any(
            real == allowed or allowed in real.parents
            for allowed in (root.resolve(), (shared_tree / "shared").resolve())
        )


@pytest.fixture(scope="module")
def shared_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tree with links that lead up and out: ``shared/up`` is the tree itself."""
    base = tmp_path_factory.mktemp("tree")
    (base / "dataset").mkdir()
    (base / "shared").mkdir()
    (base / "shared" / "appeal.txt").write_text(WORDS)
    (base / "secret.txt").write_text(OUTSIDE_WORDS)
    (base / "shared" / "up").symlink_to(base, target_is_directory=True)
    (base / "dataset" / "up").symlink_to(base, target_is_directory=True)
    return base


def test_the_hint_offers_shared_folders_only_to_a_dataset_that_can_name_them(tree: Path) -> None:
    """A 1.1 dataset is told about archive_folders; a 1.0 one gets the hint it always had."""
    path = _dataset(tree / "dataset", [], "../shared/appeal.txt")
    [problem] = validate(path).problems
    assert problem.hint is not None
    assert "name their folder in archive_folders" in problem.hint
    old = tree / "old" / "dataset.yaml"
    old.parent.mkdir()
    old.write_text(
        path.read_text(encoding="utf-8")
        .replace('schema_version: "1.1"', 'schema_version: "1.0"')
        .replace("archive_folders: []\n", ""),
        encoding="utf-8",
    )
    [problem] = validate(old).problems
    assert problem.code == "archive-outside-dataset"
    assert problem.hint == (
        "Keep archived texts inside the dataset folder and give a relative path without '..'."
    )

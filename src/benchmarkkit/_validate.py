"""The validation pipeline: files -> schema -> typed records -> checks -> located problems.

Each step is its own module; this one only runs them in order and keeps
every problem. What is known of each file is a ``_FileState`` that each
step returns anew: read, version, schema; then the typed build, the checks
and the located problems. A broken record is left out of the typed dataset,
but its id still counts as declared, so the references to it are not
reported again.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from benchmarkkit._checks import CORE_CHECKS, Check
from benchmarkkit._context import CheckContext, ids_in_text
from benchmarkkit._dates import PartialDate
from benchmarkkit._errors import DatasetError
from benchmarkkit._files import DataFile, read_dataset_files
from benchmarkkit._in_memory import text_problems
from benchmarkkit._index import index_of
from benchmarkkit._model import COLLECTIONS, SCHEMA_VERSION, Dataset
from benchmarkkit._plugins import check_sections, run_check, run_plugin_checks
from benchmarkkit._problems import (
    Problem,
    ValidationReport,
    pointer,
    sort_problems,
    without_consequences,
)
from benchmarkkit._schema import (
    MAX_NESTING,
    Backend,
    TooDeepError,
    check_backend,
    iter_violations,
)
from benchmarkkit._sources import check_sources_and_quotes, quoted_records
from benchmarkkit._wording import record_label, short

if TYPE_CHECKING:
    from benchmarkkit._quote_cache import QuoteCache

__all__ = ["load_dataset", "validate", "validate_data"]


def _readable_versions(newest: str) -> tuple[str, ...]:
    """The versions a reader of format ``newest`` (``MAJOR.N``) reads: every ``MAJOR.M``, M <= N."""
    major, _, minor = newest.partition(".")
    return tuple(f"{major}.{older}" for older in range(int(minor) + 1))


#: The format versions this benchmarkkit reads; the dataset schema's ``schema_version`` enum.
SUPPORTED_VERSIONS = _readable_versions(SCHEMA_VERSION)


#: What :func:`validate` checks after the schema: references, dates, values, gates,
#: archived texts and quotes, and the sections of the dataset their packages check (the
#: scoring package checks the scoring configuration, through the ``benchmarkkit.section_checks``
#: entry point). Pass ``checks=()`` to stop after the schema and the types.
DEFAULT_CHECKS: tuple[Check, ...] = (*CORE_CHECKS, check_sources_and_quotes, check_sections)
_METADATA_FIELDS = tuple(
    field.name for field in attrs.fields(Dataset) if field.name not in COLLECTIONS
)


def _version_problem(file: DataFile) -> Problem | None:
    version = file.data.get("schema_version") if isinstance(file.data, dict) else None
    if not isinstance(version, str) or version in SUPPORTED_VERSIONS:
        return None
    reads = " and ".join(", ".join(SUPPORTED_VERSIONS).rsplit(", ", 1))
    if _is_newer(version):
        fix = "upgrade benchmarkkit to a release that reads it"
    else:
        fix = f"write the version as {short(SCHEMA_VERSION)}, the format this benchmarkkit writes"
    versions = "version" if len(SUPPORTED_VERSIONS) == 1 else "versions"
    return Problem.create(
        "unsupported-schema-version",
        f"the dataset is written for format version {short(version)}; this benchmarkkit reads "
        f"{versions} {reads}, so the file was not read; {fix}",
        file=file.display,
        pointer="/schema_version",
        value=version,
    )


def _later_field_problems(states: Sequence[_FileState], declared: str | None) -> Iterator[Problem]:
    """A problem for each field newer than the format version the dataset declares.

    The schema accepts them in every version; a dataset of the current version
    (or one that declares none, which is of the current version) is not looked at.
    """
    if declared is None or declared == SCHEMA_VERSION or declared not in SUPPORTED_VERSIONS:
        return
    from benchmarkkit._later_fields import later_fields

    for state in states:
        if state.lost:
            continue
        for found in later_fields(state.data, declared):
            label, depth = record_label(state.data, found.path)
            where = "" if depth == 0 else f"{label}: "
            yield Problem.create(
                "field-from-later-version",
                f"{where}{found.key!r} is new in format {found.version}, and this dataset says "
                f"it is {declared}: set schema_version to {short(found.version)} "
                "(benchmarkkit upgrade does it), or remove the field",
                file=state.file.display,
                pointer=pointer(found.path),
            )


def _is_newer(version: str) -> bool:
    """Whether ``version`` (``MAJOR.MINOR``) is later than every version this benchmarkkit reads."""
    parts = version.split(".")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        return False
    newest = tuple(int(part) for part in SCHEMA_VERSION.split("."))
    return (int(parts[0]), int(parts[1])) > newest


def _too_deep_problem(file: DataFile, error: TooDeepError) -> Problem:
    """The problem of a file nested too deep, located now: its data is about to be dropped."""
    where = pointer(error.path)
    line, column = _positions(file, file.data, [where]).get(where, (None, None))
    return Problem.create(
        "too-complex",
        "this value is nested too deep: a file may nest objects and arrays "
        f"{MAX_NESTING} levels deep in rule parameters and gate conditions, and far less "
        "anywhere else; the file was not validated",
        file=file.display,
        pointer=where,
        line=line,
        column=column,
    )


def structuring_problems(
    error: Exception, path: tuple[str | int, ...], document: Any, file: str | None
) -> Iterator[Problem]:
    """Problems from a cattrs error group, each at the path of the field that failed."""
    import cattrs  # only a record that fails to load needs it
    from cattrs.errors import AttributeValidationNote, IterableValidationNote

    if isinstance(error, cattrs.ClassValidationError | cattrs.IterableValidationError):
        with_notes, others = error.group_exceptions()
        for sub, note in with_notes:
            part: str | int = note.name if isinstance(note, AttributeValidationNote) else note.index
            yield from structuring_problems(sub, (*path, part), document, file)
        for sub in others:
            yield from structuring_problems(sub, path, document, file)
        return
    label, depth = record_label(document, path)
    field = ".".join(str(part) for part in path[depth:])
    notes = getattr(error, "__notes__", ())
    is_date = any(
        isinstance(note, AttributeValidationNote | IterableValidationNote)
        and note.type is PartialDate
        for note in notes
    )
    code = "invalid-date" if is_date else "invalid-record"
    where = f"'{field}' " if field else ""
    message = (
        f"{label}: {where}is not a date that exists: {error}"
        if is_date
        else f"{label}: {where}{error}"
    )
    yield Problem.create(code, message, file=file, pointer=pointer(path))


def _let_frames_go(error: BaseException) -> None:
    """Drop the tracebacks of a structuring error and of every error it groups.

    A cattrs error group is a cycle: the frame that collected the errors
    holds them, and their tracebacks hold that frame, whose caller holds the
    parsed files. Left alone, the whole document would outlive validation
    until the next full garbage collection (seconds for a large file).
    """
    stack = [error]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        current.__traceback__ = None
        stack.extend(getattr(current, "exceptions", ()))
        stack.extend(linked for linked in (current.__cause__, current.__context__) if linked)


@attrs.frozen
class _FileState:
    """What validation knows of one file; each step returns a new state.

    ``data`` is what the later steps read: the parsed data, or an empty mapping
    once the file is ``lost`` whole (it cannot be parsed, nests too deep, is in
    a format this version does not read, or is not a mapping). ``broken`` maps a
    collection to the indexes of the items the schema refused: they are not
    structured. ``fields_broken``: the schema refused the dataset's own fields.
    ``problems`` are the problems the steps found in the file, in order.
    """

    file: DataFile
    data: Any
    lost: bool = False
    broken: Mapping[str, frozenset[int]] = attrs.field(factory=dict)
    fields_broken: bool = False
    problems: tuple[Problem, ...] = ()

    def lose(self, *problems: Problem) -> _FileState:
        """The file with its data dropped, for the reasons ``problems`` give."""
        return attrs.evolve(self, data={}, lost=True, problems=(*self.problems, *problems))

    @property
    def metadata(self) -> dict[str, Any] | None:
        """The dataset's own fields (not its records), unless they are unusable."""
        if self.lost or self.fields_broken:
            return None
        return {k: v for k, v in self.data.items() if k in _METADATA_FIELDS}


def _read(file: DataFile) -> _FileState:
    """A file as read: its syntax problem, if any, is already reported."""
    state = _FileState(file=file, data=file.data)
    return state if file.parsed else state.lose()


def _check_version(state: _FileState) -> _FileState:
    """A dataset in a format this version does not read is not read at all."""
    if state.lost or state.file.role != "dataset":
        return state
    problem = _version_problem(state.file)
    return state if problem is None else state.lose(problem)


def _check_schema(state: _FileState, backend: Backend) -> _FileState:
    """The schema's violations, and what they leave unusable: records, the dataset's fields."""
    if state.lost:
        return state
    file = state.file
    name = "dataset" if file.role == "dataset" else "fragment"
    try:
        violations = iter_violations(state.data, name, backend)
    except TooDeepError as error:
        return state.lose(_too_deep_problem(file, error))
    if violations:
        from benchmarkkit._schema_messages import problems_from_violations

        broken: dict[str, set[int]] = {}
        for violation in violations:
            path = violation.path
            if len(path) >= 2 and path[0] in COLLECTIONS and isinstance(path[1], int):
                broken.setdefault(str(path[0]), set()).add(path[1])
        state = attrs.evolve(
            state,
            broken={collection: frozenset(items) for collection, items in broken.items()},
            fields_broken=file.role == "dataset"
            and any(not v.path or v.path[0] not in COLLECTIONS for v in violations),
            problems=(
                *state.problems,
                *problems_from_violations(name, state.data, violations, file.display),
            ),
        )
    return state if isinstance(state.data, dict) else state.lose()


def _structurer(cls: type, *, parsed: bool) -> Callable[[Any, type], Any]:
    """What structures a record of ``cls`` that passed the schema, as cattrs' hooks are called.

    Parsed files hold JSON values only: msgspec builds their records
    (``_fast_records``), and cattrs, the reference, each record msgspec
    refuses, so that a record that fails to load fails with cattrs' error. Data
    built in Python may hold what no file can (a ``str`` subclass, say), which
    the two treat differently: cattrs structures it all.
    """
    if not parsed:
        from benchmarkkit._converter import converter

        return converter.get_structure_hook(cls)  # what converter.structure would call
    from benchmarkkit._fast_records import builder

    build: Callable[[Any], Any] = builder(cls)

    def structure(item: Any, _cls: type) -> Any:
        try:
            return build(item)
        except Exception:  # noqa: S110 - cattrs builds it, or says what is wrong
            pass
        from benchmarkkit._converter import converter

        return converter.structure(item, cls)

    return structure


def _build(
    states: Sequence[_FileState],
    manifest: _FileState | None,
    context: CheckContext,
    *,
    parsed: bool = True,
) -> tuple[Dataset, list[Problem]]:
    """Structure the records that passed the schema into a typed dataset.

    Each collection holds the records of every file, in file order. The ids
    of every record count as declared, even of those too broken to load, and
    so do the ids found in the text of the files lost whole, in every collection.
    ``parsed``: the files' data was parsed from text (see :func:`_structurer`).
    """
    problems: list[Problem] = []
    collections: dict[str, Any] = {}
    declared: dict[str, frozenset[str]] = {}
    # A file lost whole still declares the ids written in it: references to them are not
    # its problem's echoes.
    lost_ids = frozenset[str]().union(*(ids_in_text(s.file.text) for s in states if s.lost))
    for collection, cls in COLLECTIONS.items():
        structure = _structurer(cls, parsed=parsed)
        typed = []
        ids = set()
        for state in states:
            items = state.data.get(collection)
            if not isinstance(items, list):
                continue
            ids.update(
                [
                    ident
                    for item in items
                    if isinstance(item, dict) and isinstance(ident := item.get("id"), str)
                ]
            )
            skip = state.broken.get(collection, ())
            display = state.file.display
            records = []
            indexes = []
            for index, item in enumerate(items):
                if index in skip:
                    continue
                try:
                    record: Any = structure(item, cls)
                except Exception as error:
                    problems.extend(
                        structuring_problems(error, (collection, index), state.data, display)
                    )
                    _let_frames_go(error)
                    continue
                records.append(record)
                indexes.append(index)
            typed.extend(records)
            context._record_items(zip(records, indexes, strict=True), display, collection)
        collections[collection] = tuple(typed)
        declared[collection] = frozenset(ids) | lost_ids
    context.declared_ids = declared
    metadata = manifest.metadata if manifest is not None else None
    if manifest is not None and metadata is not None:
        try:
            base = _structurer(Dataset, parsed=parsed)(metadata, Dataset)
        except Exception as error:
            problems.extend(structuring_problems(error, (), manifest.data, manifest.file.display))
            _let_frames_go(error)
        else:
            return attrs.evolve(base, **collections), problems
    # The dataset's own fields are unusable (and reported): the records are checked all the
    # same, and a check takes a Dataset, so they go into one with a stand-in id and title.
    # It never reaches the caller: the report has an error, so it holds no dataset.
    return Dataset(id="-", title="-", **collections), problems


def _locate(problems: list[Problem], states: Iterable[_FileState]) -> list[Problem]:
    """Fill in line and column for problems that have a pointer into a parsed file."""
    by_display = {state.file.display: state for state in states}
    tables = {name: s.file.cells for name, s in by_display.items() if s.file.cells is not None}
    if tables:  # a workbook's problems are placed in its cells, by their pointers
        from benchmarkkit._tables._book import in_cells

        problems = in_cells(problems, tables)
    wanted: dict[str, set[str]] = {}
    for problem in problems:
        if problem.line is None and problem.file in by_display:
            wanted.setdefault(problem.file, set()).add(problem.pointer)
    if not wanted:
        return problems
    positions = {
        display: _positions(by_display[display].file, by_display[display].data, pointers)
        for display, pointers in wanted.items()
    }
    located = []
    for problem in problems:
        found = positions.get(problem.file or "", {}).get(problem.pointer)
        if found is not None and problem.line is None:
            problem = attrs.evolve(problem, line=found[0], column=found[1])  # noqa: PLW2901
        located.append(problem)
    return located


def _positions(file: DataFile, data: Any, pointers: Iterable[str]) -> Mapping[str, tuple[int, int]]:
    """The line and column of each pointer into ``file``, whose parsed data is ``data``."""
    # Only problems need positions: the happy path never loads the position finders.
    from benchmarkkit._positions import locate_json, locate_yaml

    if file.format == "yaml" and file.node is not None:
        return locate_yaml(file.node, pointers, file.text)
    if file.format == "json" and data is not None:
        return locate_json(file.text, data, pointers)
    return {}


def _run_checks(
    dataset: Dataset, context: CheckContext, checks: Iterable[Check], *, plugins: bool
) -> list[Problem]:
    problems: list[Problem] = []
    for check in checks:
        problems.extend(run_check(check, dataset, context))
    if plugins:
        problems.extend(run_plugin_checks(dataset, context))
    return _without_echoes(problems, dataset, context)


def _without_echoes(
    problems: list[Problem], dataset: Dataset, context: CheckContext
) -> list[Problem]:
    """Leave out the quotes called unverifiable only because their source failed to load.

    A source that is declared but too broken to load has its own problem; a
    quote whose source is cited in it (``cited_in``) is not unverifiable, it
    is waiting for that source to be fixed.
    """
    if not any(problem.code == "quote-unverifiable" for problem in problems):
        return problems
    sources = index_of(dataset)["sources"]
    lost = context.declared_ids.get("sources", frozenset()) - sources.keys()
    if not lost:
        return problems

    def waits_for_lost(source_id: str | None) -> bool:
        seen: set[str] = set()
        while source_id is not None and source_id not in seen:
            if source_id in lost:
                return True
            seen.add(source_id)
            source = sources.get(source_id)
            if source is None or source.archive is not None:
                return False
            source_id = source.cited_in
        return False

    echoes = {
        context.pointer(record, *path, "quote")
        for record, _, path, quoted in quoted_records(dataset)
        if waits_for_lost(quoted.source)
    }
    return [
        problem
        for problem in problems
        if problem.code != "quote-unverifiable" or (problem.file, problem.pointer) not in echoes
    ]


def _validate_files(
    given: str,
    root: Path | None,
    files: list[DataFile],
    problems: list[Problem],
    *,
    backend: Backend,
    checks: Iterable[Check],
    plugins: bool,
    locate: bool = True,
    quote_cache: QuoteCache | None = None,
) -> ValidationReport:
    """Validate files already read (``problems``: what reading them found)."""
    states = [_check_schema(_check_version(_read(file)), backend) for file in files]
    manifest = next((state for state in states if state.file.role == "dataset"), None)
    problems = [*problems, *_later_field_problems(states, _schema_version(manifest))]
    context = CheckContext(
        root=root,
        dataset_file=manifest.file.display if manifest else given,
        cells={s.file.display: s.file.cells for s in states if s.file.cells is not None},
        quote_cache=quote_cache,
    )
    # Data not located is data built in Python, not parsed from a file (validate_data).
    dataset, build_problems = _build(states, manifest, context, parsed=locate)
    checked = _run_checks(dataset, context, checks, plugins=plugins)
    # What is said of a value no file can hold, as a record or field, is its echo: left out.
    found = without_consequences(
        [*problems, *(p for state in states for p in state.problems), *build_problems, *checked]
    )
    lost = {state.file.display for state in states if state.lost}
    report = ValidationReport(
        path=given,
        problems=sort_problems(_locate(found, states) if locate else found, lost),
        files=tuple(file.display for file in files),
        schema_version=_schema_version(manifest),
    )
    return attrs.evolve(report, dataset=dataset) if report.valid else report


def _schema_version(manifest: _FileState | None) -> str | None:
    """The format version the dataset file says it is written in, if it says one."""
    data = manifest.file.data if manifest is not None and manifest.file.parsed else None
    version = data.get("schema_version") if isinstance(data, dict) else None
    return version if isinstance(version, str) else None


def validate(
    path: str | os.PathLike[str] | Dataset,
    *,
    root: str | os.PathLike[str] | None = None,
    backend: Backend = "auto",
    checks: Iterable[Check] = DEFAULT_CHECKS,
    plugins: bool = True,
    quote_cache: bool | str | os.PathLike[str] = False,
) -> ValidationReport:
    """Find every problem in the dataset at ``path``; never raise for a bad dataset.

    ``path`` is a ``.json``, ``.yaml`` or ``.yml`` file, or a folder holding a
    ``dataset.yaml`` (or ``dataset.json``) manifest and other data files. It
    may also be a workbook in the workbook layout (``.xlsx``, ``.xls``, ``.ods``)
    or a folder of CSV files holding ``dataset.csv``: its problems then name
    the sheet, row, header and cell (``evidence!C17``). The
    report lists every problem: syntax, schema, references, dates, indicator
    values, archived texts and quotes, and those of installed plugin checks
    (``plugins=False`` skips them). ``backend`` picks the schema validator:
    ``"fast"`` (jsonschema-rs), ``"reference"`` (jsonschema) or ``"auto"``.
    A check in ``checks`` that raises, or yields something that is not a
    :class:`Problem`, is reported as a ``check-failed`` problem naming it.

    ``path`` may also be a typed :class:`Dataset` built or changed in Python:
    it is checked exactly as the file it would be saved as (problems carry
    the file name ``"<dataset>"`` and a JSON pointer, no line), and the
    report's ``dataset`` is that same object when it has no error. ``root``
    is then the folder its archived texts are read from; without it, quotes
    are reported as unverifiable. ``root`` is ignored for a path.

    ``quote_cache=True`` keeps the quotes found in each archived text in the
    user's cache folder (``$BENCHMARKKIT_CACHE_DIR``, else the platform's, as
    the ``benchmarkkit`` command does), so that the next validation does not
    look for them again while the text is unchanged; a folder may be given
    instead. The problems are the same with it or without it, and a folder
    that cannot be written is not used.

    >>> report = validate("examples/kazakhstan-2012")
    >>> report.valid, report.counts()["error"]
    (True, 0)
    >>> validate(report.dataset, root="examples/kazakhstan-2012").dataset is report.dataset
    True

    An unknown ``backend`` raises :class:`ValueError` naming the allowed ones.
    """
    check_backend(backend)
    cache = _quote_cache(quote_cache)
    if isinstance(path, Dataset):
        return _validate_dataset(
            path, root=root, backend=backend, checks=checks, plugins=plugins, quote_cache=cache
        )
    return _validate_path(path, backend=backend, checks=checks, plugins=plugins, quote_cache=cache)


def _quote_cache(given: bool | str | os.PathLike[str]) -> QuoteCache | None:  # noqa: FBT001 - the keyword's value
    """The quote cache ``quote_cache=`` asks for: none, the user's, or in a given folder."""
    if given is False:
        return None
    from benchmarkkit._quote_cache import QuoteCache, cache_folder

    return QuoteCache(cache_folder(None if given is True else given))


#: The file name problems carry for a typed dataset, which has none.
DATASET_NAME = "<dataset>"


def _validate_dataset(
    dataset: Dataset,
    *,
    root: str | os.PathLike[str] | None,
    backend: Backend,
    checks: Iterable[Check],
    plugins: bool,
    quote_cache: QuoteCache | None,
) -> ValidationReport:
    """Validate a typed dataset as the data it would be saved as."""
    from benchmarkkit._converter import unstructure

    try:
        data = unstructure(dataset)
    except Exception as error:  # a field holds a value the converter cannot write at all
        problem = Problem.create(
            "invalid-record",
            f"the dataset cannot be written as data: {type(error).__name__}: {error}",
            file=DATASET_NAME,
        )
        _let_frames_go(error)
        return ValidationReport(path=DATASET_NAME, problems=(problem,))
    report = _validate_data(
        data,
        root=root,
        name=DATASET_NAME,
        backend=backend,
        checks=checks,
        plugins=plugins,
        quote_cache=quote_cache,
    )
    if report.dataset is not None:
        report = attrs.evolve(report, dataset=dataset)
    return report


def _validate_path(
    path: str | os.PathLike[str],
    *,
    backend: Backend,
    checks: Iterable[Check],
    plugins: bool,
    quote_cache: QuoteCache | None,
) -> ValidationReport:
    # Its own function, so that the parsed files are freed when it returns.
    root, files, problems = read_dataset_files(path)
    return _validate_files(
        os.fspath(path),
        root,
        files,
        problems,
        backend=backend,
        checks=checks,
        plugins=plugins,
        quote_cache=quote_cache,
    )


def validate_data(
    data: Any,
    *,
    root: str | os.PathLike[str] | None = None,
    name: str = "<data>",
    backend: Backend = "auto",
    checks: Iterable[Check] = DEFAULT_CHECKS,
    plugins: bool = True,
) -> ValidationReport:
    r"""Validate a dataset already in memory (parsed JSON), as :func:`validate` does a file.

    ``root`` is the folder archived texts are read from; without it, quotes
    are checked only against sources whose archive could be read, and
    ``name`` is the file name problems carry. What no file could hold is a
    problem too: a key that is not text (``non-text-key``), text with a lone
    surrogate such as ``"\ud800"`` (``invalid-text``), a value that contains
    itself or nests too deep (``too-complex``). An unknown ``backend`` raises
    :class:`ValueError` naming the allowed ones.
    """
    check_backend(backend)
    return _validate_data(
        data, root=root, name=name, backend=backend, checks=checks, plugins=plugins
    )


def _validate_data(
    data: Any,
    *,
    root: str | os.PathLike[str] | None,
    name: str,
    backend: Backend,
    checks: Iterable[Check],
    plugins: bool,
    quote_cache: QuoteCache | None = None,
) -> ValidationReport:
    data, problems = text_problems(data, name)
    file = DataFile(
        path=Path(name), display=name, format="json", role="dataset", raw=b"", data=data
    )
    root_path = Path(root).resolve() if root is not None else None
    return _validate_files(
        name,
        root_path,
        [file],
        problems,
        backend=backend,
        checks=checks,
        plugins=plugins,
        locate=False,
        quote_cache=quote_cache,
    )


def load_dataset(
    path: str | os.PathLike[str],
    *,
    strict: bool = False,
    backend: Backend = "auto",
    checks: Iterable[Check] = DEFAULT_CHECKS,
    plugins: bool = True,
) -> Dataset:
    """Load the dataset at ``path``, or raise :class:`DatasetError` listing every problem.

    Warnings (such as quotes that cannot be verified) do not stop loading
    unless ``strict`` is true. ``checks=()`` and ``plugins=False`` load a
    dataset that is well-formed but not yet consistent (a draft with
    dangling references, say).
    """
    report = validate(path, backend=backend, checks=checks, plugins=plugins)
    if report.dataset is None or not report.is_valid(strict=strict):
        raise DatasetError(report)
    return report.dataset

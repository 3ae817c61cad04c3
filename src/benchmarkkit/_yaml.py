"""Reading YAML dataset files the way YAML 1.2 does, with positions and without surprises.

PyYAML follows YAML 1.1, where ``no`` is false and ``2012-03-20`` a date;
dataset files mean text by those. This loader keeps them text, refuses tags
that would build objects, duplicate keys and alias bombs, and keeps the node
tree so that problems can be given a line and column. It is imported only
when a dataset has a YAML file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import yaml

from benchmarkkit._files import LARGEST_WHOLE_NUMBER, SMALLEST_WHOLE_NUMBER
from benchmarkkit._problems import Problem, Severity

__all__ = ["MAX_EXPANDED_NODES", "mark_positions", "read_yaml", "reads_as_text", "yaml_escape"]

_YAML_BASE: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _YamlLoader(_YAML_BASE):  # type: ignore[misc]
    """A safe loader with the YAML 1.2 core schema's implicit types.

    PyYAML follows YAML 1.1, where ``no`` is false, ``2012-03-20`` a date
    and ``010`` an octal number. Dataset files mean text by those.
    """

    yaml_implicit_resolvers: ClassVar[dict[str, list[tuple[str, re.Pattern[str]]]]] = {}

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        value = str(self.construct_scalar(node))
        if value.startswith(("0o", "0x")):
            return int(value[2:], 8 if value[1] == "o" else 16)
        return int(value, 10)


_IMPLICIT: list[re.Pattern[str]] = []
#: What a plain scalar must look like to be read as each non-text type (YAML 1.2 core schema).
_FORMS: dict[str, re.Pattern[str]] = {}

for _tag, _pattern, _first in (
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    ("float", r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$", "-+.0123456789"),
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
):
    _YamlLoader.add_implicit_resolver(
        f"tag:yaml.org,2002:{_tag}", re.compile(_pattern), list(_first)
    )
    _IMPLICIT.append(re.compile(_pattern))
    _FORMS[f"tag:yaml.org,2002:{_tag}"] = re.compile(_pattern)
_YamlLoader.add_constructor("tag:yaml.org,2002:int", _YamlLoader.construct_yaml_int)


def reads_as_text(plain: str) -> bool:
    """Whether a plain (unquoted) YAML scalar is read back as text by this loader."""
    return not any(pattern.match(plain) for pattern in _IMPLICIT)


_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")
)
_MERGE_TAG = "tag:yaml.org,2002:merge"
#: A YAML file may repeat content through aliases, but not expand by more than this many
#: nodes beyond its own.
MAX_EXPANDED_NODES = 2_000_000


def _yaml_mark_problem(
    code: str, message: str, display: str, mark: yaml.Mark | None, pointer: str = ""
) -> Problem:
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return Problem.create(code, message, file=display, line=line, column=column, pointer=pointer)


_TEXT = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_NON_TEXT_SCALARS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null")
)
_KIND_WORDS = {
    "tag:yaml.org,2002:int": "a whole number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "true or false",
    "tag:yaml.org,2002:null": "null",
}
# What YAML 1.1 readers (js-yaml, PyYAML's default loader, Ruby's Psych) read as a date or a
# timestamp when it is not quoted: PyYAML's own YAML 1.1 timestamp pattern.
_YAML_1_1_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?"
)
# A UTF-16 surrogate on its own: a double-quoted "\ud800" makes one; no file can hold it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_yaml_nodes(root: yaml.Node, display: str) -> list[Problem]:
    """Refuse tags that are not plain data, duplicate keys, and alias bombs."""
    problems: list[Problem] = []
    expanded: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in expanded:
            continue
        if isinstance(node, yaml.ScalarNode):
            problems.extend(_scalar_problems(node, display))
            expanded[id(node)] = 1
            continue
        children = (
            [item for pair in node.value for item in pair]
            if isinstance(node, yaml.MappingNode)
            else list(node.value)
        )
        if not children_done:
            if node.tag not in _PLAIN_TAGS:
                problems.append(_tag_problem(node, display))
            if isinstance(node, yaml.MappingNode):
                problems.extend(_duplicate_keys(node, display))
                for key, _value in node.value:
                    # JSON keys are text: `null:` or `1:` is the key "null" or "1", which
                    # the schema then names, rather than a key Python cannot hold in JSON.
                    if isinstance(key, yaml.ScalarNode) and key.tag in _NON_TEXT_SCALARS:
                        key.tag = _TEXT
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in expanded)
            continue
        expanded[id(node)] = 1 + sum(expanded.get(id(child), 1) for child in children)
        # Without aliases a node expands to the nodes under it, each seen once: never more
        # than the nodes seen so far. Only what aliases add beyond those counts, so that a
        # large file of plain data (100,000 records) loads and an alias bomb does not.
        if expanded[id(node)] > MAX_EXPANDED_NODES + len(expanded):
            problems.append(
                _yaml_mark_problem(
                    "too-complex",
                    f"this YAML expands to more than {MAX_EXPANDED_NODES:,} values through "
                    "aliases; benchmarkkit does not load it",
                    display,
                    node.start_mark,
                )
            )
            return problems
    return problems


#: More digits than this and a whole number is certainly out of range (20 digits: 2**64 - 1).
_MOST_DIGITS = 20


def shown_number(written: str) -> str:
    """A number as written, shortened when long (Python cannot print an int of 4,301 digits)."""
    if len(written) <= 40:
        return written
    digits = len(written.lstrip("+-").removeprefix("0x").removeprefix("0o"))
    return f"{written[:16]}\u2026({digits:,} digits)"


def whole_number_problem_message(written: str) -> str:
    """The words of the ``number-too-large`` problem of a whole number."""
    return (
        f"the whole number {shown_number(written)} is too large to keep exactly: whole numbers "
        f"lie between {SMALLEST_WHOLE_NUMBER} and {LARGEST_WHOLE_NUMBER}; write a larger value "
        "as a decimal number (1e30), or in a larger unit (millions)"
    )


def float_problem_message(written: str) -> str:
    """The words of the ``number-too-large`` problem of a number beyond a float's range."""
    return (
        f"the number {shown_number(written)} is too large: numbers lie between "
        f"-{_LARGEST_FLOAT} and {_LARGEST_FLOAT}; write it in a larger unit (millions)"
    )


_LARGEST_FLOAT = "1.7976931348623157e+308"


def whole_number_fits(written: str) -> bool:
    """Whether a whole number written in decimal, ``0x`` or ``0o`` is one every reader keeps."""
    body = written.lstrip("+-")
    if body.startswith(("0x", "0o")):
        base, digits = (16 if body[1] == "x" else 8), body[2:].lstrip("0")
        value = int(digits or "0", base) if len(digits) <= _MOST_DIGITS else None
    else:
        digits = body.lstrip("0")
        value = int(digits or "0") if len(digits) <= _MOST_DIGITS else None
    if value is None:
        return False
    value = -value if written.startswith("-") else value
    return SMALLEST_WHOLE_NUMBER <= value <= LARGEST_WHOLE_NUMBER


def _scalar_problems(node: yaml.ScalarNode, display: str) -> list[Problem]:
    """What is wrong with one scalar: its tag, its size, its text; mostly nothing."""
    if node.tag in _NON_TEXT_SCALARS:
        problem = _scalar_problem(node, display)
        return [] if problem is None else [problem]
    if node.tag == _TEXT:
        return _text_problems(node, display)
    if node.tag != _MERGE_TAG:
        return [_tag_problem(node, display)]
    return []


def _scalar_problem(node: yaml.ScalarNode, display: str) -> Problem | None:
    """A tag that does not fit its value, or a number no reader keeps, or ``None``."""
    value = str(node.value)
    if not _FORMS[node.tag].match(value):
        # Only an explicit tag (`!!bool abc`) gets here: the implicit ones come from the form.
        kind = _KIND_WORDS[node.tag]
        return _yaml_mark_problem(
            "yaml-tag",
            f"the tag '!!{node.tag.rsplit(':', 1)[1]}' says this is {kind}, but {value!r} is "
            f"not {kind}; remove the tag (dataset files need none), or write {kind}",
            display,
            node.start_mark,
        )
    if node.tag == _INT and not whole_number_fits(value):
        return _yaml_mark_problem(
            "number-too-large", whole_number_problem_message(value), display, node.start_mark
        )
    if node.tag == _FLOAT and not math.isfinite(float(value)):
        return _yaml_mark_problem(
            "number-too-large", float_problem_message(value), display, node.start_mark
        )
    return None


def _text_problems(node: yaml.ScalarNode, display: str) -> list[Problem]:
    """A date other YAML readers read as a date, or text no file can hold."""
    value: str = node.value
    if not node.style and value[:1].isdigit() and _YAML_1_1_TIMESTAMP.fullmatch(value):
        return [
            _yaml_mark_problem(
                "unquoted-date",
                f"the date {value} is not in quotes: benchmarkkit reads it as text, but YAML 1.1 "
                "readers (js-yaml, PyYAML's default loader, Ruby) read it as a date, which "
                f'breaks the format; write it in quotes: "{value}"',
                display,
                node.start_mark,
            )
        ]
    if node.style == '"' and (found := _SURROGATE.search(value)):
        return [
            _yaml_mark_problem(
                "invalid-text",
                f"this text holds the escape \\u{ord(found.group()):04x}, half of a UTF-16 "
                "surrogate pair with no other half: it is not a character, and no file can "
                "hold it; remove the escape, or write the character itself",
                display,
                node.start_mark,
            )
        ]
    return []


def _tag_problem(node: yaml.Node, display: str) -> Problem:
    return _yaml_mark_problem(
        "yaml-tag",
        f"the tag {node.tag!r} is not allowed: dataset files hold plain data",
        display,
        node.start_mark,
    )


def _duplicate_keys(node: yaml.MappingNode, display: str) -> Iterator[Problem]:
    seen: set[str] = set()
    for key, _value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == _MERGE_TAG:
            continue
        if key.value in seen:
            yield _yaml_mark_problem(
                "duplicate-key",
                f"the key {key.value!r} appears more than once in this mapping; "
                "only the last value would be kept",
                display,
                key.start_mark,
            )
        seen.add(key.value)


# What PyYAML, reading YAML 1.1, counts as a line break; YAML 1.2 reads NEL, U+2028 and U+2029
# as text, and so do editors.
_YAML_1_1_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_YAML_1_1_ONLY_BREAK = re.compile("[\x85\u2028\u2029]")


def mark_positions(text: str) -> Callable[[int, int], tuple[int, int]] | None:
    """How to turn PyYAML's 0-based line and column in ``text`` into the line people count.

    ``None`` when the two agree: the text has no NEL, U+2028 or U+2029, which
    PyYAML counts as line breaks (YAML 1.1) and YAML 1.2 and editors do not.
    """
    if _YAML_1_1_ONLY_BREAK.search(text) is None:
        return None
    from benchmarkkit._files import LineIndex

    starts = [0, *(found.end() for found in _YAML_1_1_BREAK.finditer(text))]
    lines = LineIndex(text)

    def position(line: int, column: int) -> tuple[int, int]:
        return lines.position(starts[min(line, len(starts) - 1)] + column)

    return position


def _relined(problems: list[Problem], text: str) -> list[Problem]:
    """``problems`` at the lines people count (see :func:`mark_positions`)."""
    position = mark_positions(text)
    if position is None:
        return problems
    import attrs

    relined = []
    for problem in problems:
        if problem.line is not None and problem.column is not None:
            line, column = position(problem.line - 1, problem.column - 1)
            problem = attrs.evolve(problem, line=line, column=column)  # noqa: PLW2901
        relined.append(problem)
    return relined


def read_yaml(text: str, display: str) -> tuple[Any, yaml.Node | None, list[Problem]]:
    """Parse YAML text: its data, its node tree, and the problems found.

    The data is ``None`` when there are problems of error severity; warnings
    (an unquoted date) come with the data. Every problem's line is counted as
    YAML 1.2 and editors count lines.
    """
    try:
        data, node, problems = _read_yaml(text, display)
    except yaml.reader.ReaderError as error:
        return None, None, [_reader_problem(error, text, display)]
    return data, node, _relined(problems, text) if problems else problems


def _read_yaml(text: str, display: str) -> tuple[Any, yaml.Node | None, list[Problem]]:
    loader = _YamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None, []
        problems = _check_yaml_nodes(node, display)
        if any(problem.severity is Severity.ERROR for problem in problems):
            return None, node, problems
        return loader.construct_document(node), node, problems
    except yaml.reader.ReaderError:
        raise  # read_yaml says where, in the lines people count
    except yaml.MarkedYAMLError as error:
        detail = " ".join(part for part in (error.context, error.problem) if part)
        mark = error.problem_mark or error.context_mark
        return (
            None,
            None,
            [_yaml_mark_problem("yaml-syntax", f"not valid YAML: {detail}", display, mark)],
        )
    except yaml.YAMLError as error:
        return None, None, [Problem.create("yaml-syntax", f"not valid YAML: {error}", file=display)]
    except RecursionError:
        return (
            None,
            None,
            [Problem.create("too-complex", "this YAML is nested too deeply to load", file=display)],
        )
    finally:
        loader.dispose()


def _kind_of_character(point: int) -> str:
    """What a character YAML refuses is: a control character, a noncharacter, or neither."""
    if point < 0x20 or 0x7F <= point <= 0x9F:
        return "control character"
    if point & 0xFFFE == 0xFFFE or 0xFDD0 <= point <= 0xFDEF:
        return "noncharacter"
    return "character"


def yaml_escape(point: int) -> str:
    r"""The escape a double-quoted YAML scalar reads back as the character ``point``.

    ``\x`` takes two hex digits only: U+FFFF is ``\uffff`` (``"\xffff"`` reads
    as ``ÿff``), and a character beyond U+FFFF is ``\U`` and eight digits.
    """
    if point < 0x100:
        return f"\\x{point:02x}"
    if point < 0x10000:
        return f"\\u{point:04x}"
    return f"\\U{point:08x}"


def _reader_problem(error: yaml.reader.ReaderError, text: str, display: str) -> Problem:
    """A character YAML does not allow, at its line and column, in plain words."""
    from benchmarkkit._files import line_and_column

    character = error.character  # a code point from the C reader, a character from Python's
    point = character if isinstance(character, int) else ord(character)
    line, column = line_and_column(text, error.position)
    return Problem.create(
        "yaml-syntax",
        f"not valid YAML: the {_kind_of_character(point)} U+{point:04X} is not allowed in YAML; "
        f'remove it, or write it as an escape in double quotes ("{yaml_escape(point)}")',
        file=display,
        line=line,
        column=column,
    )

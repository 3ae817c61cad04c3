"""Reading YAML dataset files the way YAML 1.2 does, with positions and without surprises.

PyYAML follows YAML 1.1, where ``no`` is false and ``2012-03-20`` a date;
dataset files mean text by those. This loader keeps them text, refuses tags
that would build objects, duplicate keys and alias bombs, and keeps the node
tree so that problems can be given a line and column. It is imported only
when a dataset has a YAML file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, ClassVar

import yaml

from benchmarkkit._problems import Problem

__all__ = ["MAX_EXPANDED_NODES", "read_yaml", "reads_as_text"]

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
_YamlLoader.add_constructor("tag:yaml.org,2002:int", _YamlLoader.construct_yaml_int)


def reads_as_text(plain: str) -> bool:
    """Whether a plain (unquoted) YAML scalar is read back as text by this loader."""
    return not any(pattern.match(plain) for pattern in _IMPLICIT)


_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")
)
_MERGE_TAG = "tag:yaml.org,2002:merge"
#: A YAML file may repeat content through aliases, but not expand beyond this many nodes.
MAX_EXPANDED_NODES = 2_000_000


def _yaml_mark_problem(
    code: str, message: str, display: str, mark: yaml.Mark | None, pointer: str = ""
) -> Problem:
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return Problem.create(code, message, file=display, line=line, column=column, pointer=pointer)


_TEXT = "tag:yaml.org,2002:str"
_NON_TEXT_SCALARS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null")
)


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
            if node.tag not in _PLAIN_TAGS and node.tag != _MERGE_TAG:
                problems.append(_tag_problem(node, display))
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
        if expanded[id(node)] > MAX_EXPANDED_NODES:
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


def read_yaml(text: str, display: str) -> tuple[Any, yaml.Node | None, list[Problem]]:
    """Parse YAML text: its data, its node tree, and the problems found.

    The data is ``None`` when there are problems.
    """
    loader = _YamlLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None, []
        problems = _check_yaml_nodes(node, display)
        if problems:
            return None, node, problems
        return loader.construct_document(node), node, []
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

"""Line and column of JSON pointers, found after a fast parse and only when there are problems."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from json.decoder import scanstring  # type: ignore[attr-defined]  # public, not in typeshed
from typing import TypeAlias

import orjson
import yaml

from benchmarkkit._problems import pointer_parts

__all__ = ["Position", "locate_json", "locate_yaml"]

#: ``(line, column)``, both 1-based; the column counts characters, not bytes.
Position: TypeAlias = tuple[int, int]

_INDEX = re.compile(r"0|[1-9][0-9]{0,17}")  # longer indexes exist in no list we can hold
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_LONE_CR = re.compile(r"\r(?!\n)")
_STRUCTURE = re.compile(r'["\[\]{}]')
# A key of these characters can also be written with an escape only as \u0020 to \u007f.
_PLAIN_KEY = re.compile(r"[ !#-.0-\[\]-~]+")
_ASCII_ESCAPE = re.compile(r"\\u00[2-7][0-9a-fA-F]")
_DECODER = json.JSONDecoder(strict=False)
_MERGE_TAG = "tag:yaml.org,2002:merge"
_JUMP_MIN = 4  # skipping fewer items one by one is as fast as jumping over them
_CHUNK = 512  # items serialised at a time when counting
_NEAR = 64  # how many marks to step over one at a time
_MISSING = object()


def locate_json(text: str, data: object, pointers: Iterable[str]) -> dict[str, Position]:
    """Return the position in ``text`` of each JSON pointer, or of its nearest existing ancestor.

    ``data`` must be the value parsed from ``text``. A pointer to an object member
    gives the position of the member's key, a pointer to an array item or to the
    root that of the value. A duplicated key is found where it last occurs, as
    parsers keep the last value. Never raises: a pointer that is invalid or leads
    nowhere gives the position of the deepest part that exists.
    """
    wanted = {pointer: _resolve(data, pointer_parts(pointer)) for pointer in pointers}
    root = _Node()
    for path in set(wanted.values()):
        node = root
        for segment in path:
            node = node.children.setdefault(segment, _Node())
        node.target = True
    _JsonWalk(text, data, root).run()
    offsets: dict[str, int] = {}
    for pointer, path in wanted.items():
        node, offset = root, root.offset
        for segment in path:
            node = node.children[segment]
            if node.offset < 0:
                break
            offset = node.offset
        offsets[pointer] = max(offset, 0)
    lines = _line_columns(text, offsets.values())
    return {pointer: lines[offset] for pointer, offset in offsets.items()}


def locate_yaml(
    node: yaml.Node | None, pointers: Iterable[str], text: str | None = None
) -> dict[str, Position]:
    """Return the position of each JSON pointer in a composed YAML document.

    A mapping member is found at its key, a sequence item and the root at the node
    itself; a pointer that leads nowhere gives its nearest existing ancestor. Keys
    match by their scalar text. Merge keys (``<<``) are followed as YAML 1.1
    defines them and an alias is found where its anchored node is. An empty
    document (``yaml.compose`` gives ``None``) has only its start. Given the
    document's ``text``, lines are counted as people count them, where PyYAML's
    marks differ (after a NEL, U+2028 or U+2029).
    """
    from benchmarkkit._yaml import mark_positions

    position = mark_positions(text) if text is not None else None
    cache: dict[int, tuple[dict[str, tuple[yaml.Node, yaml.Node]], list[yaml.Node]]] = {}
    out: dict[str, Position] = {}
    for pointer in pointers:
        if node is None:
            out[pointer] = (1, 1)
            continue
        current = marked = node
        for segment in pointer_parts(pointer):
            found = _yaml_child(current, segment, cache)
            if found is None:
                break
            marked, current = found
        mark = marked.start_mark
        out[pointer] = (
            (mark.line + 1, mark.column + 1)
            if position is None
            else position(mark.line, mark.column)
        )
    return out


def _resolve(data: object, segments: list[str]) -> tuple[str, ...]:
    """Return the longest leading part of ``segments`` that exists in ``data``."""
    for depth, segment in enumerate(segments):
        if isinstance(data, dict) and segment in data:
            data = data[segment]
        elif isinstance(data, list) and _INDEX.fullmatch(segment) and int(segment) < len(data):
            data = data[int(segment)]
        else:
            return tuple(segments[:depth])
    return tuple(segments)


class _Node:
    """One step of the requested paths: where it was found and where they go next."""

    __slots__ = ("children", "indices", "offset", "target")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.indices: list[int] | None = None  # the children that are array indexes, sorted
        self.offset = -1
        self.target = False

    def sorted_indices(self) -> list[int]:
        if self.indices is None:
            self.indices = sorted(int(key) for key in self.children if _INDEX.fullmatch(key))
        return self.indices


class _Frame:
    """An open object or array on the way to some requested paths."""

    __slots__ = ("array", "index", "next", "node", "value")

    def __init__(self, node: _Node, value: object, *, array: bool) -> None:
        self.node = node
        self.value = value  # what ``data`` holds here, or _MISSING
        self.array = array
        self.index = 0  # the array item that starts at the current position
        self.next = 0  # how many of ``node.sorted_indices()`` were reached


class _JsonWalk:
    """One forward pass over the text, into the containers on requested paths only.

    Values off the paths are skipped by the C decoder. Long arrays are crossed
    with :meth:`_jump`, which needs no decoding of the items jumped over.
    """

    def __init__(self, text: str, data: object, root: _Node) -> None:
        self.text = text
        self.data = data
        self.root = root
        self.pending = 0  # requested paths not found yet
        self.stop = -1  # once all are found: how many open frames need not be finished
        stack = [root]
        while stack:
            node = stack.pop()
            self.pending += node.target
            stack.extend(node.children.values())

    def run(self) -> None:
        text = self.text
        pos = _skip_space(text, 1 if text.startswith("\ufeff") else 0)
        self._visit(self.root, pos)
        stack: list[_Frame] = []
        try:
            pos = self._enter(self.root, pos, self.data, stack)
            while stack and pos >= 0 and len(stack) > self.stop:
                frame = stack[-1]
                pos = _skip_space(text, pos)
                if text[pos] in "}]":
                    stack.pop()
                    pos += 1
                    continue
                if text[pos] == ",":
                    pos = _skip_space(text, pos + 1)
                step = self._item if frame.array else self._member
                pos = step(frame, pos, stack)
        except (ValueError, IndexError):
            return  # not JSON after all: keep what was found

    def _visit(self, node: _Node, offset: int) -> None:
        if node.offset < 0 and node.target:
            self.pending -= 1
        node.offset = offset

    def _enter(self, node: _Node, pos: int, value: object, stack: list[_Frame]) -> int:
        """Open the container at ``pos`` if paths go on into it, else skip the value.

        Return where to go on, or -1 when nothing after ``pos`` can change the result.
        """
        if node.children and self.text.startswith(("{", "["), pos):
            stack.append(_Frame(node, value, array=self.text[pos] == "["))
            return pos + 1
        if self.pending == 0:
            if self.stop < 0:
                self.stop = self._first_unfinished(stack, pos)
            if len(stack) <= self.stop:
                return -1
        return self._skip(pos, value)

    def _member(self, frame: _Frame, pos: int, stack: list[_Frame]) -> int:
        text = self.text
        if text[pos] != '"':
            raise ValueError("expected a key")
        key, end = scanstring(text, pos + 1, False)  # noqa: FBT003 - the stdlib's signature
        end = _skip_space(text, end)
        if text[end] != ":":
            raise ValueError("expected ':'")
        start = _skip_space(text, end + 1)
        value = frame.value.get(key, _MISSING) if isinstance(frame.value, dict) else _MISSING
        child = frame.node.children.get(key)
        if child is None:
            return self._skip(start, value)
        self._visit(child, pos)
        return self._enter(child, start, value, stack)

    def _item(self, frame: _Frame, pos: int, stack: list[_Frame]) -> int:
        items = frame.value if isinstance(frame.value, list) else []
        indices = frame.node.sorted_indices()
        goal = indices[frame.next] if frame.next < len(indices) else len(items) - 1
        if goal - frame.index >= _JUMP_MIN and goal < len(items):
            found = self._jump(pos, items, frame.index, goal)
            if found >= 0:
                pos, frame.index = found, goal
        index = frame.index
        frame.index += 1
        value = items[index] if index < len(items) else _MISSING
        if frame.next < len(indices) and indices[frame.next] == index:
            frame.next += 1
            child = frame.node.children[str(index)]
            self._visit(child, pos)
            return self._enter(child, pos, value, stack)
        return self._skip(pos, value)

    def _skip(self, pos: int, value: object) -> int:
        """Return the end of the value at ``pos``, jumping to the last item of a long array."""
        text = self.text
        if isinstance(value, list) and len(value) > _JUMP_MIN and text.startswith("[", pos):
            last = self._jump(_skip_space(text, pos + 1), value, 0, len(value) - 1)
            if last >= 0:
                end = _skip_space(text, _skip_value(text, last))
                if text.startswith("]", end):
                    return end + 1
        return _skip_value(text, pos)

    def _jump(self, pos: int, items: list[object], first: int, goal: int) -> int:
        """Return where item ``goal`` starts if item ``first`` starts at ``pos``; -1 if unsure.

        An object item starts at the (n+1)-th "{" after ``pos``, where n is the number
        of "{" in the canonical JSON of the items in between: the text has the same
        ones, in strings too, unless one is written as an escape, which we rule out.
        Any other "{" has fewer or more before it. Arrays of arrays work alike with
        "[". Decoding the item found must give it again, after a comma.

        A duplicate key in the items skipped whose hidden value holds a "{" makes
        the count land early. What it lands on is then some other item, or an object
        after ":" or "[", and all checks fail, unless it is an exact copy of the item
        that is not the first in an array nested in an earlier item.
        """
        item = items[goal]
        if not isinstance(item, (dict, list)) or item in items[first:goal]:
            return -1  # counting finds objects and arrays; an equal one before is ambiguous
        mark = "{" if isinstance(item, dict) else "["
        text = self.text
        try:
            before, length = _canonical_count(items[first:goal], mark)
            start = _nth(text, mark, pos, before + 1, pos + length)
            # Where a "{" may be written as \u007b (or "[" as \u005b), the count proves nothing.
            if start < 0 or text.find("\\u007" if mark == "{" else "\\u005", pos, start) >= 0:
                return -1
            if not text[max(pos, start - 256) : start].rstrip(" \t\n\r").endswith(","):
                return -1  # not after a comma, so no item of this array (or much space)
            return start if _DECODER.raw_decode(text, start)[0] == item else -1
        except (ValueError, TypeError, RecursionError):  # orjson.JSONEncodeError is a TypeError
            return -1

    def _first_unfinished(self, stack: list[_Frame], pos: int) -> int:
        """Return the depth of the outermost frame that may repeat a key after ``pos``.

        All paths are found, so the walk could stop, were it not for keys that occur
        again later in the same object: the last one counts. A key that appears
        nowhere in the rest of the text, not even with an escape, cannot.
        """
        text = self.text
        escapes: bool | None = None
        for depth, frame in enumerate(stack):
            if frame.array:
                continue
            for key in frame.node.children:
                if not _PLAIN_KEY.fullmatch(key) or text.find(f'"{key}"', pos) >= 0:
                    return depth
                if escapes is None:
                    escapes = _ASCII_ESCAPE.search(text, pos) is not None
                if escapes:
                    return depth
        return len(stack)


def _canonical_count(items: list[object], mark: str) -> tuple[int, int]:
    """Count ``mark`` in the compact JSON of the items, and that JSON's length, in chunks."""
    count = length = 0
    for start in range(0, len(items), _CHUNK):
        chunk = orjson.dumps(items[start : start + _CHUNK])  # small enough to stay in the cache
        count += chunk.count(mark.encode()) - (mark == "[")
        length += len(chunk)
    return count, length


def _nth(text: str, mark: str, pos: int, need: int, guess: int) -> int:
    """Return the offset of the ``need``-th ``mark`` at or after ``pos``, or -1.

    Counting starts with the text up to ``guess``, is extrapolated from there and
    ends with a few single steps, so it reads the text about once.
    """
    at, seen = pos, 0  # text[pos:at] holds ``seen`` marks
    for _ in range(8):
        guess = min(max(guess, pos), len(text))
        seen += text.count(mark, at, guess) if guess >= at else -text.count(mark, guess, at)
        at = guess
        if 0 < need - seen <= _NEAR:
            for _ in range(need - seen):
                at = text.find(mark, at) + 1
                if at == 0:
                    return -1
            return at - 1
        if 0 <= seen - need < _NEAR:
            for _ in range(seen - need + 1):
                at = text.rfind(mark, pos, at)
            return at
        if seen == 0:
            if at == len(text):
                return -1
            guess = 2 * at - pos + 1
        else:
            guess = pos + (at - pos) * (need - _NEAR // 2) // seen
    return -1


def _skip_space(text: str, pos: int) -> int:
    match = _WHITESPACE.match(text, pos)
    return match.end() if match else pos


def _skip_value(text: str, pos: int) -> int:
    """Return the end of the JSON value at ``pos``, at C speed unless it nests very deeply."""
    try:
        return _DECODER.raw_decode(text, pos)[1]
    except RecursionError:
        pass
    depth = 0
    while True:
        match = _STRUCTURE.search(text, pos)
        if match is None:
            raise ValueError("unterminated value")
        pos = match.end()
        if match.group() == '"':
            pos = scanstring(text, pos, False)[1]  # noqa: FBT003 - the stdlib's signature
        else:
            depth += 1 if match.group() in "[{" else -1
        if depth <= 0:
            return pos


def _line_columns(text: str, offsets: Iterable[int]) -> dict[int, Position]:
    """Map offsets to positions: CR LF, CR and LF each end a line, and a BOM is no column."""
    ordered = sorted(set(offsets))
    # Where every CR comes before an LF, counting LFs is enough (and three times faster).
    end = ordered[-1] if ordered else 0
    lone_cr = text.find("\r", 0, end) >= 0 and _LONE_CR.search(text, 0, end) is not None
    skip_bom = text.startswith("\ufeff")
    out: dict[int, Position] = {}
    line, line_start, previous = 1, 0, 0
    for offset in ordered:
        breaks = text.count("\n", previous, offset)
        last = text.rfind("\n", previous, offset) if breaks else -1
        if lone_cr:
            breaks += text.count("\r", previous, offset) - text.count("\r\n", previous, offset)
            last = max(last, text.rfind("\r", previous, offset))
        if breaks:
            line, line_start = line + breaks, last + 1
        column = offset - line_start + 1
        if skip_bom and line_start == 0 and offset > 0:
            column -= 1
        out[offset] = (line, column)
        previous = offset
    return out


def _yaml_child(
    node: yaml.Node,
    segment: str,
    cache: dict[int, tuple[dict[str, tuple[yaml.Node, yaml.Node]], list[yaml.Node]]],
) -> tuple[yaml.Node, yaml.Node] | None:
    """Return the node that marks the child named ``segment`` and the child itself."""
    if isinstance(node, yaml.SequenceNode):
        if _INDEX.fullmatch(segment) and int(segment) < len(node.value):
            item: yaml.Node = node.value[int(segment)]
            return item, item
        return None
    todo, seen = [node], set()
    while todo:  # own keys first, then the merged mappings in order, depth first
        mapping = todo.pop()
        if not isinstance(mapping, yaml.MappingNode) or id(mapping) in seen:
            continue
        seen.add(id(mapping))
        if id(mapping) not in cache:
            keys: dict[str, tuple[yaml.Node, yaml.Node]] = {}
            merged: list[yaml.Node] = []
            for key, value in mapping.value:
                if isinstance(key, yaml.ScalarNode) and key.tag == _MERGE_TAG:
                    merged.extend(value.value if isinstance(value, yaml.SequenceNode) else [value])
                elif isinstance(key, yaml.ScalarNode):
                    keys[key.value] = (key, value)
            cache[id(mapping)] = keys, merged
        keys, merged = cache[id(mapping)]
        if segment in keys:
            return keys[segment]
        todo.extend(reversed(merged))
    return None

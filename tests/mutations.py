"""Mutations of a dataset's files, for the robustness campaign (tests/test_campaign.py).

A mutation changes one file of a dataset copy the way a slip, a bad tool or a
hostile author would: flipped bytes, a cut-off file, lost or doubled lines,
values swapped or of the wrong type, YAML tags, huge numbers, deep nesting,
control and bidi characters, lone surrogates, very long strings. Each kind is
a function that draws its parameters from Hypothesis and returns the new
content; the original is restored after each example.

Payloads are built from small drawn parameters (a length, a character), never
drawn as large values, so that ten thousand examples stay cheap to generate.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Mapping
from typing import Any

import attrs
import yaml
from hypothesis import assume
from hypothesis import strategies as st

__all__ = ["KINDS", "Mutation", "mutations", "restore"]

Draw = Callable[[st.SearchStrategy[Any]], Any]


@attrs.frozen
class Mutation:
    """New contents for some of a dataset's files (None: the file is removed)."""

    kind: str
    note: str
    changes: Mapping[str, bytes | None]

    def __repr__(self) -> str:  # Hypothesis shows it: short, and enough to redo the change
        return f"Mutation({self.kind}: {self.note})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # Hypothesis' pretty-printer
        printer.text(repr(self))


# A value written inline after a key (``key: value``), or as a list item (``- value``).
_VALUE = re.compile(
    r"^(?P<lead>[ \t]*(?:- +)*(?:[A-Za-z_][\w-]*:[ \t]+|- +))"
    r"(?P<value>[^\s#][^\n]*?)(?P<end>[ \t]*\r?\n?)$"
)


def _lines(content: bytes) -> list[str]:
    return content.decode("utf-8").splitlines(keepends=True)


def _join(lines: list[str]) -> bytes:
    return "".join(lines).encode("utf-8", "surrogatepass")


def _value_sites(lines: list[str]) -> list[int]:
    return [index for index, line in enumerate(lines) if _VALUE.match(line)]


def _put_value(draw: Draw, path: str, content: bytes, payload: str, kind: str) -> Mutation:
    """Put ``payload`` in place of a value (YAML), or into a line of text (an archive)."""
    lines = _lines(content)
    sites = _value_sites(lines) if path.endswith((".yaml", ".yml")) else []
    if not sites:  # an archive, or a file without inline values: into the text
        index = draw(st.integers(0, max(len(lines) - 1, 0)))
        if not lines:
            return Mutation(kind, f"{path}: whole file {payload[:40]!r}", {path: _encode(payload)})
        line = lines[index]
        at = draw(st.integers(0, len(line)))
        lines[index] = line[:at] + payload + line[at:]
        note = f"{path} line {index + 1} col {at + 1}: insert {_short(payload)}"
        return Mutation(kind, note, {path: _join(lines)})
    index = draw(st.sampled_from(sites))
    match = _VALUE.match(lines[index])
    assert match is not None
    lines[index] = match["lead"] + payload + match["end"]
    note = f"{path} line {index + 1}: {match['value'][:30]!r} -> {_short(payload)}"
    return Mutation(kind, note, {path: _join(lines)})


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _short(text: str) -> str:
    if len(text) <= 60:
        return repr(text)
    return f"{text[:30]!r}...({len(text)} characters)...{text[-10:]!r}"


# -- the kinds ---------------------------------------------------------------------------


def byte_flip(draw: Draw, path: str, content: bytes) -> Mutation:
    data = bytearray(content)
    flips = draw(
        st.lists(
            st.tuples(st.integers(0, len(data) - 1), st.integers(1, 255)), max_size=8, min_size=1
        )
    )
    for at, mask in flips:
        data[at] ^= mask
    note = f"{path}: " + ", ".join(f"byte {at} ^ {mask:#04x}" for at, mask in flips)
    return Mutation("byte flip", note, {path: bytes(data)})


def truncation(draw: Draw, path: str, content: bytes) -> Mutation:
    at = draw(st.integers(0, len(content) - 1))
    return Mutation("truncation", f"{path}: cut after byte {at}", {path: content[:at]})


def deleted_lines(draw: Draw, path: str, content: bytes) -> Mutation:
    lines = _lines(content)
    start = draw(st.integers(0, len(lines) - 1))
    count = draw(st.integers(1, 12))
    del lines[start : start + count]
    return Mutation(
        "deleted lines", f"{path}: lines {start + 1}+{count} deleted", {path: _join(lines)}
    )


def duplicated_lines(draw: Draw, path: str, content: bytes) -> Mutation:
    lines = _lines(content)
    start = draw(st.integers(0, len(lines) - 1))
    count = draw(st.integers(1, 12))
    at = draw(st.integers(0, len(lines)))
    block = lines[start : start + count]
    if block and not block[-1].endswith("\n"):
        block[-1] += "\n"
    lines[at:at] = block
    note = f"{path}: lines {start + 1}+{count} copied before line {at + 1}"
    return Mutation("duplicated lines", note, {path: _join(lines)})


def swapped_values(draw: Draw, path: str, content: bytes) -> Mutation:
    lines = _lines(content)
    sites = _value_sites(lines)
    if len(sites) < 2:  # a swap needs two
        return deleted_lines(draw, path, content)
    first, second = draw(st.lists(st.sampled_from(sites), min_size=2, max_size=2, unique=True))
    one, two = _VALUE.match(lines[first]), _VALUE.match(lines[second])
    assert one is not None
    assert two is not None
    lines[first] = one["lead"] + two["value"] + one["end"]
    lines[second] = two["lead"] + one["value"] + two["end"]
    note = f"{path}: values of lines {first + 1} and {second + 1} swapped"
    return Mutation("swapped values", note, {path: _join(lines)})


_OTHER_TYPES = (
    "[]", "{}", "[a, b]", "{k: v}", "0", "-1", "3.5", "1e3", "true", "false", "null", "~",
    '""', "''", "2012-03-20", "2012-02-30", "12:30:00", "yes", "no", "on", "0o17", "0x1F",
    "010", ".inf", "-.inf", ".nan", "1_000", "|-\n  a block", ">\n", "- item", "? key",
    "[1, [2, [3]]]", "{a: [1, {b: c}]}", "'2012-03-20'", '"0"',
)  # fmt: skip


def type_change(draw: Draw, path: str, content: bytes) -> Mutation:
    return _put_value(draw, path, content, draw(st.sampled_from(_OTHER_TYPES)), "type change")


_TAGS = (
    "!!bool", "!!int", "!!float", "!!str", "!!null", "!!binary", "!!timestamp", "!!seq",
    "!!map", "!!set", "!!omap", "!!pairs", "!!merge", "!!value", "!!yaml",
    "!!python/object:os.system", "!!python/name:os.system", "!!python/tuple", "!custom", "!",
    "!<tag:yaml.org,2002:int>", "!<tag:yaml.org,2002:str>", "!e!x", "&anchor", "*anchor",
    "*nowhere", "&a !!int",
)  # fmt: skip
_TAGGED = (
    "abc", '""', "''", "1", "-1", "0x10", "0o7", "1.5", "1e400", "-", "[]", "{}", "[a]",
    "{a: b}", "2012-03-20", "2012-13-45", "yes", "~", ".nan", ".inf", "AAAA", "Zm9v", "!!!",
)  # fmt: skip


def tags(draw: Draw, path: str, content: bytes) -> Mutation:
    tag = draw(st.sampled_from(_TAGS))
    value = "" if tag.startswith("*") else " " + draw(st.sampled_from(_TAGGED))
    return _put_value(draw, path, content, tag + value, "tags")


def huge_numbers(draw: Draw, path: str, content: bytes) -> Mutation:
    digits = draw(st.sampled_from([20, 300, 309, 4300, 4301, 5000, 20_000]))
    form = draw(
        st.sampled_from(["decimal", "negative", "hex", "octal", "exponent", "float", "fraction"])
    )
    payload = {
        "decimal": "9" * digits,
        "negative": "-" + "9" * digits,
        "hex": "0x" + "f" * digits,
        "octal": "0o" + "7" * digits,
        "exponent": f"1e{digits}",
        "float": "9" * digits + ".5",
        "fraction": "0." + "0" * digits + "1",
    }[form]
    return _put_value(draw, path, content, payload, "huge numbers")


def deep_nesting(draw: Draw, path: str, content: bytes) -> Mutation:
    depth = draw(st.sampled_from([10, 50, 99, 100, 101, 300, 1000, 5000]))
    form = draw(st.sampled_from(["lists", "mappings", "mixed", "block"]))
    if form == "lists":
        payload = "[" * depth + "]" * depth
    elif form == "mappings":
        payload = "{a: " * depth + "1" + "}" * depth
    elif form == "mixed":
        payload = "[{a: " * depth + "1" + "}]" * depth
    else:
        payload = (
            "".join("\n" + "  " * (level + 1) + "- " for level in range(min(depth, 300))) + "x"
        )
    return _put_value(draw, path, content, payload, "deep nesting")


_CONTROLS = (
    *(chr(c) for c in range(32) if c not in (9, 10, 13)), "\x7f", "\x85", "\x9b",
    "\x1b[2J", "\x1b]0;pwned\x07", "\x1b[31m", "\u2028", "\u2029", "\r", "\t",
)  # fmt: skip
_BIDI = (
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    "\u200e", "\u200f", "\u061c", "\u200b", "\u200d", "\ufeff", "\u00ad", "\u0301", "\ufffd",
)  # fmt: skip


def _escaped(text: str) -> str:
    """``text`` as a YAML double-quoted string, every character outside ASCII escaped."""
    return json.dumps(text, ensure_ascii=True)


def _characters(
    draw: Draw, path: str, content: bytes, kind: str, pool: tuple[str, ...]
) -> Mutation:
    char = draw(st.sampled_from(pool))
    form = draw(st.sampled_from(["raw", "escaped", "value", "id"]))
    if form == "raw":  # anywhere in the file, as it is
        data = _lines(content)
        index = draw(st.integers(0, len(data) - 1))
        at = draw(st.integers(0, len(data[index])))
        data[index] = data[index][:at] + char + data[index][at:]
        note = f"{path} line {index + 1} col {at + 1}: insert {char!r}"
        return Mutation(kind, note, {path: _join(data)})
    if form == "escaped":  # a value written as a double-quoted string with escapes
        return _put_value(draw, path, content, _escaped(f"before{char}after"), kind)
    if form == "value":
        return _put_value(draw, path, content, f"text {char} text", kind)
    return _put_value(draw, path, content, f"bm-{char}1", kind)


def control_characters(draw: Draw, path: str, content: bytes) -> Mutation:
    return _characters(draw, path, content, "control characters", _CONTROLS)


def bidi_characters(draw: Draw, path: str, content: bytes) -> Mutation:
    return _characters(draw, path, content, "bidi characters", _BIDI)


def _strings(value: Any) -> list[list[Any]]:
    """The places (key paths) of every string in ``value``."""
    if isinstance(value, str):
        return [[]]
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    return [[key, *rest] for key, child in items for rest in _strings(child)]


def lone_surrogates(draw: Draw, path: str, content: bytes) -> Mutation:
    surrogate = draw(st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff", "\ud83d", "\ude00"]))
    form = draw(st.sampled_from(["yaml escape", "utf-8 bytes", "json escape"]))
    if not path.endswith((".yaml", ".yml")):
        form = "utf-8 bytes"  # an archive: the only form that means anything in plain text
    if form == "utf-8 bytes":  # encoded as UTF-8 would if it could: bytes no decoder accepts
        return _put_value(draw, path, content, f"x{surrogate}y", "lone surrogates")
    if form == "yaml escape":  # a double-quoted string with a \uXXXX escape
        return _put_value(draw, path, content, _escaped(f"x{surrogate}y"), "lone surrogates")
    # The file as JSON (YAML reads JSON too), with a \uXXXX escape in one string.
    document = yaml.safe_load(content)
    places = _strings(document)
    where = draw(st.sampled_from(places)) if places else []
    if where:
        parent = document
        for key in where[:-1]:
            parent = parent[key]
        parent[where[-1]] += surrogate
    text = json.dumps(document, ensure_ascii=True, indent=1)
    target = draw(st.sampled_from([path, path.rsplit(".", 1)[0] + ".json"]))
    changes: dict[str, bytes | None] = {target: text.encode("ascii")}
    if target != path:
        changes[path] = None
    note = f"{path} as JSON in {target}, {surrogate!r} added at {where}"
    return Mutation("lone surrogates", note, changes)


def very_long_strings(draw: Draw, path: str, content: bytes) -> Mutation:
    length = draw(st.sampled_from([1_000, 10_000, 100_000, 1_000_000]))
    unit = draw(st.sampled_from(["a", "é", "字", "\U0001f600", " ", "a b ", "e\u0301", "-"]))
    text = (unit * (length // len(unit) + 1))[:length]
    form = draw(st.sampled_from(["value", "quoted", "key", "line"]))
    if form == "value":
        return _put_value(draw, path, content, text, "very long strings")
    if form == "quoted":
        return _put_value(draw, path, content, _escaped(text), "very long strings")
    lines = _lines(content)
    index = draw(st.integers(0, len(lines)))
    new = f"{text}: x\n" if form == "key" else text + "\n"
    lines.insert(index, new)
    note = f"{path} before line {index + 1}: {form} of {length} {unit!r}"
    return Mutation("very long strings", note, {path: _join(lines)})


def encodings(draw: Draw, path: str, content: bytes) -> Mutation:
    form = draw(st.sampled_from(["crlf", "cr", "bom", "utf-16", "latin-1", "empty", "nul"]))
    text = content.decode("utf-8")
    forms: dict[str, Callable[[], bytes]] = {
        "crlf": lambda: text.replace("\n", "\r\n").encode(),
        "cr": lambda: text.replace("\n", "\r").encode(),
        "bom": lambda: b"\xef\xbb\xbf" + content,
        "utf-16": lambda: text.encode("utf-16"),
        "latin-1": lambda: text.encode("latin-1", "replace"),
        "empty": lambda: b"",
        "nul": lambda: b"\x00" * 64,
    }
    new = forms[form]()
    return Mutation("encodings", f"{path}: {form}", {path: new})


_FIELDS = (
    "weight", "value", "level", "as_of", "date", "reliability", "direction", "kind", "part_of",
    "cited_in", "locator", "quote", "benchmarks", "evidence", "scale", "threshold", "target",
    "baseline", "unit", "wieght", "id", "recommendations", "recommendation", "position", "by",
    "to", "mechanism", "responses", "paragraph", "cycle", "sdg_targets", "classifications",
)  # fmt: skip
_FIELD_VALUES = (
    "1e308", "1.7976931348623157e308", "-1e308", "5e-324", "1e-320", "0", "-0.0", "-1", "1e400",
    ".inf", ".nan", "[]", "{}", "null", "2012-02-30", '"2013-02-29"', "9" * 30, "true", "x",
    "accepted", "[x]", "[kz, kz]",
)  # fmt: skip
_RECORD = re.compile(r"^(?P<indent>[ \t]*)- id: ")


def added_fields(draw: Draw, path: str, content: bytes) -> Mutation:
    """A field added to a record (after its id): weights of 1e308, impossible dates, typos."""
    lines = _lines(content)
    records = [index for index, line in enumerate(lines) if _RECORD.match(line)]
    if not records:
        return type_change(draw, path, content)
    index = draw(st.sampled_from(records))
    match = _RECORD.match(lines[index])
    assert match is not None
    field = draw(st.sampled_from(_FIELDS))
    value = draw(st.sampled_from(_FIELD_VALUES))
    new = " " * (len(match["indent"]) + 2) + f"{field}: {value}\n"
    lines.insert(index + 1, new)
    note = f"{path} after line {index + 1}: {new.strip()!r}"
    return Mutation("added fields", note, {path: _join(lines)})


#: Every kind of mutation, by name.
KINDS: dict[str, Callable[[Draw, str, bytes], Mutation]] = {
    "byte flip": byte_flip,
    "truncation": truncation,
    "deleted lines": deleted_lines,
    "duplicated lines": duplicated_lines,
    "swapped values": swapped_values,
    "added fields": added_fields,
    "type change": type_change,
    "tags": tags,
    "huge numbers": huge_numbers,
    "deep nesting": deep_nesting,
    "control characters": control_characters,
    "bidi characters": bidi_characters,
    "lone surrogates": lone_surrogates,
    "very long strings": very_long_strings,
    "encodings": encodings,
}


def mutations(
    originals: Mapping[str, bytes], kinds: Collection[str] | None = None
) -> st.SearchStrategy[Mutation]:
    """Mutations of one of ``originals`` (path relative to the dataset folder: content).

    ``kinds``: the kinds of mutation drawn (names in :data:`KINDS`); all of them by default.
    """
    paths = sorted(path for path, content in originals.items() if content)
    drawn = sorted(KINDS if kinds is None else kinds)
    assert set(drawn) <= KINDS.keys(), f"not kinds of mutation: {set(drawn) - KINDS.keys()}"

    @st.composite
    def one(draw: Draw) -> Mutation:
        kind = draw(st.sampled_from(drawn))
        path = draw(st.sampled_from(paths))
        mutation = KINDS[kind](draw, path, originals[path])
        # Swapping two equal values, say, changes nothing: not an input worth a run.
        assume(any(content != originals.get(name) for name, content in mutation.changes.items()))
        return mutation

    return one()


def restore(folder: Any, originals: Mapping[str, bytes], mutation: Mutation) -> None:
    """Undo ``mutation`` in ``folder`` (a pathlib.Path holding the dataset copy)."""
    for path in mutation.changes:
        target = folder / path
        if path in originals:
            target.write_bytes(originals[path])
        else:
            target.unlink(missing_ok=True)

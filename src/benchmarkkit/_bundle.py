"""The published schemas: each document type's schema as one standalone file.

The package's schema files refer to each other (``dataset.schema.json`` to
``definitions.schema.json``), which the library resolves through its own
registry. Other validators resolve such references against the ``$id``, a
web address, and go to the network for it. So the published form of each
schema holds every definition it uses in its own ``$defs``, and every
``$ref`` in it is local (``#/$defs/...``): the file works alone, from any
folder, with no network, in any language.

Two more changes make the files compile with ajv in strict mode, each one
that leaves what the schema accepts unchanged:

- a ``type`` that lists several types (other than one type or ``null``,
  which ajv allows) becomes an ``anyOf`` of single types (ajv's
  ``strictTypes``);
- a ``required`` property that is declared only in a parent schema (the
  ``then`` of an ``if``) is declared again beside it as ``true`` (ajv's
  ``strictRequired`` does not look at the parent:
  https://github.com/ajv-validator/ajv/issues/1571).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from importlib import resources
from typing import Any

__all__ = [
    "BundleError",
    "UnknownVersionError",
    "bundle",
    "bundled_text",
    "published_text",
    "published_versions",
]

_PACKAGE_SCHEMAS = resources.files("benchmarkkit") / "schemas"
#: The published files of each earlier format version, as they were published.
_EARLIER = _PACKAGE_SCHEMAS / "published"
_SUFFIX = ".schema.json"


class UnknownVersionError(ValueError):
    """No schemas are published for the format version asked for."""

    def __init__(self, version: str, known: tuple[str, ...]) -> None:
        super().__init__(version, known)
        self.version = version
        self.known = known

    def __str__(self) -> str:
        return (
            f"no schemas are published for format version {self.version!r}; "
            f"this benchmarkkit publishes those of {', '.join(self.known)}"
        )


class BundleError(ValueError):
    """The package's schema files cannot be bundled: a reference this bundler cannot inline.

    Raised only for a mistake in the package's own schema files, which a test catches.
    """


def _source(name: str) -> dict[str, Any]:
    """A schema file of the package, as written there."""
    result: dict[str, Any] = json.loads(
        (_PACKAGE_SCHEMAS / f"{name}{_SUFFIX}").read_text(encoding="utf-8")
    )
    return result


def _local(ref: str, where: str) -> str:
    """``ref`` as a reference inside the bundled document; only ``#/$defs/...`` can move."""
    fragment = ref.partition("#")[2]
    if not fragment.startswith("/$defs/"):
        raise BundleError(f"{where}: cannot inline {ref!r}: only #/$defs/... references move")
    return "#" + fragment


def _rewrite(node: Any, change: Callable[[dict[str, Any], dict[str, Any]], None]) -> Any:
    """A copy of ``node``; ``change(original, copy)`` amends each object's copy, inner first."""
    if isinstance(node, list):
        return [_rewrite(item, change) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _rewrite(value, change) for key, value in node.items()}
    change(node, result)
    return result


def _inline(name: str, needed: set[str]) -> Callable[[dict[str, Any], dict[str, Any]], None]:
    """Make a ``$ref`` local; the files it refers to are added to ``needed``."""

    def change(node: dict[str, Any], result: dict[str, Any]) -> None:
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            target = ref.partition("#")[0]
            if not target.endswith(_SUFFIX) or "/" in target:
                raise BundleError(f"{name}: cannot inline {ref!r}: not a file beside it")
            needed.add(target.removesuffix(_SUFFIX))
            result["$ref"] = _local(ref, name)
        elif isinstance(ref, str) and ref != "#":
            _local(ref, name)  # its own definitions keep their place; nothing else can move

    return change


def _strict_types(node: dict[str, Any], result: dict[str, Any]) -> None:
    """A ``type`` of several types (besides ``null``) as an ``anyOf`` of single types."""
    types = node.get("type")
    if isinstance(types, list) and len([t for t in types if t != "null"]) > 1:
        del result["type"]
        result["anyOf"] = [{"type": t} for t in types]


def _strict_required(node: dict[str, Any], result: dict[str, Any]) -> None:
    """A ``required`` property declared beside it (as ``true``) where it is declared above."""
    declared = node.get("properties", {})
    missing = [key for key in node.get("required") or () if key not in declared]
    if missing:
        if "additionalProperties" in node or "patternProperties" in node:
            raise BundleError(f"cannot declare {missing} beside additionalProperties")
        result["properties"] = {**declared, **dict.fromkeys(missing, True)}


def _uses(schema: Any, keyword: str) -> bool:
    """Whether ``schema``, or any schema inside it, uses the keyword ``keyword``.

    Only keywords count, found through ``referencing``'s knowledge of which
    keywords hold subschemas: a property of that name, or the word in a
    description, is not the keyword.
    """
    from referencing.jsonschema import DRAFT202012

    return isinstance(schema, dict) and (
        keyword in schema
        or any(_uses(inner, keyword) for inner in DRAFT202012.subresources_of(schema))
    )


def _for_ajv(node: dict[str, Any], result: dict[str, Any]) -> None:
    _strict_types(node, result)
    _strict_required(node, result)


def bundle(name: str) -> dict[str, Any]:
    """The standalone schema ``name``: every definition it uses inside, every ``$ref`` local.

    The names of :data:`~benchmarkkit._schema.SCHEMA_NAMES` are checked by the caller.
    """
    needed: set[str] = set()
    document = _rewrite(_source(name), _inline(name, needed))
    done = {name}
    while needed - done:
        other = min(needed - done)
        done.add(other)
        definitions = _rewrite(_source(other), _inline(other, needed)).get("$defs", {})
        own = document.setdefault("$defs", {})
        for key, value in definitions.items():
            if key in own and own[key] != value:
                raise BundleError(f"{name} and {other} both define $defs/{key}, differently")
            own[key] = value
    if _uses(document, "unevaluatedProperties"):
        # Declaring required properties again would count them as evaluated.
        raise BundleError(f"{name}: unevaluatedProperties is not supported by the bundler")
    result: dict[str, Any] = _rewrite(document, _for_ajv)
    return result


@functools.cache
def bundled_text(name: str) -> str:
    """The text of the standalone schema ``name``, as published: indented, with a final newline."""
    return json.dumps(bundle(name), indent=2, ensure_ascii=False) + "\n"


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@functools.cache
def published_versions() -> tuple[str, ...]:
    """Every format version whose schemas the package publishes, oldest first.

    The earlier ones are the folders of ``schemas/published/``; the newest is the
    version the library writes, made from the modular schema files.
    """
    from benchmarkkit._model import SCHEMA_VERSION

    earlier = {entry.name for entry in _EARLIER.iterdir() if entry.is_dir()}
    return tuple(sorted(earlier | {SCHEMA_VERSION}, key=_version_key))


def published_text(name: str, version: str | None = None) -> str:
    """The published file of schema ``name`` for format ``version`` (by default the newest).

    The file of an earlier version is the one published with it, unchanged:
    its ``$id`` names that version. The caller checks ``name``.
    """
    from benchmarkkit._model import SCHEMA_VERSION

    if version is None or version == SCHEMA_VERSION:
        return bundled_text(name)
    if version not in published_versions():
        raise UnknownVersionError(version, published_versions())
    return (_EARLIER / version / f"{name}{_SUFFIX}").read_text(encoding="utf-8")

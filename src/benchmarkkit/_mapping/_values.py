"""A cell as a field's value: its text, then the field's kind; stable ids and actors' ids."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from benchmarkkit._mapping._model import ActorsSpec

__all__ = ["Actors", "cell_text", "slug", "stable_id", "typed"]

_NOT_ID = re.compile(r"[^a-z0-9]+")
_WHOLE = re.compile(r"[+-]?[0-9]+(?:\.0*)?")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: The longest id the format allows.
_ID_LENGTH = 200


def cell_text(raw: Any) -> str | None:
    """A cell's value as text, stripped; ``None`` for an empty cell.

    A number is written as people write it: ``13`` and ``13.0`` are ``"13"``
    (a session number read from a workbook), other numbers as Python writes
    them. A date and time at midnight is the date alone. Line breaks are
    line feeds whatever the file used.
    """
    if isinstance(raw, str):
        text = raw.strip()
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text or None
    if raw is None or raw is True or raw is False:
        return None if raw is None else str(raw).lower()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime.datetime) and raw.time() == datetime.time():
        return raw.date().isoformat()
    if isinstance(raw, datetime.date | datetime.time):
        return raw.isoformat()
    return str(raw)


def typed(value: Any, kind: str) -> Any:
    """``value`` (text from a cell, or a value a map or lookup gives) as a field of ``kind``.

    Whole numbers for an ``integer`` field, numbers for a ``number`` field,
    text for the rest. What does not read as its kind is left as it is, for
    the dataset's validation to report at its cell.
    """
    if not isinstance(value, str):
        if kind in ("integer", "number", "value") or isinstance(value, bool):
            return value
        return cell_text(value)
    if kind == "integer" and _WHOLE.fullmatch(value):
        return int(value.split(".")[0])
    if kind in ("number", "value") and _NUMBER.fullmatch(value):
        number = float(value)
        return int(number) if _WHOLE.fullmatch(value) else number
    return value


def collapsed(text: str) -> str:
    """``text`` stripped, each run of white space one space."""
    return " ".join(text.split())


def stable_id(prefix: str, values: Iterable[str | None]) -> str:
    """``prefix`` and the first 12 hex digits of the SHA-256 of the identifying values.

    Each value is stripped and its inner white space collapsed; they are
    joined as a JSON list, so no two lists of values give the same text.
    """
    shown = [collapsed(value) if value is not None else "" for value in values]
    digest = hashlib.sha256(json.dumps(shown, ensure_ascii=False).encode("utf-8")).hexdigest()
    return prefix + digest[:12]


def slug(name: str) -> str:
    """An id made of a name: ``"Côte d'Ivoire"`` is ``cote-d-ivoire``.

    A name with no letter or digit in the Latin alphabet gets ``actor-`` and a
    stable hash of the name.
    """
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    made = _NOT_ID.sub("-", plain.lower()).strip("-")[:_ID_LENGTH].strip("-")
    return made or stable_id("actor-", [name])


def _folded(table: Mapping[str, str]) -> dict[str, str]:
    return {collapsed(key).casefold(): value for key, value in table.items()}


class Actors:
    """Names in the table as actors' ids: aliases, ids given, actors known, else new actors."""

    def __init__(self, spec: ActorsSpec, known: Iterable[Mapping[str, Any]]) -> None:
        self.kind = spec.kind
        self._aliases = {collapsed(k): collapsed(v) for k, v in spec.aliases.items()}
        self._aliases_folded = _folded(self._aliases)
        self._ids = {collapsed(k): v for k, v in spec.ids.items()}
        self._ids_folded = _folded(self._ids)
        self._known: dict[str, str] = {}
        self._known_folded: dict[str, str] = {}
        self._resolved: dict[str, str] = {}
        #: The actors made for new names, by id, in the order they were made.
        self.created: dict[str, dict[str, Any]] = {}
        self._ids_known: set[str] = set()
        for actor in known:
            identifier = actor.get("id")
            if not isinstance(identifier, str):
                continue
            self._ids_known.add(identifier)
            for key in (identifier, actor.get("name"), actor.get("short_name")):
                if isinstance(key, str):
                    self._known.setdefault(collapsed(key), identifier)
                    self._known_folded.setdefault(collapsed(key).casefold(), identifier)

    def _alias(self, name: str) -> str:
        return self._aliases.get(name) or self._aliases_folded.get(name.casefold()) or name

    def id_of(self, written: str) -> tuple[str, bool]:
        """The id of the actor ``written`` names, and whether it is new in this import."""
        found = self._resolved.get(written)
        if found is not None:
            return found, False
        name = self._alias(collapsed(written))
        given = self._ids.get(name) or self._ids_folded.get(name.casefold())
        identifier = (
            given or self._known.get(name) or self._known_folded.get(name.casefold()) or slug(name)
        )
        new = identifier not in self._ids_known and identifier not in self.created
        if new:
            self.created[identifier] = {"id": identifier, "name": name, "kind": self.kind}
        self._resolved[written] = identifier
        return identifier, new

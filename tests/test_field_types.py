"""The record classes' field types, read once and shared: the same as typing reads them."""

from __future__ import annotations

import typing

import attrs
import pytest

from benchmarkkit._conditions import CONDITION_KINDS
from benchmarkkit._field_types import field_types
from benchmarkkit._model import Dataset, Source
from benchmarkkit._references import record_classes

#: Every record class a dataset can hold, and every kind of gate condition.
EVERY_RECORD_CLASS = record_classes((Dataset, *CONDITION_KINDS.values()))


class Note:
    """A type this test module names and the model's module does not."""


@attrs.frozen(kw_only=True)
class NotedSource(Source):
    """A record class of another module, with fields it inherits from the model's."""

    note: Note | None = None


@pytest.mark.parametrize("cls", EVERY_RECORD_CLASS, ids=lambda cls: cls.__name__)
def test_the_field_types_of_every_record_class_are_those_typing_gives(cls: type) -> None:
    hints = typing.get_type_hints(cls)  # with the annotations that are no fields, if any
    assert field_types(cls) == {name: hints[name] for name in attrs.fields_dict(cls)}


def test_an_inherited_field_is_read_in_the_module_that_declares_it() -> None:
    # ``SourceKind`` is a name of the model's module, ``Note`` one of this module only.
    types_of = field_types(NotedSource)
    assert types_of == typing.get_type_hints(NotedSource)
    assert (types_of["note"], types_of["kind"]) == (Note | None, field_types(Source)["kind"])


def test_a_class_is_read_once() -> None:
    assert field_types(Source) is field_types(Source)

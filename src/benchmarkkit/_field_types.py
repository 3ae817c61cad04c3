"""The type of each field of a record class, read once per class and shared by every reader.

Many of the model's annotations are text (``from __future__ import annotations``;
not in ``_model``, whose classes msgspec reads too), and
:func:`typing.get_type_hints` reads every one of them again at each call. The
reference plan, the later-fields plan and the msgspec builders all ask for the
same few classes' types at start-up: here each class is read once, and each
annotation text once per module, whichever of them asks first.
"""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["field_types"]


@functools.cache
def field_types(cls: type) -> Mapping[str, Any]:
    """The type of each attrs field of ``cls``, by name, as :func:`typing.get_type_hints` gives it.

    An inherited field's annotation is read in the module of the class that
    declares it, as :func:`typing.get_type_hints` reads it. The mapping is
    shared: do not change it.
    """
    return {
        field.name: _annotation(field.type, _declared_in(cls, field.name))
        for field in attrs.fields(cls)
    }


def _declared_in(cls: type, name: str) -> str:
    """The module of the class, ``cls`` or a base, whose own annotations declare ``name``."""
    for base in cls.__mro__:
        if name in inspect.get_annotations(base):
            return base.__module__
    return cls.__module__


@functools.cache
def _annotation(text: Any, module: str) -> Any:
    """The type an annotation of ``module`` names: each text read once per module."""
    if not isinstance(text, str):
        return text  # an annotation that is already a type
    return eval(text, vars(sys.modules[module]))  # noqa: S307 - the model's own annotations

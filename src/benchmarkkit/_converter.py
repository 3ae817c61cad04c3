"""The cattrs converter between the JSON format and the typed records.

benchmarkkit keeps its own :class:`cattrs.Converter` (never the global one),
built by :func:`make_converter`, so that embedding applications can use
cattrs for their own classes freely. Records are structured by cattrs' own
generated functions; gate conditions are a tagged union on ``kind``
(:func:`cattrs.strategies.configure_tagged_union`). Unstructuring leaves out
fields that hold their default value, except the ones a reader needs to see
(``schema_version``, a scoring configuration, a condition's ``kind``), so
saved files stay short; structuring restores the defaults, so a round trip
gives back an equal value.

This converter is the reference: validation builds the records of parsed
files with msgspec (:mod:`benchmarkkit._fast_records`) and asks this one only
for a record msgspec refuses, so it is imported only then, or to write data.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import Any, get_args

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override
from cattrs.strategies import configure_tagged_union

from benchmarkkit._conditions import CONDITION_KINDS, Condition, ScoringConfig
from benchmarkkit._dates import PartialDate
from benchmarkkit._fast_records import read_date
from benchmarkkit._model import Dataset, IndicatorValue
from benchmarkkit._vocabulary import _Vocabulary

__all__ = ["converter", "make_converter", "unstructure"]

#: The ``kind`` each condition class is written with, and read by.
_KIND_OF: Mapping[type, str] = {cls: kind for kind, cls in CONDITION_KINDS.items()}


def _enum_value(value: enum.Enum) -> Any:
    return value.value


def _structure_date(value: Any, _type: type) -> PartialDate:
    return read_date(value)  # each date text read once, shared with the fast path


def _structure_vocabulary(value: Any, vocabulary: type[_Vocabulary]) -> _Vocabulary:
    try:
        return vocabulary._value2member_map_[value]  # type: ignore[return-value]  # Enum's own map
    except (KeyError, TypeError):
        pass
    return vocabulary(value)  # the member after all, or the error Enum raises


def _plain_text_hooks(conv: cattrs.Converter) -> None:
    """Hooks with a shortcut for what JSON gives: text, null, a list of text.

    They return what cattrs would (``str`` of each text is itself) without its
    dispatch per field and per item; any other value takes cattrs' own hook,
    so the errors are cattrs' own too.
    """
    optional_text = conv.get_structure_hook(str | None)
    texts = conv.get_structure_hook(tuple[str, ...])

    def structure_optional_text(value: Any, hint: Any) -> Any:
        if value is None or type(value) is str:
            return value
        return optional_text(value, hint)

    def structure_texts(value: Any, hint: Any) -> Any:
        if type(value) is list:
            for item in value:
                if type(item) is not str:
                    break
            else:
                return tuple(value)
        return texts(value, hint)

    conv.register_structure_hook_func(lambda t: t == str | None, structure_optional_text)
    conv.register_structure_hook_func(lambda t: t == tuple[str, ...], structure_texts)
    # A text where a list of texts belongs (a record built in Python) is written as the
    # text, for the schema to refuse, rather than as a list of its characters.
    conv.register_unstructure_hook_func(
        lambda t: t == tuple[str, ...],
        lambda value: value if isinstance(value, str) else [*value],
    )


def _structure_indicator_value(value: Any, _type: object) -> IndicatorValue:
    if isinstance(value, bool | int | float | str):
        return value
    raise TypeError(
        f"expected true/false, a number or a level id, found {type(value).__name__} {value!r}"
    )


def _structure_parameters(value: Any, _type: object) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"expected a mapping of parameters, found {type(value).__name__}")
    return dict(value)


def _written_when_default(cls: type) -> tuple[str, ...]:
    """The fields of ``cls`` written even where they hold their default value."""
    if cls is Dataset:
        return ("schema_version",)  # which version of the format a file is in
    if cls is ScoringConfig:
        # Written out in full even where it repeats the defaults: a reader should see
        # which rules a dataset asked for.
        return tuple(field.name for field in attrs.fields(cls))
    return ()


def _in_field_order(
    cls: type, fields: Callable[[Any], dict[str, Any]]
) -> Callable[[Any], dict[str, Any]]:
    """``fields``, its keys in the order of the class's fields.

    cattrs writes the fields without a default first. Where a field with a default
    comes before one without (``Evidence.benchmarks``, optional since format 1.1), the
    keys are put back in the class's order, so that a file keeps the order it always
    had; other classes pay nothing.
    """
    order = tuple(field.name for field in attrs.fields(cls))
    has_default = [field.default is not attrs.NOTHING for field in attrs.fields(cls)]
    if all(has_default[i] <= has_default[i + 1] for i in range(len(order) - 1)):
        return fields

    def in_order(value: Any) -> dict[str, Any]:
        written = fields(value)
        return {name: written[name] for name in order if name in written}

    return in_order


def _unstructure_record(cls: type, conv: cattrs.Converter) -> Callable[[Any], dict[str, Any]]:
    """A record's unstructure hook: its fields, those at their defaults left out."""
    written: dict[str, Any] = {
        name: override(omit_if_default=False) for name in _written_when_default(cls)
    }
    fields: Callable[[Any], dict[str, Any]] = _in_field_order(
        cls, make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True, **written)
    )
    kind = _KIND_OF.get(cls)
    if kind is None:
        return fields

    def unstructure_condition(value: Any) -> dict[str, Any]:
        return {"kind": kind, **fields(value)}  # a condition says first what it is

    return unstructure_condition


def _structure_condition_class(cls: type, conv: cattrs.Converter) -> Callable[[Any, type], Any]:
    """A condition class's structure hook: a ``kind`` given must name it, and is then dropped."""
    fields: Callable[[Any, type], Any] = make_dict_structure_fn(cls, conv)
    kind = _KIND_OF[cls]

    def structure_condition(value: Any, hint: type) -> Any:
        if isinstance(value, Mapping) and "kind" in value:
            if value["kind"] != kind:
                raise ValueError(f"expected a condition of kind {kind!r}, found {value['kind']!r}")
            value = {key: item for key, item in value.items() if key != "kind"}
        return fields(value, hint)

    return structure_condition


def _configure_conditions(conv: cattrs.Converter) -> None:
    """Gate conditions: a union tagged by ``kind``, with plain words for what is no condition.

    cattrs' tagged union reads the tag; what it would answer with a bare
    ``KeyError`` (no mapping, no kind, an unknown kind) is said in words first.
    """
    conv.register_structure_hook_factory(lambda t: t in _KIND_OF, _structure_condition_class)
    configure_tagged_union(Condition, conv, tag_generator=_KIND_OF.__getitem__, tag_name="kind")
    tagged = conv.get_structure_hook(Condition)

    def structure_condition(value: Any, hint: Any) -> Any:
        if not isinstance(value, Mapping):
            raise TypeError(
                f"expected a condition (a mapping with a kind), found {type(value).__name__}"
            )
        kind = value.get("kind")
        if not (isinstance(kind, str) and kind in CONDITION_KINDS):
            raise ValueError(
                f"expected a condition kind among {', '.join(CONDITION_KINDS)}, found {kind!r}"
            )
        return tagged(dict(value), hint)

    conv.register_structure_hook(Condition, structure_condition)


def make_converter() -> cattrs.Converter:
    """A new converter between the JSON format and the records, configured as benchmarkkit's."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(PartialDate, _structure_date)
    conv.register_unstructure_hook(PartialDate, str)
    # The vocabularies subclass str; without a hook of their own cattrs would pass the
    # enum members through, and YAML cannot write them. (Registered on the base class:
    # cattrs finds it for each vocabulary before its hook for str.)
    conv.register_structure_hook(_Vocabulary, _structure_vocabulary)
    conv.register_unstructure_hook(_Vocabulary, _enum_value)
    indicator_types = set(get_args(IndicatorValue))
    conv.register_structure_hook_func(
        lambda t: set(get_args(t)) == indicator_types, _structure_indicator_value
    )
    conv.register_structure_hook_func(lambda t: t == Mapping[str, Any], _structure_parameters)
    _plain_text_hooks(conv)
    conv.register_unstructure_hook_factory(attrs.has, _unstructure_record)
    _configure_conditions(conv)
    return conv


#: benchmarkkit's converter: what :func:`unstructure` and the loaders use.
converter = make_converter()


def unstructure(value: Any) -> Any:
    """The JSON-compatible data of a typed value: dicts, lists, strings, numbers.

    Fields that hold their default value are left out.
    """
    return converter.unstructure(value)

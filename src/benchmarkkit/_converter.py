"""The cattrs converter between the JSON format and the typed records.

benchmarkkit keeps its own :class:`cattrs.Converter` (never the global one)
so that embedding applications can use cattrs for their own classes freely.
Unstructuring leaves out fields that hold their default value, except the
ones a reader needs to see (``schema_version``, a condition's ``kind``), so
saved files stay short; structuring restores the defaults, so a round trip
gives back an equal value.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, get_args

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from benchmarkkit._conditions import CONDITION_KINDS, Condition, ScoringConfig
from benchmarkkit._dates import PartialDate
from benchmarkkit._model import COLLECTIONS, Dataset, IndicatorValue, Measurement, Reading
from benchmarkkit._scales import Level
from benchmarkkit._vocabulary import _Vocabulary

__all__ = ["converter", "unstructure"]


def _enum_value(value: enum.Enum) -> Any:
    return value.value


#: Dates already read: a dataset repeats a few thousand dates over its records, and a
#: PartialDate is an immutable value, so records may share one.
_DATES: dict[str, PartialDate] = {}


def _structure_date(value: Any, _type: type) -> PartialDate:
    if type(value) is str:
        date = _DATES.get(value)
        if date is None:
            date = PartialDate.parse(value)  # raises for what is not a date
            if len(_DATES) >= 100_000:
                _DATES.clear()
            _DATES[value] = date
        return date
    if isinstance(value, PartialDate):
        return value
    return PartialDate.parse(value)


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


def _structure_condition(value: Any, _type: object) -> Condition:
    if not isinstance(value, Mapping):
        raise TypeError(
            f"expected a condition (a mapping with a kind), found {type(value).__name__}"
        )
    kind = value.get("kind")
    cls = CONDITION_KINDS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValueError(
            f"expected a condition kind among {', '.join(CONDITION_KINDS)}, found {kind!r}"
        )
    return converter.structure(value, cls)


def _unstructure_condition(value: Condition) -> dict[str, Any]:
    return {"kind": value.kind, **_unstructure_record_fn(type(value))(value)}


_unstructure_fns: dict[type, Any] = {}


def _unstructure_record_fn(cls: type) -> Any:
    fn = _unstructure_fns.get(cls)
    if fn is None:
        overrides: dict[str, Any] = {}
        if cls is Dataset:
            overrides["schema_version"] = override(omit_if_default=False)
        if cls in CONDITION_KINDS.values():
            overrides["kind"] = override(omit=True)
        # A scoring configuration is written out in full even where it repeats the
        # defaults: a reader should see which rules a dataset asked for.
        omit_defaults = cls is not ScoringConfig
        fn = make_dict_unstructure_fn(
            cls, converter, _cattrs_omit_if_default=omit_defaults, **overrides
        )
        _unstructure_fns[cls] = fn
    return fn


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(PartialDate, _structure_date)
    conv.register_unstructure_hook(PartialDate, str)
    # The vocabularies subclass str; without a hook of their own cattrs would pass the
    # enum members through, and YAML cannot write them.
    for vocabulary in _Vocabulary.__subclasses__():
        conv.register_structure_hook(vocabulary, _structure_vocabulary)
        conv.register_unstructure_hook(vocabulary, _enum_value)
    indicator_types = set(get_args(IndicatorValue))
    conv.register_structure_hook_func(
        lambda t: set(get_args(t)) == indicator_types, _structure_indicator_value
    )
    conv.register_structure_hook_func(lambda t: t == Mapping[str, Any], _structure_parameters)
    condition_types = set(get_args(Condition))
    conv.register_structure_hook_func(
        lambda t: set(get_args(t)) == condition_types, _structure_condition
    )
    _plain_text_hooks(conv)
    return conv


converter = _make_converter()


def _structure_tagged(cls: type, generated: Any) -> Any:
    """A condition class's hook: its ``kind`` member must name it, and is then dropped."""
    kind = attrs.fields_dict(cls)["kind"].default

    def structure_condition(value: Any, _type: type) -> Any:
        if isinstance(value, Mapping) and "kind" in value:
            if value["kind"] != kind:
                raise ValueError(f"expected a condition of kind {kind!r}, found {value['kind']!r}")
            value = {key: item for key, item in value.items() if key != "kind"}
        return generated(value, _type)

    return structure_condition


for _cls in (
    *COLLECTIONS.values(),
    *CONDITION_KINDS.values(),
    Dataset,
    Measurement,
    Reading,
    Level,
):
    if attrs.has(_cls):
        _generated = make_dict_structure_fn(
            _cls, converter, _cattrs_forbid_extra_keys=True, _cattrs_detailed_validation=True
        )
        if _cls in CONDITION_KINDS.values():
            _generated = _structure_tagged(_cls, _generated)
        converter.register_structure_hook(_cls, _generated)
for _cls in CONDITION_KINDS.values():
    converter.register_unstructure_hook(_cls, _unstructure_condition)
converter.register_unstructure_hook_func(
    lambda t: attrs.has(t) and t not in CONDITION_KINDS.values(),
    lambda value: _unstructure_record_fn(type(value))(value),
)
converter.register_unstructure_hook_func(
    lambda t: set(get_args(t)) == set(get_args(Condition)), _unstructure_condition
)


def unstructure(value: Any) -> Any:
    """The JSON-compatible data of a typed value: dicts, lists, strings, numbers.

    Fields that hold their default value are left out.
    """
    return converter.unstructure(value)

"""A public package's names, from one table, imported on first use (PEP 562)."""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # without importing typing: `benchmarkkit --version` stays fast
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, exports: Mapping[str, str], namespace: dict[str, Any]
) -> tuple[list[str], Callable[[str], object], Callable[[], list[str]]]:
    """A package's ``__all__``, ``__getattr__`` and ``__dir__``, all from ``exports``.

    ``exports`` maps each public name to the private module that defines it; it
    is the package's one list of public names. A name is imported from its module
    the first time it is asked for, then kept in ``namespace`` (the package's
    globals), so later lookups are plain. ``dir()`` shows the public names and the
    module's own dunders, nothing it merely imported.
    """
    public = list(exports)

    def __getattr__(name: str) -> object:  # noqa: N807 - the module hook's own name
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:  # noqa: N807
        dunders = (name for name in namespace if name.startswith("__") and name.endswith("__"))
        return sorted({*public, *dunders})

    return public, __getattr__, __dir__

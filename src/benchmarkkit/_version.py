"""The package version, kept in one place so ``--version`` needs no metadata lookup.

The build reads it from here (``[tool.hatch.version]`` in ``pyproject.toml``); RELEASING.md
says when and how it changes.
"""

__version__ = "0.2.0.dev0"

"""Datasets as tables: the workbook layout, and writers of it as xlsx and as CSV files.

``_layout`` defines the sheets and columns once, from the model and the schema;
``_cells`` says how a value is written in a cell and read back; ``_xlsx`` and
``_csv`` write the same tables; ``_reference`` describes them in words.
``_read`` reads table files (xlsx, xls, ods, CSV) back into raw sheets of cells.
"""

from __future__ import annotations

__all__ = ["EXTRA", "missing_extra"]

#: How to install what reading and writing spreadsheets needs (XlsxWriter, python-calamine,
#: charset-normalizer): the one command every "missing library" message names.
EXTRA = "pip install 'benchmarkkit[spreadsheets]'"


def missing_extra(what: str) -> str:
    """What is said when ``what`` (``benchmarkkit export --format xlsx``) lacks the extra."""
    return f"{what} needs the spreadsheets extra: {EXTRA}"

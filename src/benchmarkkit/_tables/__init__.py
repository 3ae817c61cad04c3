"""Datasets as tables: the workbook layout, and writers of it as xlsx and as CSV files.

``_layout`` defines the sheets and columns once, from the model and the schema;
``_cells`` says how a value is written in a cell and read back; ``_xlsx`` and
``_csv`` write the same tables; ``_reference`` describes them in words.
"""

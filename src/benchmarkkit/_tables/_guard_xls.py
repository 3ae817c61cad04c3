"""How far the cells of an Excel 97-2003 (.xls) workbook reach, read from its records.

calamine holds a sheet's whole range in memory and cannot be stopped once it has
started to allocate, so :mod:`benchmarkkit._tables._guard` asks this module first.
It reads the compound file (CFB) container just far enough to find the workbook
stream, then walks the BIFF records of each sheet from where the workbook says the
sheet starts, as calamine does: every cell record names its row and column, and
the DIMENSIONS record claims a size, for which calamine reserves room before it reads
a cell.

Nothing here raises for a damaged file: what cannot be followed is left to calamine,
which says the file is damaged.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

import attrs

__all__ = ["XlsScan", "scan_xls"]

_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LAST_SECTOR = 0xFFFFFFFA  # numbers from here on mean: no sector, end of chain, free, ...
_STREAMS = ("workbook", "book")  # BIFF8, then BIFF5
_EOF, _BOUNDSHEET, _DIMENSIONS, _FILEPASS = 0x000A, 0x0085, 0x0200, 0x002F
#: The DIMENSIONS record by its size: BIFF8 (rows in 32 bits) and BIFF5 (16 bits). Each
#: holds the first row, the last row + 1, the first column and the last column + 1.
_DIMENSION_LAYOUTS = {14: "<IIHH", 10: "<HHHH"}
#: Records of one cell: its row and column are the record's first two 16-bit numbers. BLANK
#: and MULBLANK (a cell with a format and no value) are left out, as calamine leaves them.
_CELLS = frozenset(
    {
        0x0203,  # NUMBER
        0x0204,  # LABEL
        0x0205,  # BOOLERR
        0x0006,  # FORMULA
        0x027E,  # RK
        0x00FD,  # LABELSST
        0x00D6,  # RSTRING
        0x0002,  # INTEGER (BIFF2)
        0x0003,  # NUMBER (BIFF2)
        0x0004,  # LABEL (BIFF2)
        0x0005,  # BOOLERR (BIFF2)
    }
)
#: MULRK, the record of several numbers in a row: row, first column, 6 bytes a cell, last column.
_MULRK = 0x00BD
_PAIR = struct.Struct("<HH")
_LAST = struct.Struct("<H")

Extent = tuple[int, int, int, int]
"""The first row, first column, last row and last column a sheet's cells reach, 1-based."""


@attrs.frozen
class XlsScan:
    """What the records of an .xls file say about the size of its sheets."""

    extents: tuple[Extent, ...]
    """The range each sheet's cells reach, 1-based, for the sheets that have cells."""
    claimed: tuple[tuple[int, int], ...]
    """The rows and columns each DIMENSIONS record claims (calamine reserves room for them)."""
    overlapping: bool = False
    """Whether sheets point into each other's records, as only a crafted file does."""


def scan_xls(data: bytes) -> XlsScan | None:
    """What the sheets of the .xls file ``data`` hold; ``None`` if its container cannot be read."""
    stream = _workbook_stream(data)
    if stream is None:
        return None
    starts, encrypted = _sheet_starts(stream)
    if encrypted:
        return None  # the cells cannot be read without the password: calamine says so
    extents: list[Extent] = []
    claimed: list[tuple[int, int]] = []
    budget = len(stream)  # the sheets of a sound file never share a record
    for start in starts:
        extent, walked = _walk_sheet(stream, start, claimed, budget)
        budget -= walked
        if budget < 0:
            return XlsScan(tuple(extents), tuple(claimed), overlapping=True)
        if extent is not None:
            extents.append(extent)
    return XlsScan(tuple(extents), tuple(claimed))


def _sheet_starts(stream: bytes) -> tuple[list[int], bool]:
    """Where each sheet's records start (its BOUNDSHEET record), and whether it is encrypted.

    An encrypted workbook (a FILEPASS record) holds its cells as unreadable bytes.
    """
    starts: list[int] = []
    at, end = 0, len(stream)
    while at + 4 <= end:
        number, size = _PAIR.unpack_from(stream, at)
        if number == _EOF and at:
            break
        if number == _FILEPASS:
            return starts, True
        if number == _BOUNDSHEET and size >= 6 and at + 10 <= end:
            starts.append(struct.unpack_from("<I", stream, at + 4)[0])
        at += 4 + size
    return starts, False


def _walk_sheet(
    stream: bytes, start: int, claimed: list[tuple[int, int]], budget: int
) -> tuple[Extent | None, int]:
    """The extent of the cells of the sheet starting at ``start``, and the bytes it takes.

    The extent is 1-based; ``None`` for a sheet without cells. The bytes are counted up
    to just over ``budget``. One loop, without a call per record but ``unpack_from``:
    it reads every record of every sheet.
    """
    unpack = _PAIR.unpack_from
    top = left = 1 << 32
    bottom = right = -1
    at, end = start, min(len(stream), start + budget + 1)
    while at + 4 <= end:
        number, size = unpack(stream, at)
        body = at + 4
        at = body + size
        if number in _CELLS and size >= 4:
            row, column = unpack(stream, body)
        elif number == _MULRK and size >= 6:
            row, column = unpack(stream, body)
            (last,) = _LAST.unpack_from(stream, body + size - 2)
            right = max(right, last, column + (size - 6) // 6 - 1)
        elif number == _EOF:
            break
        else:
            if number == _DIMENSIONS and size in _DIMENSION_LAYOUTS:
                first_row, last_row, first_column, last_column = struct.unpack_from(
                    _DIMENSION_LAYOUTS[size], stream, body
                )
                claimed.append((max(0, last_row - first_row), max(0, last_column - first_column)))
            continue
        top, bottom = min(top, row), max(bottom, row)
        left, right = min(left, column), max(right, column)
    walked = at - start
    if bottom < 0:
        return None, walked
    return (top + 1, left + 1, bottom + 1, right + 1), walked


# -- the compound file container -----------------------------------------------------------


def _workbook_stream(data: bytes) -> bytes | None:
    """The bytes of the workbook stream of the CFB container ``data``, or ``None``."""
    if len(data) < 512 or not data.startswith(_SIGNATURE):
        return None
    (shift,) = struct.unpack_from("<H", data, 30)
    if shift not in (9, 12):
        return None
    size = 1 << shift
    fat = _fat(data, size)
    root, entry = _directory_entries(data, size, fat)
    if root is None or entry is None:
        return None
    start, length = entry
    (cutoff,) = struct.unpack_from("<I", data, 56)
    if length >= cutoff:
        return _chain_bytes(data, size, fat, start, length)
    (mini_fat_start,) = struct.unpack_from("<I", data, 60)
    mini_fat = _table(_chain_bytes(data, size, fat, mini_fat_start, None))
    mini_stream = _chain_bytes(data, size, fat, root[0], root[1])
    mini_size = 1 << struct.unpack_from("<H", data, 32)[0]
    return _sectors(mini_stream, mini_size, mini_fat, start, length, offset=0)


def _fat(data: bytes, size: int) -> list[int]:
    """The file allocation table: the next sector of each sector."""
    count, first_difat, difat_count = (struct.unpack_from("<I", data, at)[0] for at in (44, 68, 72))
    places = list(struct.unpack_from("<109I", data, 76))
    sector, seen = first_difat, 0
    per = size // 4
    while sector < _LAST_SECTOR and seen < difat_count and (sector + 2) * size <= len(data):
        entries = struct.unpack_from(f"<{per}I", data, (sector + 1) * size)
        places.extend(entries[:-1])
        sector, seen = entries[-1], seen + 1
    table: list[int] = []
    for place in places[:count]:
        if place < _LAST_SECTOR and (place + 2) * size <= len(data):
            table.extend(struct.unpack_from(f"<{per}I", data, (place + 1) * size))
    return table


def _table(data: bytes) -> list[int]:
    return list(struct.unpack_from(f"<{len(data) // 4}I", data))


def _chain(table: list[int], start: int) -> Iterator[int]:
    """The sectors of the chain from ``start``; a loop or a number out of the table ends it."""
    sector, seen = start, 0
    while sector < len(table) and seen <= len(table):
        yield sector
        sector, seen = table[sector], seen + 1


def _chain_bytes(data: bytes, size: int, fat: list[int], start: int, length: int | None) -> bytes:
    return _sectors(data, size, fat, start, length, offset=size)


def _sectors(
    data: bytes, size: int, table: list[int], start: int, length: int | None, *, offset: int
) -> bytes:
    """The bytes of the chain from ``start``, sector by sector (after a header of ``offset``)."""
    parts = [
        data[offset + sector * size : offset + (sector + 1) * size]
        for sector in _chain(table, start)
    ]
    joined = b"".join(parts)
    return joined if length is None else joined[:length]


def _directory_entries(
    data: bytes, size: int, fat: list[int]
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The start and length of the root entry (the mini stream) and of the workbook stream."""
    (first,) = struct.unpack_from("<I", data, 48)
    directory = _chain_bytes(data, size, fat, first, None)
    root: tuple[int, int] | None = None
    found: tuple[int, int] | None = None
    for at in range(0, len(directory) - 127, 128):
        name_size, kind = struct.unpack_from("<HB", directory, at + 64)
        name = directory[at : at + max(0, min(name_size, 64) - 2)].decode("utf-16-le", "replace")
        start, length = struct.unpack_from("<II", directory, at + 116)
        if kind == 5 and root is None:
            root = (start, length)
        elif kind == 2 and found is None and name.lower() in _STREAMS:
            found = (start, length)
    return root, found

r"""Control characters made visible, so that text from a dataset cannot drive a terminal.

A title holding ``ESC [ 2 J`` would clear the screen, an OSC sequence
(``ESC ] 0 ; ... BEL``) would retitle the terminal, and a right-to-left
override would make the rest of a line read backwards. Every such character
is written as an escape the reader can see instead: C0 controls as ``\x1b``,
DEL, C1 controls and the bidirectional embeddings, overrides and isolates
(U+202A to U+202E, U+2066 to U+2069) as ``\u009b`` or ``\u202e``. Line feeds
and tabs are kept.

The ``\u`` form is the one JSON uses, so JSON text stays valid JSON with the
same values when it passes through here: JSON already escapes C0 controls, and
writes DEL, C1 and bidirectional characters as they are only inside strings,
where ``\u009b`` means the same character.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rich.console import Console, ConsoleOptions, ConsoleRenderable, RichCast
    from rich.segment import Segment
    from rich.table import Table
    from rich.text import Text

__all__ = ["CONTROLS", "escaping_console_class", "visible_controls", "visible_rich_text"]

#: The code points :func:`visible_controls` may escape, first and last of each range: C0,
#: DEL and C1, and the bidirectional embeddings, overrides and isolates.
_RANGES = ((0x00, 0x1F), (0x7F, 0x9F), (0x202A, 0x202E), (0x2066, 0x2069))


def _ranges(ranges: Iterable[tuple[int, int]]) -> str:
    """Ranges of code points as the inside of a regular expression's character class."""
    return "".join(
        f"{_code(first)}-{_code(last)}" if last > first else _code(first) for first, last in ranges
    )


def _code(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


#: Every character :func:`visible_controls` may escape, as the inside of a character class.
CONTROLS = _ranges(_RANGES)


@functools.cache
def _pattern(keep: str) -> re.Pattern[str]:
    r"""One control character not in ``keep``: a character class of the others alone.

    The class leaves the kept characters out rather than looking ahead for them
    at every position (``(?![\n\t])[...]``), which took four times as long to
    search a large page.
    """
    kept = {ord(c) for c in keep}
    ranges: list[tuple[int, int]] = []
    for first, last in _RANGES:
        for code in range(first, last + 1):
            if code in kept:
                continue
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    # With every control kept, a pattern that matches nothing.
    return re.compile(f"[{_ranges(ranges)}]" if ranges else "(?!)")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"  # C0 ends at 0x20


def visible_controls(text: str, *, keep: str = "\n\t") -> str:
    """Return ``text`` with every control character but those in ``keep`` written as an escape.

    Text without such characters comes back as it is; escaping twice changes
    nothing more.
    """
    pattern = _pattern(keep)
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


def visible_rich_text(text: Text) -> Text:
    """A copy of a rich ``Text`` with its control characters escaped and its styles kept."""
    from rich.text import Span, Text

    pattern = _pattern("\n\t")
    cuts = sorted({i for m in pattern.finditer(text.plain) for i in (m.start(), m.end())})
    if not cuts:
        return text
    result = text.blank_copy()
    for piece in text.divide(cuts):
        shown = visible_controls(piece.plain)
        if shown != piece.plain:
            spans = [Span(0, len(shown), span.style) for span in piece.spans]
            piece = Text(shown, style=piece.style, spans=spans)  # noqa: PLW2901 - its escaped copy
        result.append_text(piece)
    return result


def _visible_renderable(renderable: Any) -> Any:
    """A string or rich ``Text`` escaped; any other renderable as it is."""
    from rich.text import Text

    if isinstance(renderable, str):
        return visible_controls(renderable)
    if isinstance(renderable, Text):
        return visible_rich_text(renderable)
    return renderable


def _escape_table(table: Table) -> None:
    """Escape the text of a table's title, caption, headers and cells before it is laid out.

    rich measures a column before it renders its cells, and counts a control character
    as taking no room: escaped later, a cell would be cut short. The cells are only in
    the column's private list; without it (another version of rich), the cells are
    still escaped as they are written.
    """
    table.title = _visible_renderable(table.title)
    table.caption = _visible_renderable(table.caption)
    for column in table.columns:
        column.header = _visible_renderable(column.header)
        column.footer = _visible_renderable(column.footer)
        cells = getattr(column, "_cells", None)
        if isinstance(cells, list):
            cells[:] = [_visible_renderable(cell) for cell in cells]


@functools.cache
def escaping_console_class() -> type[Console]:
    """A rich ``Console`` whose output shows control characters as escapes.

    Text is escaped before it is laid out, so that tables stay aligned; every
    other segment is escaped as it is written. The cursor and colour codes rich
    writes itself (control segments, styles) are kept.
    """
    from rich.console import Console
    from rich.segment import Segment
    from rich.table import Table

    class EscapingConsole(Console):
        """A console that never lets printed text drive the terminal."""

        def render(
            self,
            renderable: ConsoleRenderable | RichCast | str,
            options: ConsoleOptions | None = None,
        ) -> Iterable[Segment]:
            renderable = _visible_renderable(renderable)
            if isinstance(renderable, Table):
                _escape_table(renderable)
            for segment in super().render(renderable, options):
                if segment.control is None:
                    shown = visible_controls(segment.text)
                    if shown != segment.text:
                        segment = Segment(shown, segment.style)  # noqa: PLW2901 - escaped copy
                yield segment

    return EscapingConsole

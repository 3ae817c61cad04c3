"""Which control characters ``visible_controls`` escapes, for any ``keep``: as it always did.

The pattern is a character class of the controls not kept; it used to be the
class of every control behind a negative lookahead for the kept ones
(``(?![\\n\\t])[...]``), four times slower on a large page. The lookahead form
is kept here as the reference the class must agree with.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from benchmarkkit.reports._controls import CONTROLS, _pattern, visible_controls

#: Every character visible_controls may escape, one by one.
_CONTROL_CHARACTERS = re.findall(f"[{CONTROLS}]", "".join(map(chr, range(0x2070))))
#: The controls most often kept, characters next to the controls in the code points, others.
_NEAR = ["\n", "\t", "\x20", "~", "\xa0", "\u2029", "\u206a", "a", "é", "\U0001f600"]
#: What a ``keep`` may hold besides controls (which changes nothing), and must be escaped in it.
_NOT_CONTROLS = ["a", "\\", "]", "-", "^"]


@st.composite
def _text_and_keep(draw: st.DrawFn) -> tuple[str, str]:
    """A ``keep`` drawn from the controls, and text that mixes kept, other controls and not."""
    controls = st.sampled_from(_CONTROL_CHARACTERS)
    keep = "".join(draw(st.lists(controls | st.sampled_from(_NOT_CONTROLS), max_size=8)))
    others = st.text(controls | st.sampled_from(_NEAR) | st.characters(), max_size=4)
    # Each run of other characters is followed by a kept one, so that every kept one is met.
    runs = draw(st.lists(st.tuples(others, st.sampled_from(keep) if keep else controls)))
    return "".join(run + kept for run, kept in runs), keep


def _lookahead_pattern(keep: str) -> re.Pattern[str]:
    """The pattern visible_controls had before: every control, unless a kept one."""
    kept = "".join(f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}" for c in keep)
    return re.compile(f"(?![{kept}])[{CONTROLS}]" if kept else f"[{CONTROLS}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x20 else f"\\u{code:04x}"


@given(_text_and_keep())
def test_the_character_class_finds_and_escapes_what_the_lookahead_did(
    text_and_keep: tuple[str, str],
) -> None:
    text, keep = text_and_keep
    reference = _lookahead_pattern(keep)
    assert [m.span() for m in reference.finditer(text)] == [
        m.span() for m in _pattern(keep).finditer(text)
    ]
    assert reference.sub(_escape, text) == visible_controls(text, keep=keep)


def test_every_control_but_the_kept_ones_is_escaped() -> None:
    text = "".join(_CONTROL_CHARACTERS)
    shown = visible_controls(text, keep="\n\t\u202e")
    expected = (
        "".join(f"\\x{code:02x}" for code in range(0x09))
        + "\t\n"
        + "".join(f"\\x{code:02x}" for code in range(0x0B, 0x20))
        + "".join(f"\\u{code:04x}" for code in range(0x7F, 0xA0))
        + "\\u202a\\u202b\\u202c\\u202d\u202e"
        + "\\u2066\\u2067\\u2068\\u2069"
    )
    assert expected == shown
    assert len(_CONTROL_CHARACTERS) == 32 + 33 + 5 + 4


def test_keeping_every_control_escapes_nothing() -> None:
    text = "".join(_CONTROL_CHARACTERS) + "plain"
    assert text == visible_controls(text, keep="".join(_CONTROL_CHARACTERS))

"""Text from the bytes of a CSV file: its encoding known, given or guessed, and what cannot be read.

The encoding is taken from ``encoding=`` (the command line's ``--encoding``), a
byte order mark, strict UTF-8, UTF-8 but for a few stray bytes (:func:`_mostly_utf8`),
the NUL pattern of UTF-16, or a guess scored between Windows-1252, Mac Roman and,
for text in a script other than Latin, charset-normalizer's answer. Bytes the encoding cannot
decode are set aside, in order, and marked in the text by :data:`UNDECODABLE`, so
that the reader of the table can name each at its cell.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import Literal

import attrs

__all__ = [
    "UNDECODABLE",
    "Decoded",
    "EncodingHow",
    "canonical",
    "decode",
    "decode_with",
    "display_name",
    "plausibility",
]

EncodingHow = Literal["bom", "utf-8", "detected", "given"]
"""How the encoding was known: a byte order mark, valid UTF-8, a guess, or the user said."""

#: Each byte order mark, the codec of the bytes after it, and the encoding's name.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
#: Stands in the decoded text for a byte sequence the encoding cannot decode; no decoder
#: gives a lone surrogate, so it cannot be a real character of the file.
UNDECODABLE = "\udfff"
_WINDOW = 4096


@attrs.frozen
class Decoded:
    """A file's text, the codec it was decoded with, how that was known, what it could not read."""

    text: str
    """The text; each byte sequence that could not be decoded stands as :data:`UNDECODABLE`."""
    encoding: str
    how: EncodingHow
    bad: tuple[bytes, ...] = ()  # each undecodable byte sequence, in the order of the text


def decode(data: bytes, given: str | None) -> Decoded:
    """The text of ``data``: in ``given``, by its BOM, as UTF-8 or UTF-16, or as detected."""
    if given is not None:
        return decode_with(data, given, "given")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            return attrs.evolve(decode_with(data[len(bom) :], codec, "bom"), encoding=name)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError:
        pass
    utf16 = _utf16_without_bom(data)
    if utf16 is None and (mostly := _mostly_utf8(data)) is not None:
        return mostly
    for guess in [utf16] if utf16 is not None else _guesses(data):
        text = _text_or_none(data, guess)
        if text is not None:
            return Decoded(text, guess, "detected")
    return decode_with(data, "utf-8", "utf-8")


#: A valid UTF-8 sequence of two to four bytes (RFC 3629: no overlong forms, no surrogates).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}"
    rb"|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def _mostly_utf8(data: bytes) -> Decoded | None:
    """``data`` read as UTF-8 when it is UTF-8 but for a few stray bytes; else ``None``.

    The rule: the invalid sequences are fewer than the valid multi-byte ones. Text
    saved in Windows-1252 or Mac Roman almost never holds a valid multi-byte sequence
    (an accented letter would have to be followed by one or more of the symbols that
    stand at 0x80-0xBF), so each of its accented letters is an invalid sequence and
    it is guessed; a UTF-8 file with a stray byte among its accented names is read
    as UTF-8, and only the stray byte is reported, at its cell.
    """
    if _UTF8_MULTIBYTE.search(data) is None:
        return None
    decoded = decode_with(data, "utf-8", "utf-8")
    valid = len(decoded.text) - len(decoded.text.encode("ascii", "ignore")) - len(decoded.bad)
    return decoded if len(decoded.bad) < valid else None


def _text_or_none(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` when every other byte of the start is NUL, as in ASCII text."""
    head = data[:4096]
    pairs = len(head) // 2
    if len(data) % 2 or not pairs:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd > pairs * 0.4 and even < pairs * 0.05:
        return "utf-16-le"
    if even > pairs * 0.4 and odd < pairs * 0.05:
        return "utf-16-be"
    return None


# -- guessing an 8-bit encoding -----------------------------------------------------------
#
# charset-normalizer alone cannot tell Windows-1252 from Mac Roman on the short, accented
# text of a table: on "Côte d'Ivoire", "São Tomé" and curly quotes it answers cp1250,
# mac_latin2, or big5 for a few lines. So its guess is one candidate among cp1252 and
# mac_roman, and each candidate's reading is scored by how much its non-ASCII characters
# look like text (:func:`plausibility`); the highest wins, cp1252 on a tie. Read in the
# wrong one of the pair, accented letters turn into capitals inside words ("TomÈ",
# "CÙte"), symbols ("C™te") or quotes between letters (the "ã" of "São"), each scoring -1.

_GUESSED = ("cp1252", "mac_roman")
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_OPENING = frozenset("\u201c\u2018\u201e\u201a\u00ab\u2039\u00bf\u00a1")
_CLOSING = frozenset("\u201d\u2019\u00bb\u203a")
_DASHES = frozenset("\u2013\u2014\u2026")
_NEUTRAL = frozenset("\u20ac\u00a3\u00a5\u00b0\u00a7\u00a9\u00ae\u00b7\u2022\u00a0\u00ba\u00aa")
#: The scoring reads the lines that hold non-ASCII bytes, up to this many bytes of them.
_SAMPLE = 200_000


def _guesses(data: bytes) -> list[str]:
    """The candidate encodings of ``data``, the likeliest first."""
    sample = _sample(data)
    candidates = list(_GUESSED)
    detected = _detected(sample)  # the sample, not the file: the time stays bounded
    if detected is not None and detected not in candidates and _not_latin(sample, detected):
        candidates.append(detected)
    scores = {codec: _score(sample, codec) for codec in candidates}
    readable = [codec for codec in candidates if scores[codec] is not None]
    return sorted(readable, key=lambda codec: -(scores[codec] or 0))  # cp1252 first on a tie


def _not_latin(sample: bytes, codec: str) -> bool:
    """Whether ``sample`` read in ``codec`` has its non-ASCII letters in a script not Latin.

    charset-normalizer's answer is taken only for text in another script (Cyrillic in
    Windows-1251 or KOI8-R, Greek, Arabic, Hebrew): the tables of the field in Latin
    letters come in Windows-1252 or Mac Roman, and a Latin look-alike it may name
    (ISO-8859-10, Windows-1250, Mac Central European) differs from Windows-1252 in
    a few letters that no score can tell apart on a few names, so it is never right
    often enough to take. Such a file's encoding is given with ``--encoding``.
    """
    try:
        letters = [c for c in sample.decode(codec) if not c.isascii() and c.isalpha()]
    except UnicodeDecodeError:
        return False
    latin = sum(1 for c in letters if _script(c) == "LATIN")
    return len(letters) > 2 * latin


def _score(sample: bytes, codec: str) -> int | None:
    """:func:`plausibility` of ``sample`` read in ``codec``; ``None`` if it cannot be read."""
    try:
        return plausibility(sample.decode(codec))
    except UnicodeDecodeError:
        return None


def _detected(data: bytes) -> str | None:
    """charset-normalizer's best guess, by Python's name of the codec; ``None`` without one."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # the spreadsheets extra is missing: the pair above is still tried
        return None
    best = from_bytes(data).best()
    if best is None:
        return None
    try:
        return canonical(best.encoding)
    except LookupError:
        return None


def _sample(data: bytes) -> bytes:
    """The lines of ``data`` holding non-ASCII bytes, up to :data:`_SAMPLE` bytes of them."""
    lines: list[bytes] = []
    size = 0
    for line in data.splitlines():
        if not line.isascii():
            lines.append(line)
            size += len(line) + 1
            if size > _SAMPLE:
                break
    return b"\n".join(lines)


def plausibility(text: str) -> int:
    """How much the non-ASCII characters of ``text`` look like text: +1 or -1 each, or 0."""
    score = 0
    for match in _NON_ASCII.finditer(text):
        at = match.start()
        before = text[at - 1] if at else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        score += _character_score(match.group(), before, after)
    for run in _LETTER_RUN.findall(text):
        # "Ðîññèÿ": a word of accented Latin letters only is Cyrillic read as Latin
        if len(run) >= 3 and not any(c.isascii() for c in run) and all(c < "\u0250" for c in run):
            score -= 2 * len(run)
    return score


def _character_score(char: str, before: str, after: str) -> int:  # noqa: PLR0911 - one per kind
    if char.isalpha():
        if not (before.isalpha() or after.isalpha()):
            return 0
        if char.isupper() and before.isalpha() and (before.islower() or after.islower()):
            return -1  # a capital inside a word: "TomÈ", "TŸrkiye"
        if char.islower() and after.isupper():
            return -1
        if _script(char) != _script(before if before.isalpha() else after):
            return -1
        return 1
    if char in _OPENING:
        return -1 if before.isalpha() else 1
    if char in _CLOSING:
        return 1 if char == "\u2019" or not after.isalpha() else -1
    if char in _DASHES:
        return -1 if before.isalpha() and after.isalpha() else 1
    return 0 if char in _NEUTRAL else -1


_NAMES = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 (little-endian)",
    "utf-16-be": "UTF-16 (big-endian)",
    "cp1252": "Windows-1252",
    "mac_roman": "Mac Roman",
    "latin-1": "Latin-1",
    "cp1251": "Windows-1251",
    "cp1253": "Windows-1253",
    "cp1255": "Windows-1255",
    "cp1256": "Windows-1256",
    "koi8-r": "KOI8-R",
}


def canonical(codec: str) -> str:
    """Python's name of ``codec`` (``cp1252``, ``mac_roman``, ``utf-8``); LookupError if none."""
    return codecs.lookup(codec).name.replace("mac-", "mac_")


def display_name(codec: str) -> str:
    """An encoding's name as people know it: ``Windows-1252`` for cp1252."""
    return _NAMES.get(canonical(codec), codec)


def _script(char: str) -> str:
    """The script of a letter, as the first word of its Unicode name says: LATIN, CYRILLIC..."""
    return unicodedata.name(char, "?").split(" ", 1)[0]


def decode_with(data: bytes, codec: str, how: EncodingHow) -> Decoded:
    """``data`` decoded in ``codec``; each undecodable sequence stands as :data:`UNDECODABLE`.

    Decoded a window at a time, since a decoding error holds a copy of all the bytes it
    was given: so a file with a bad byte on every line still reads in linear time.
    """
    try:
        return Decoded(data.decode(codec), codec, how)
    except UnicodeDecodeError:
        pass
    decoder = codecs.getincrementaldecoder(codec)()
    parts: list[str] = []
    bad: list[bytes] = []
    view = memoryview(data)
    for start in range(0, len(data), _WINDOW):
        final = start + _WINDOW >= len(data)
        window = bytes(view[start : start + _WINDOW])
        while True:
            pending = decoder.getstate()[0]  # the start of a character the last window cut
            try:
                parts.append(decoder.decode(window, final))
                break
            except UnicodeDecodeError as error:  # at error.start in pending + window
                given = pending + window
                parts.append(codecs.decode(given[: error.start], codec))
                bad.append(given[error.start : error.end])
                parts.append(UNDECODABLE)
                window = given[error.end :]
                decoder.reset()
    return Decoded("".join(parts), codec, how, tuple(bad))

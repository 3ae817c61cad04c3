r"""Which addresses from a dataset may become links: only http, https and mailto, written plainly.

A dataset's URLs are data. A report links an address only when it is
certain to lead to a web page or a mail program: an ``http:`` or
``https:`` URL with a host, or a ``mailto:`` address. Everything else
(``javascript:``, ``data:``, ``vbscript:``, ``file:``, relative paths, and
any address with spaces or control characters, which browsers strip and
so could turn ``java\\tscript:`` into ``javascript:``) is shown as text.
"""

from __future__ import annotations

import re
import urllib.parse

import attrs

__all__ = ["SAFE_SCHEMES", "Link", "link", "safe_url"]

#: The URL schemes a report turns into links.
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})

# Whitespace and control characters anywhere (browsers drop tabs and line breaks inside a
# URL and strip C0 controls and spaces around it), and the characters no valid URL holds.
_FORBIDDEN = re.compile(r"[\x00-\x20\x7f-\x9f\s<>\"\\^`{|}]")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def safe_url(address: str | None) -> str | None:
    """Return ``address`` if a report may link it, else ``None``.

    >>> safe_url("https://www.osce.org/odihr")
    'https://www.osce.org/odihr'
    >>> safe_url("javascript:alert(1)") is None
    True
    >>> safe_url(" https://example.org") is None  # written plainly, or not at all
    True
    """
    if not address or _FORBIDDEN.search(address):
        return None
    match = _SCHEME.match(address)
    if match is None or match.group(1).lower() not in SAFE_SCHEMES:
        return None
    try:
        parts = urllib.parse.urlsplit(address)
    except ValueError:  # such as an unbalanced "[" in the host
        return None
    if parts.scheme.lower() == "mailto":
        return address if len(address) > len("mailto:") else None
    return address if parts.hostname else None


@attrs.frozen(kw_only=True)
class Link:
    """Text that may link somewhere.

    ``url`` is the address as the dataset gives it (``None`` when it gives
    none); ``href`` is that address when :func:`safe_url` allows it, else
    ``None``, and renderers then show ``url`` as text.
    """

    text: str
    url: str | None = None
    href: str | None = None

    @property
    def unsafe(self) -> bool:
        """Whether the dataset gives an address that is not linked because it is not safe."""
        return self.url is not None and self.href is None


def link(text: str, url: str | None) -> Link:
    """Make a :class:`Link` of ``text`` to ``url``, linked only if the address is safe."""
    return Link(text=text, url=url or None, href=safe_url(url))

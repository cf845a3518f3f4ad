"""
The encodings the XML readers accept, checked before the parser sees a document.

Expat decodes UTF-8, UTF-16, ISO-8859-1 and US-ASCII itself and other single-byte
codecs through Python; for a multi-byte codec (Shift JIS, UTF-32, Big5...) or an
unknown name it raises bare ``ValueError`` or ``LookupError``. Each reader turns the
reason found here into its own typed error naming the document.
"""

from __future__ import annotations

import codecs
import re
from typing import Final

__all__ = ["unsupported_encoding"]

_DECLARATION: Final = re.compile(
    "\ufeff?<\\?xml[ \t\r\n][^>]*?\\bencoding[ \t\r\n]*=[ \t\r\n]*([\"'])(.*?)\\1"
)
# How the declaration itself is written, told by the first bytes (XML 1.0, appendix F).
_TRANSPORTS: Final = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
)
_HEAD: Final = 1024
# The names expat knows itself, compared as it compares them: ignoring case only.
_NATIVE: Final = frozenset({"utf-8", "utf-16", "utf-16be", "utf-16le", "iso-8859-1", "us-ascii"})
_EVERY_BYTE: Final = bytes(range(256))


def unsupported_encoding(document: bytes) -> str | None:
    """
    Why the encoding ``document`` declares cannot be read, or ``None`` when it can.

    Text documents are already decoded: the parser ignores their declaration.

    Example:
        >>> unsupported_encoding(b'<?xml version="1.0" encoding="UTF-8"?><config/>') is None
        True
        >>> unsupported_encoding(b'<?xml version="1.0" encoding="shift_jis"?><config/>')
        "unsupported encoding 'shift_jis': only single-byte encodings, UTF-8 and UTF-16 are read"
        >>> unsupported_encoding(b"<?xml version='1.0' encoding='foo'?><config/>")
        "unknown encoding 'foo'"
    """
    transport = next(
        (codec for start, codec in _TRANSPORTS if document.startswith(start)), "latin-1"
    )
    match = _DECLARATION.match(document[:_HEAD].decode(transport, "replace"))
    if match is None:
        return None
    name = match.group(2)
    if name.lower() in _NATIVE:
        return None
    try:
        codecs.lookup(name)
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        return f"unknown encoding {name!r}"
    try:
        # Python's expat reads any other codec as a table of 256 characters, decoded this way.
        table = _EVERY_BYTE.decode(name, "replace")
    except (LookupError, UnicodeError):
        table = ""
    if len(table) == len(_EVERY_BYTE):
        return None
    return f"unsupported encoding {name!r}: only single-byte encodings, UTF-8 and UTF-16 are read"

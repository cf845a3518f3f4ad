"""
Reading Magento XML documents safely: for every reader (``acl.xml``, ``integration.xml``, ``webapi.xml``).

Documents come as one text, a sequence or a mapping of names to texts; each is checked
for an encoding the parser can read, then parsed through defusedxml with DTDs refused,
and every failure becomes the reader's own typed error naming the document.

Expat decodes UTF-8, UTF-16, ISO-8859-1 and US-ASCII itself and other single-byte
codecs through Python; for a multi-byte codec (Shift JIS, UTF-32, Big5...) or an
unknown name it raises bare ``ValueError`` or ``LookupError``: the encoding is
therefore checked before the parser sees the document.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

__all__ = ["named_documents", "parse_document", "unsupported_encoding"]

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


def named_documents(documents: object, single_name: str) -> Mapping[str, object] | None:
    """
    Documents by name, in order: one text as ``single_name``, a sequence as ``documents[i]``.

    ``None`` when ``documents`` is none of a text, a sequence or a mapping: each reader
    refuses that in its own words.

    Example:
        >>> named_documents(["<a/>", "<b/>"], "acl.xml")
        {'documents[0]': '<a/>', 'documents[1]': '<b/>'}
        >>> named_documents(b"<a/>", "acl.xml"), named_documents(7, "acl.xml")
        ({'acl.xml': b'<a/>'}, None)
    """
    if isinstance(documents, str | bytes):
        return {single_name: documents}
    if isinstance(documents, Mapping):
        return documents
    if isinstance(documents, Sequence):
        return {f"documents[{number}]": text for number, text in enumerate(documents)}
    return None


def parse_document(document: object, target: object, refuse: Callable[[str], Exception]) -> Any:
    """
    Parse one document into ``target`` (a parser target) and return what its ``close`` returns.

    Raises:
        Exception: ``refuse(reason)``, the reader's own typed error, when the document is
            no text, declares an encoding the parser cannot read, is malformed, hostile
            (a DTD or an entity) or not valid Unicode.

    Example:
        >>> from xml.etree.ElementTree import TreeBuilder
        >>> parse_document("<config/>", TreeBuilder(), ValueError).tag
        'config'
        >>> parse_document("<config>", TreeBuilder(), ValueError)
        Traceback (most recent call last):
            ...
        ValueError: malformed XML: no element found: line 1, column 8
    """
    if not isinstance(document, str | bytes):
        raise refuse(f"a document must be str or bytes, got {type(document).__name__}")
    refusal = unsupported_encoding(document) if isinstance(document, bytes) else None
    if refusal is not None:
        raise refuse(refusal)
    parser = DefusedXMLParser(target=target, forbid_dtd=True)
    try:
        parser.feed(document)
        return parser.close()
    except ParseError as error:
        raise refuse(f"malformed XML: {error}") from None
    except DefusedXmlException as error:
        raise refuse(f"refused hostile XML: {error!r}") from None
    except UnicodeError as error:
        raise refuse(f"text that is not valid Unicode: {error}") from None

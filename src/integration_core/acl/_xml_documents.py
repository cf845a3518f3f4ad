"""
Reading Magento XML documents safely: for every reader (``acl.xml``, ``integration.xml``, ``webapi.xml``).

Documents come as one text, a sequence or a mapping of names to texts; each is checked
for an encoding the parser can read, then parsed through defusedxml with DTDs refused,
and every failure becomes the reader's own typed error naming the document.

Expat decodes UTF-8, UTF-16, ISO-8859-1 and US-ASCII itself and other single-byte
codecs through Python; for a multi-byte codec (Shift JIS, UTF-32, Big5...) or an
unknown name it raises bare ``ValueError`` or ``LookupError``: the encoding is
therefore checked before the parser sees the document.

Reading files is the host's job: a path passed where a document belongs (an
:class:`os.PathLike`, or text that :func:`looks_like_path`) is refused as a path, not
reported as malformed XML at line 1, column 0.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

__all__ = [
    "looks_like_path",
    "named_documents",
    "parse_document",
    "path_refusal",
    "unsupported_encoding",
]

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
_SHOWN: Final = 80
_CORE: Final = re.compile("[\\s\ufeff]*(.*?)[\\s\ufeff]*", re.DOTALL)


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


def looks_like_path(text: str) -> bool:
    r"""
    Whether ``text`` is a file path rather than a document.

    Stripped of whitespace and byte order marks at both ends, it is one non-empty line
    (no CR, no LF) without ``<`` that ends in ``.xml`` (any case) or holds a ``/`` or ``\``. Every XML
    document has a root element, hence a ``<``: no document is ever taken for a path.

    Example:
        >>> looks_like_path("app/code/Magento/Backend/etc/acl.xml"), looks_like_path(" acl.XML\n")
        (True, True)
        >>> looks_like_path("<config/>"), looks_like_path("config"), looks_like_path("")
        (False, False, False)
    """
    core = _core(text)
    return (
        bool(core)
        and "<" not in core
        and "\n" not in core
        and "\r" not in core
        and (core.lower().endswith(".xml") or "/" in core or "\\" in core)
    )


def path_refusal(document: object) -> str | None:
    """
    Why ``document`` is refused as a file path, or ``None`` when it is not one.

    Example:
        >>> from pathlib import PurePosixPath
        >>> path_refusal(PurePosixPath("etc/acl.xml"))
        "expected the document's text or bytes, got the path 'etc/acl.xml': read the file and pass its bytes"
        >>> path_refusal("<config/>") is None
        True
    """
    if isinstance(document, os.PathLike):
        shown = os.fsdecode(document)
    elif isinstance(document, str) and looks_like_path(document):
        shown = _core(document)
    else:
        return None
    if len(shown) > _SHOWN:
        shown = f"{shown[:_SHOWN]}..."
    return f"expected the document's text or bytes, got the path {shown!r}: read the file and pass its bytes"


def _core(text: str) -> str:
    """``text`` without whitespace and byte order marks at either end."""
    match = _CORE.fullmatch(text)
    assert match is not None  # noqa: S101  # every text matches: both blank runs may be empty
    return match.group(1)


def named_documents(documents: object, single_name: str) -> Mapping[str, object] | None:
    """
    Documents by name, in order: one text as ``single_name``, a sequence as ``documents[i]``.

    A single path counts as one document, so that the reader refuses it as a path.
    ``None`` when ``documents`` is none of a text, a sequence or a mapping: each reader
    refuses that in its own words.

    Example:
        >>> named_documents(["<a/>", "<b/>"], "acl.xml")
        {'documents[0]': '<a/>', 'documents[1]': '<b/>'}
        >>> named_documents(b"<a/>", "acl.xml"), named_documents(7, "acl.xml")
        ({'acl.xml': b'<a/>'}, None)
    """
    if isinstance(documents, str | bytes | os.PathLike):
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
            a path (see :func:`path_refusal`) or no text, declares an encoding the parser cannot read, is malformed, hostile
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
    refusal = path_refusal(document)
    if refusal is not None:
        raise refuse(refusal)
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

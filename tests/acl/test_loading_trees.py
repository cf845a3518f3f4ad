"""Reading Magento documents is for text and bytes: a file path is refused as a path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integration_core import AclTree
from integration_core.acl._xml_documents import looks_like_path
from integration_core.errors import (
    AclDefinitionError,
    IntegrationConfigError,
    IntegrationCoreError,
    RouteDefinitionError,
)
from integration_core.integrations import ConfigIntegration
from integration_core.webapi import RouteMap

READERS: list[tuple[Callable[[object], object], type[IntegrationCoreError], str]] = [
    (AclTree.from_magento_xml, AclDefinitionError, "acl.xml"),  # type: ignore[list-item]
    (RouteMap.from_magento_xml, RouteDefinitionError, "webapi.xml"),  # type: ignore[list-item]
    (ConfigIntegration.from_magento_xml, IntegrationConfigError, "integration.xml"),  # type: ignore[list-item]
]
BLANKS = st.text(alphabet=" \t\r\n\ufeff\u3000", max_size=3)
SEGMENTS = st.text(alphabet=st.characters(exclude_characters="<\n\r/\\"), min_size=1)
PATHS = st.one_of(
    st.builds(lambda *parts: "/".join(parts), SEGMENTS, SEGMENTS),
    st.builds(lambda *parts: "\\".join(parts), SEGMENTS, SEGMENTS),
    st.builds(lambda name, ending: name + ending, SEGMENTS, st.sampled_from([".xml", ".XML"])),
).filter(lambda path: not any(end.isspace() or end == "\ufeff" for end in (path[0], path[-1])))


def test_a_path_names_itself_and_what_to_do_instead() -> None:
    with pytest.raises(AclDefinitionError) as raised:
        AclTree.from_magento_xml("app/code/Magento/Backend/etc/acl.xml")
    assert str(raised.value) == (
        "acl.xml: expected the document's text or bytes, got the path "
        "'app/code/Magento/Backend/etc/acl.xml': read the file and pass its bytes"
    )
    assert raised.value.source == "acl.xml"


def test_a_long_path_is_shown_cut() -> None:
    with pytest.raises(AclDefinitionError, match=r"got the path '(a/){40}\.\.\.'"):
        AclTree.from_magento_xml({"Backend.xml": Path("a/" * 60)})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    "path",
    [
        Path("app/code/Magento/Backend/etc/acl.xml"),
        PurePosixPath("acl.xml"),
        PureWindowsPath(r"C:\magento\app\code\Magento\Backend\etc\acl.xml"),
    ],
)
def test_path_objects_are_refused_as_paths_by_every_reader(path: object) -> None:
    for read, error, single in READERS:
        for documents, source in ((path, single), ([path], "documents[0]"), ({"M": path}, "M")):
            with pytest.raises(error, match="got the path") as raised:
                read(documents)
            assert str(raised.value).startswith(f"{source}: ")


def test_text_that_is_neither_a_path_nor_xml_is_still_malformed_xml() -> None:
    for text in ("acl", "", "  \ufeff ", "etc/\nacl.xml", "etc/\racl.xml"):
        with pytest.raises(AclDefinitionError, match="malformed XML"):
            AclTree.from_magento_xml(text)


@pytest.mark.law
@given(blank_before=BLANKS, path=PATHS, blank_after=BLANKS)
def test_a_path_given_as_text_is_refused_as_a_path_naming_the_document(
    blank_before: str, path: str, blank_after: str
) -> None:
    """
    Rule: text that is one line without '<' (no CR or LF), ending in .xml or holding a path separator (whitespace
    and byte order marks around it aside), is refused by every reader as a path, naming the
    document and showing the path.
    """
    text = blank_before + path + blank_after
    assert looks_like_path(text)
    for read, error, single in READERS:
        with pytest.raises(error) as raised:
            read(text)
        assert str(raised.value).startswith(f"{single}: expected the document's text or bytes")
        shown = path if len(path) <= 80 else f"{path[:80]}..."
        assert f"got the path {shown!r}: " in str(raised.value)


@pytest.mark.law
@given(before=st.text(), after=st.text(), bom=st.booleans())
def test_xml_text_is_never_taken_for_a_path(before: str, after: str, bom: bool) -> None:
    """
    Rule: text holding a '<' (every XML document does) is never taken for a path: it is parsed,
    and a document that is not XML is reported as malformed, never as a path.
    """
    text = ("\ufeff" if bom else "") + before + "<" + after
    assert not looks_like_path(text)
    with pytest.raises(AclDefinitionError) as raised:
        AclTree.from_magento_xml(f"{text}<")  # a second '<' at the end: never well-formed
    assert "got the path" not in str(raised.value)


def test_real_documents_and_their_paths_in_one_tree(tmp_path: Path) -> None:
    fixtures = Path(__file__).parent.parent / "fixtures" / "magento-acl" / "2.4"
    files = sorted(fixtures.glob("*.xml"))
    read = AclTree.from_magento_xml({path.name: path.read_bytes() for path in files})
    text = AclTree.from_magento_xml({path.name: path.read_text("utf-8") for path in files})
    assert read == text
    assert not any(looks_like_path(path.read_text("utf-8")) for path in files)

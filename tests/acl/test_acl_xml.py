"""Magento acl.xml parsing and merging, on small synthetic documents."""

from __future__ import annotations

from typing import Any

import pytest

from integration_core import AclNode, AclTree
from integration_core.acl import MAGENTO_RESOURCE_ID
from integration_core.errors import AclDefinitionError

RESOURCES = "/config[1]/acl[1]/resources[1]"


def acl(body: str) -> str:
    return f"<config><acl><resources>{body}</resources></acl></config>"


def refused(documents: Any, **kwargs: Any) -> AclDefinitionError:
    with pytest.raises(AclDefinitionError) as raised:
        AclTree.from_magento_xml(documents, **kwargs)
    return raised.value


def test_a_module_reopens_a_resource_by_repeating_its_id_and_nests_new_ones() -> None:
    tree = AclTree.from_magento_xml(
        {
            "Backend.xml": acl(
                '<resource id="A::admin" title="Admin">'
                '<resource id="A::system" title="System" sortOrder="80"/>'
                "</resource>"
            ),
            "Integration.xml": acl(
                '<resource id="A::admin"><resource id="A::system">'
                '<resource id="I::integrations" title="Integrations" sortOrder="40"/>'
                "</resource></resource>"
            ),
        }
    )
    assert tree.to_data() == [
        {
            "id": "A::admin",
            "title": "Admin",
            "sort_order": 0,
            "children": [
                {
                    "id": "A::system",
                    "title": "System",
                    "sort_order": 80,
                    "children": [
                        {
                            "id": "I::integrations",
                            "title": "Integrations",
                            "sort_order": 40,
                            "children": [],
                        }
                    ],
                }
            ],
        }
    ]


def test_titles_and_sort_orders_may_be_missing_in_a_reopening_document() -> None:
    first = acl('<resource id="a" title="Alpha" sortOrder="5"/><resource id="b" sortOrder="1"/>')
    later = acl('<resource id="a"/><resource id="b" title="Beta"/>')
    tree = AclTree.from_magento_xml({"first": first, "later": later})
    assert (AclNode("b", "Beta", 1), AclNode("a", "Alpha", 5)) == tree.roots


def test_a_later_document_overrides_title_and_sort_order() -> None:
    tree = AclTree.from_magento_xml(
        {
            "one": acl(
                '<resource id="a" title="One" sortOrder="5"/><resource id="b" sortOrder="3"/>'
            ),
            "two": acl('<resource id="a" title="Two" sortOrder="1"/>'),
        }
    )
    assert (AclNode("a", "Two", 1), AclNode("b", None, 3)) == tree.roots


def test_sort_order_orders_siblings_and_ties_keep_first_declaration_order() -> None:
    tree = AclTree.from_magento_xml(
        {
            "one": acl(
                '<resource id="p"><resource id="c" sortOrder="10"/>'
                '<resource id="a" sortOrder="20"/></resource>'
            ),
            "two": acl(
                '<resource id="p"><resource id="b" sortOrder="10"/>'
                '<resource id="d"/><resource id="e" sortOrder="-1"/></resource>'
            ),
            "three": acl('<resource id="p"><resource id="c"/></resource>'),
        }
    )
    assert tree.ids == ("p", "e", "d", "c", "b", "a")


def test_disabled_drops_the_resource_and_its_subtree() -> None:
    base = acl(
        '<resource id="admin"><resource id="sales" title="Sales">'
        '<resource id="orders"><resource id="invoice"/></resource></resource>'
        '<resource id="catalog"/></resource><resource id="top"/>'
    )
    disabling = acl(
        '<resource id="admin"><resource id="sales" disabled="true"/></resource>'
        '<resource id="top" disabled="1"/>'
    )
    tree = AclTree.from_magento_xml({"base": base, "disabling": disabling})
    assert tree.ids == ("admin", "catalog", "top")
    kept = AclTree.from_magento_xml(
        {
            "base": base,
            "off": disabling,
            "on": disabling.replace("true", "false"),
        }
    )
    assert kept.ids == ("admin", "sales", "orders", "invoice", "catalog", "top")
    assert (
        len(
            AclTree.from_magento_xml(
                {
                    "base": base,
                    "no": base.replace(
                        '<resource id="top"/>', '<resource id="top" disabled=" false "/>'
                    ),
                }
            )
        )
        == 6
    )


def test_a_disabled_resource_nested_deep_leaves_its_siblings() -> None:
    tree = AclTree.from_magento_xml(
        acl(
            '<resource id="a"><resource id="b" disabled="true"><resource id="c"/></resource><resource id="d"/></resource>'
        )
    )
    assert tree.ids == ("a", "d")


def test_documents_may_be_bytes_with_an_encoding_declaration() -> None:
    latin = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>' + acl('<resource id="a" title="Caf\xe9"/>')
    ).encode("latin-1")
    utf16 = acl('<resource id="b" title="\u00fcber"/>').encode("utf-16")
    tree = AclTree.from_magento_xml({"latin": latin, "utf16": utf16})
    assert (tree["a"].title, tree["b"].title) == ("Caf\xe9", "\u00fcber")


def test_comments_processing_instructions_whitespace_and_predefined_entities_are_fine() -> None:
    tree = AclTree.from_magento_xml(
        '<?xml version="1.0"?>\n<!-- licence -->\n<config xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<acl>\n  <resources>\n  <!-- c --><?pi data?>"
        '<resource  id="a"\n   title="SEO &amp; Search" translate="title"/>\n'
        "  </resources><resources/></acl></config>"
    )
    assert AclNode("a", "SEO & Search", 0) == tree["a"]


def test_an_empty_set_of_documents_is_an_empty_tree() -> None:
    assert len(AclTree.from_magento_xml({})) == 0
    assert len(AclTree.from_magento_xml("<config/>")) == 0
    assert len(AclTree.from_magento_xml(b"<config><acl/></config>")) == 0


def test_the_magento_id_pattern_is_an_opt_in_check_for_xml() -> None:
    document = acl('<resource id="Magento_Backend::admin"><resource id="bad"/></resource>')
    assert len(AclTree.from_magento_xml(document)) == 2
    error = refused(document, id_pattern=MAGENTO_RESOURCE_ID)
    assert error.resource_id == "bad"
    assert f"acl.xml: {RESOURCES}/resource[1]/resource[1]" == error.source


@pytest.mark.parametrize(
    ("documents", "resource_id", "source", "reason"),
    [
        (
            {"x.xml": acl('<resource title="t"/>')},
            None,
            f"x.xml: {RESOURCES}/resource[1]",
            "<resource> needs an 'id' attribute",
        ),
        (
            {"x.xml": acl('<resource id=""/>')},
            None,
            f"x.xml: {RESOURCES}/resource[1]",
            "resource id must not be empty",
        ),
        (
            {"x.xml": acl('<resource id="a "/>')},
            "a ",
            f"x.xml: {RESOURCES}/resource[1]",
            "resource id 'a ' has surrounding whitespace",
        ),
        (
            {"x.xml": acl('<resource id="a" dependsOn="b" foo="c"/>')},
            "a",
            f"x.xml: {RESOURCES}/resource[1]",
            "resource 'a' has unknown attributes: dependsOn, foo",
        ),
        (
            {"x.xml": acl('<resource id="a" sortOrder="ten"/>')},
            "a",
            f"x.xml: {RESOURCES}/resource[1]",
            "sortOrder of 'a' must be an xs:int, got 'ten'",
        ),
        (
            {"x.xml": acl('<resource id="a" disabled="yes"/>')},
            "a",
            f"x.xml: {RESOURCES}/resource[1]",
            "disabled of 'a' must be a boolean, got 'yes'",
        ),
        (
            {"x.xml": acl('<resource id="a"/><resource id="b"><resource id="a"/></resource>')},
            "a",
            f"x.xml: {RESOURCES}/resource[2]/resource[1]",
            "duplicate resource id 'a' within one document",
        ),
        (
            {
                "one.xml": acl('<resource id="p"><resource id="a"/></resource><resource id="q"/>'),
                "two.xml": acl('<resource id="q"><resource id="a"/></resource>'),
            },
            "a",
            f"two.xml: {RESOURCES}/resource[1]/resource[1]",
            f"resource 'a' is declared under 'q' here but under 'p' at one.xml: {RESOURCES}/resource[1]/resource[1]",
        ),
        (
            {
                "one.xml": acl('<resource id="p"><resource id="a"/></resource>'),
                "two.xml": acl('<resource id="a"/>'),
            },
            "a",
            f"two.xml: {RESOURCES}/resource[1]",
            f"resource 'a' is declared under the top level here but under 'p' at one.xml: {RESOURCES}/resource[1]/resource[1]",
        ),
        (
            {
                "one.xml": acl('<resource id="a"/><resource id="p"/>'),
                "two.xml": acl('<resource id="p"><resource id="a"/></resource>'),
            },
            "a",
            f"two.xml: {RESOURCES}/resource[1]/resource[1]",
            f"resource 'a' is declared under 'p' here but under the top level at one.xml: {RESOURCES}/resource[1]",
        ),
        (
            {"x.xml": "<acl/>"},
            None,
            "x.xml: /acl[1]",
            "unexpected element <acl>, expected <config>",
        ),
        (
            {"x.xml": "<config><acl><resource id='a'/></acl></config>"},
            None,
            "x.xml: /config[1]/acl[1]/resource[1]",
            "unexpected element <resource>, expected <resources>",
        ),
        (
            {"x.xml": acl('<resource id="a"><item id="b"/></resource>')},
            None,
            f"x.xml: {RESOURCES}/resource[1]/item[1]",
            "unexpected element <item>, expected <resource>",
        ),
        (
            {"x.xml": '<config xmlns="urn:magento"><acl/></config>'},
            None,
            "x.xml: /{urn:magento}config[1]",
            "unexpected element <{urn:magento}config>, expected <config>",
        ),
        (
            {"x.xml": acl('<resource id="a">text</resource>')},
            None,
            f"x.xml: {RESOURCES}/resource[1]",
            "unexpected text 'text'",
        ),
        (
            {"x.xml": acl('<resource id="a"><![CDATA[ x ]]></resource>')},
            None,
            f"x.xml: {RESOURCES}/resource[1]",
            "unexpected text 'x'",
        ),
        ({"x.xml": 5}, None, "x.xml", "a document must be str or bytes, got int"),
        ({"x.xml": None}, None, "x.xml", "a document must be str or bytes, got NoneType"),
    ],
)
def test_invalid_documents_are_refused_naming_the_document_path_and_id(
    documents: dict[str, Any], resource_id: str | None, source: str, reason: str
) -> None:
    error = refused(documents)
    assert (resource_id, source, reason) == (error.resource_id, error.source, error.reason)


def test_the_second_resource_of_a_kind_is_counted_in_the_path() -> None:
    error = refused(acl('<resource id="a"/><resource id="b"/><resource id="c" sortOrder="x"/>'))
    assert f"acl.xml: {RESOURCES}/resource[3]" == error.source


def test_an_error_in_a_later_document_leaves_nothing_half_built() -> None:
    good = acl('<resource id="a"/>')
    refused({"good": good, "bad": acl('<resource id="b" sortOrder="x"/>')})
    assert AclTree.from_magento_xml({"good": good}).ids == ("a",)


def test_a_list_of_documents_is_refused_or_read_with_a_typed_error() -> None:
    try:
        tree = AclTree.from_magento_xml([acl('<resource id="a"/>')])
    except AclDefinitionError:
        return
    assert tree.ids == ("a",)


@pytest.mark.parametrize(
    "value",
    [
        "1_0",
        "ten",
        "1.5",
        "",
        "\u0661",
        "0x10",
        pytest.param("9" * 5000, id="5000-digits"),
        "2147483648",
        "-2147483649",
    ],
)
def test_sort_order_must_be_an_xml_integer(value: str) -> None:
    """xs:int: optional sign, ASCII digits, 32 bits; never a leaked ValueError (core bug 13)."""
    error = refused(acl(f'<resource id="a" sortOrder="{value}"/>'))
    assert error.resource_id == "a"


@pytest.mark.parametrize(
    ("value", "expected"), [("+5", 5), ("-7", -7), (" 8 ", 8), ("2147483647", 2147483647)]
)
def test_sort_order_accepts_every_xml_integer(value: str, expected: int) -> None:
    tree = AclTree.from_magento_xml(acl(f'<resource id="a" sortOrder="{value}"/>'))
    assert tree["a"].sort_order == expected


MULTI_BYTE_OR_UNKNOWN = ["shift_jis", "utf-32", "big5", "euc-jp", "gb2312", "utf-7", "foo", "hex"]


@pytest.mark.parametrize("encoding", MULTI_BYTE_OR_UNKNOWN)
def test_an_encoding_the_parser_cannot_read_is_refused_naming_the_document(encoding: str) -> None:
    document = f'<?xml version="1.0" encoding="{encoding}"?>{acl("")}'.encode("ascii")
    for given in ({"Sales.xml": document}, [document]):
        with pytest.raises(AclDefinitionError) as raised:
            AclTree.from_magento_xml(given)
        assert raised.value.source in {"Sales.xml", "documents[0]"}
        assert repr(encoding) in raised.value.reason
        assert raised.value.__cause__ is None


def test_single_byte_encodings_other_than_latin_1_still_read() -> None:
    body = acl('<resource id="a" title="\u20ac"/>')
    document = f'<?xml version="1.0" encoding="cp1252"?>{body}'
    assert AclTree.from_magento_xml(document.encode("cp1252"))["a"].title == "\u20ac"


@pytest.mark.parametrize(
    ("value", "dropped"),
    [
        ("true", True),
        ("1", False),
        (" true", False),
        ("true ", False),
        ("false", False),
        ("0", False),
    ],
)
def test_only_the_exact_value_true_disables_as_magentos_converter_reads_it(
    value: str, dropped: bool
) -> None:
    tree = AclTree.from_magento_xml(acl(f'<resource id="a" disabled="{value}"/><resource id="b"/>'))
    assert (("b",) if dropped else ("a", "b")) == tree.ids


@pytest.mark.parametrize(
    ("first", "last", "kept"), [("true", "false", True), ("false", "true", False)]
)
def test_the_last_document_that_sets_disabled_wins(first: str, last: str, kept: bool) -> None:
    tree = AclTree.from_magento_xml(
        {
            "base": acl(f'<resource id="a" disabled="{first}"/>'),
            "silent": acl('<resource id="a"/>'),
            "later": acl(f'<resource id="a" disabled="{last}"/>'),
        }
    )
    assert ("a" in tree) is kept


@pytest.mark.parametrize(
    "document",
    [
        '<?xml version="1.0" encoding="shift_jis"?><config/>'.encode("utf-16"),
        '<?xml version="1.0" encoding="shift_jis"?><config/>'.encode("utf-16-le"),
        '<?xml version="1.0" encoding="shift_jis"?><config/>'.encode("utf-16-be"),
        b'\xef\xbb\xbf<?xml version="1.0" encoding="big5"?><config/>',
        b'<?xml version="1.0" encoding="utf\x008"?><config/>',
    ],
    ids=["utf-16-bom", "utf-16-le", "utf-16-be", "utf-8-bom", "nul-in-name"],
)
def test_the_declaration_is_read_however_the_document_is_encoded(document: bytes) -> None:
    with pytest.raises(AclDefinitionError) as raised:
        AclTree.from_magento_xml({"x.xml": document})
    assert raised.value.source == "x.xml"
    assert "encoding" in raised.value.reason


def test_a_utf_16_document_may_declare_utf_16() -> None:
    document = '<?xml version="1.0" encoding="UTF-16"?><config/>'.encode("utf-16")
    assert len(AclTree.from_magento_xml(document)) == 0


@pytest.mark.parametrize(
    "document",
    [
        b'\xef\xbb\xbf<?xml version="1.0" encoding="foo"?>\xff<config/>',
        b"\xff\xfe" + '<?xml version="1.0" encoding="foo"?>'.encode("utf-16-le") + b"\x00\xd8",
    ],
    ids=["utf-8", "utf-16"],
)
def test_bytes_the_head_cannot_be_decoded_from_still_get_a_typed_refusal(document: bytes) -> None:
    with pytest.raises(AclDefinitionError) as raised:
        AclTree.from_magento_xml({"x.xml": document})
    assert raised.value.source == "x.xml"

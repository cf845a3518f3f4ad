"""
Real data: the 56 Magento 2.4 acl.xml files in tests/fixtures/magento-acl/2.4.

The expected facts come from the fixtures' README.md, and the whole merged tree is checked
against an independent merge done here with the standard library's ElementTree (the
fixtures are trusted files, so the stdlib parser is fine for the reference).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET  # trusted fixtures, reference model only
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from integration_core import (
    MAGENTO_ADMIN,
    AccessMode,
    AclNode,
    AclTree,
    CheckState,
    ResourceSelection,
)
from integration_core.acl import MAGENTO_ALL, MAGENTO_RESOURCE_ID
from tests._acl_reference import normalized

FIXTURES = Path(__file__).parent.parent / "fixtures" / "magento-acl" / "2.4"


@cache
def documents() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(FIXTURES.glob("*.xml"))}


@cache
def magento_tree() -> AclTree:
    return AclTree.from_magento_xml(documents(), id_pattern=MAGENTO_RESOURCE_ID)


def reference_merge(named: dict[str, bytes]) -> list[dict[str, Any]]:
    """Join resources by id; the last title and sortOrder given win; first declaration orders."""
    items: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []

    def visit(element: ET.Element, siblings: list[dict[str, Any]]) -> None:
        for child in element.findall("resource"):
            resource_id = child.attrib["id"]
            if resource_id not in items:
                items[resource_id] = {"id": resource_id, "children": []}
                siblings.append(items[resource_id])
            item = items[resource_id]
            assert item in siblings  # never under two parents
            if "title" in child.attrib:
                item["title"] = child.attrib["title"]
            if "sortOrder" in child.attrib:
                item["sort_order"] = int(child.attrib["sortOrder"])
            visit(child, item["children"])

    for document in named.values():
        root = ET.fromstring(document)  # noqa: S314  # trusted fixtures
        for resources in root.iter("resources"):
            visit(resources, roots)
    return normalized(roots)


def test_all_56_files_merge_into_the_tree_an_independent_merge_finds() -> None:
    assert len(documents()) == 56
    assert reference_merge(documents()) == magento_tree().to_data()


def test_the_merged_tree_has_the_documented_counts() -> None:
    """README: 438 resource elements, 231 distinct ids, max depth 6, one untitled id."""
    tree = magento_tree()
    elements = sum(document.count(b"<resource ") for document in documents().values())
    assert elements == 438
    assert len(tree) == 231
    assert max(tree.depth(resource_id) for resource_id in tree.ids) + 1 == 6
    assert [node.id for node in tree if node.title is None] == ["Magento_Customer::actions"]
    assert tree.roots == (
        AclNode("Magento_Backend::all", "Allow everything", 10),
        AclNode("Magento_Backend::admin", "Magento Admin", 20),
    )


def test_thirty_ids_are_shared_between_modules() -> None:
    declared: Counter[str] = Counter()
    for document in documents().values():
        root = ET.fromstring(document)  # noqa: S314
        declared.update({element.attrib["id"] for element in root.iter("resource")})
    shared = {resource_id for resource_id, files in declared.items() if files > 1}
    assert len(shared) == 30
    assert declared[MAGENTO_ADMIN] == 56
    assert shared <= set(magento_tree().ids)


@pytest.mark.parametrize(
    ("resource_id", "parent_id"),
    [
        ("Magento_Paypal::authorization", "Magento_Sales::actions"),
        ("Magento_Sales::actions", "Magento_Sales::sales_order"),
        ("Magento_Integration::integrations", "Magento_Integration::extensions"),
        ("Magento_Integration::extensions", "Magento_Backend::system"),
        ("Magento_Backend::flush_cache_storage", "Magento_Backend::main_actions"),
        ("Magento_LoginAsCustomer::allow_shopping_assistance", "Magento_Customer::actions"),
        ("Magento_Cart::cart", MAGENTO_ADMIN),
        (
            "Magento_Logging::system_magento_logging_bulk_operations",
            "Magento_Logging::magento_logging",
        ),
        ("Magento_Sales::api_actions", "Magento_Sales::actions"),
    ],
)
def test_known_parents_across_modules(resource_id: str, parent_id: str) -> None:
    parent = magento_tree().parent(resource_id)
    assert parent is not None
    assert parent_id == parent.id


def test_titles_come_from_the_owning_module_and_entities_are_decoded() -> None:
    tree = magento_tree()
    assert tree["Magento_Backend::admin"].title == "Magento Admin"
    assert tree["Magento_Backend::marketing_seo"].title == "SEO & Search"
    assert tree["Magento_CheckoutAgreements::checkoutagreement"].title == "Terms & Conditions"
    assert tree["Magento_Integration::integrations"] == AclNode(
        "Magento_Integration::integrations", "System Integrations", 40
    )


def test_sort_order_ties_keep_the_first_declaration_order() -> None:
    admin = [node.id for node in magento_tree().children(MAGENTO_ADMIN)]
    assert admin.index("Magento_Customer::customer") + 1 == admin.index("Magento_Cart::cart")
    assert admin.index("Magento_Backend::myaccount") + 1 == admin.index(
        "Magento_Backend::marketing"
    )
    orders = [node.sort_order for node in magento_tree().children(MAGENTO_ADMIN)]
    assert sorted(orders) == orders


def test_disabling_a_resource_in_a_later_document_drops_its_subtree() -> None:
    disabling = (
        b'<?xml version="1.0"?><config><acl><resources>'
        b'<resource id="Magento_Backend::admin">'
        b'<resource id="Magento_Sales::sales" disabled="true"/>'
        b"</resource></resources></acl></config>"
    )
    full = magento_tree()
    tree = AclTree.from_magento_xml({**documents(), "ZDisable.xml": disabling})
    dropped = {
        "Magento_Sales::sales",
        *(node.id for node in full.descendants("Magento_Sales::sales")),
    }
    assert "Magento_Paypal::authorization" in dropped
    assert set(full.ids) - dropped == set(tree.ids)
    assert len(full) - len(dropped) == len(tree)


def test_the_integration_screen_shows_the_children_of_magento_admin() -> None:
    screen = magento_tree().subtree(MAGENTO_ADMIN)
    assert len(screen) == 229
    assert MAGENTO_ADMIN not in screen
    assert MAGENTO_ALL not in screen
    assert screen.roots[0].id == "Magento_Backend::dashboard"


def test_a_magento_form_post_round_trips_on_the_screen_tree() -> None:
    screen = magento_tree().subtree(MAGENTO_ADMIN)
    posted = [
        MAGENTO_ADMIN,
        "Magento_Sales::sales",
        "Magento_Sales::sales_operation",
        "Magento_Sales::sales_order",
        "Magento_Sales::actions",
        "Magento_Sales::create",
    ]
    selection = ResourceSelection.from_magento(screen, posted)
    assert posted[1:] == selection.to_magento(screen)
    states = selection.check_states(screen)
    assert states["Magento_Sales::create"] is CheckState.CHECKED
    assert states["Magento_Sales::sales"] is CheckState.UNDETERMINED
    assert states["Magento_Catalog::catalog"] is CheckState.UNCHECKED
    permissions = selection.compile(screen)
    assert permissions.is_allowed("Magento_Sales::actions")
    assert not permissions.is_allowed("Magento_Paypal::authorization")
    assert permissions.denied_among(["Magento_Sales::create", "Magento_Sales::invoice"]) == (
        "Magento_Sales::invoice",
    )


def test_granting_a_top_section_allows_its_whole_subtree_on_real_data() -> None:
    screen = magento_tree().subtree(MAGENTO_ADMIN)
    selection = ResourceSelection.custom(screen).grant(screen, "Magento_Sales::sales")
    expected = {"Magento_Sales::sales", *(n.id for n in screen.descendants("Magento_Sales::sales"))}
    assert expected == selection.allowed(screen)
    assert len(expected) > 20
    parents: dict[str, str | None] = {node.id: None for node in screen.roots}
    for resource_id in screen.ids:
        parents.update((child.id, resource_id) for child in screen.children(resource_id))
    assert selection.to_data() == {
        "mode": "custom",
        "allow": ["Magento_Sales::sales"],
        "deny": [],
        "reviewed": dict(sorted(parents.items())),
    }


def test_a_custom_selection_on_the_full_tree_round_trips_through_magento() -> None:
    tree = magento_tree()
    selection = ResourceSelection.all().exclude(tree, "Magento_Sales::sales")
    assert selection.mode is AccessMode.CUSTOM
    back = ResourceSelection.from_magento(tree, selection.to_magento(tree))
    assert selection.canonical(tree) == back

"""AclNode and the opt-in Magento id pattern."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integration_core import AclNode
from integration_core.acl import MAGENTO_RESOURCE_ID

ACL_XSD = re.compile(r"([A-Z]+[a-zA-Z0-9]{1,}){1,}_[A-Z]+[A-Z0-9a-z]{1,}::[A-Za-z_0-9]{1,}")
"""The pattern as acl.xsd states it: exponential on hostile input, fine on short strings."""


@pytest.mark.law
@given(st.text(alphabet="ABab09_:!", max_size=14))
def test_the_magento_id_pattern_accepts_exactly_what_acl_xsd_accepts(text: str) -> None:
    """Rule: ``MAGENTO_RESOURCE_ID`` "accepts exactly what ``acl.xsd``'s [pattern] accepts"."""
    assert (ACL_XSD.fullmatch(text) is None) == (MAGENTO_RESOURCE_ID.fullmatch(text) is None)


@pytest.mark.law
@given(
    st.from_regex(r"[A-Z][a-zA-Z0-9]{1,5}_[A-Z][a-zA-Z0-9]{1,5}::[A-Za-z_0-9]{1,5}", fullmatch=True)
)
def test_well_formed_magento_ids_match_both_patterns(resource_id: str) -> None:
    """
    Rule: a well-formed ``Vendor_Module::name`` id matches both acl.xsd's pattern and
    ``MAGENTO_RESOURCE_ID``.
    """
    assert ACL_XSD.fullmatch(resource_id) is not None
    assert MAGENTO_RESOURCE_ID.fullmatch(resource_id) is not None


def test_a_long_hostile_id_is_rejected() -> None:
    """With the XSD's nested quantifiers this call would take hours; it must simply say no."""
    assert MAGENTO_RESOURCE_ID.fullmatch("A" * 40 + "!") is None
    assert MAGENTO_RESOURCE_ID.fullmatch("A" * 10_000 + "_" + "B" * 10_000 + "::!") is None


@pytest.mark.parametrize(
    ("node", "label"),
    [(AclNode("a", "Alpha"), "Alpha"), (AclNode("a"), "a"), (AclNode("a", ""), "")],
)
def test_the_label_is_the_title_or_else_the_id(node: AclNode, label: str) -> None:
    assert node.label == label


def test_nodes_are_frozen_hashable_values() -> None:
    node = AclNode("a", "A", 3)
    assert {node, AclNode("a", "A", 3)} == {node}
    assert node != AclNode("a", "A", 4)
    with pytest.raises(AttributeError):
        node.title = "B"  # type: ignore[misc]

"""
The walkthrough behind ``python -m integration_core``.

It follows Magento's admin screen: load the ACL, choose Custom resources (a parent
granted, one child left out) and print the tree with its marks.
"""

from __future__ import annotations

from collections.abc import Callable

from integration_core._sample import SAMPLE_ACL_XML
from integration_core._selection import MAGENTO_ADMIN, ResourceSelection
from integration_core._tree import AclTree

__all__ = ["main"]


def main(out: Callable[[str], None] = print) -> None:
    """Run the walkthrough, writing each line through ``out``."""
    acl = AclTree.from_magento_xml(SAMPLE_ACL_XML)
    tree = acl.subtree(MAGENTO_ADMIN)
    out(f"Loaded {len(acl)} ACL resources from {len(SAMPLE_ACL_XML)} acl.xml documents.")
    out(f"The API tab shows the {len(tree)} resources under {MAGENTO_ADMIN}.\n")
    selection = (
        ResourceSelection.custom(tree)
        .grant(tree, "Magento_Sales::sales")
        .exclude(tree, "Magento_Sales::cancel")
    )
    out("Resource Access: Custom -- Sales granted, Cancel left out:")
    out(tree.render(selection))
    permissions = selection.compile(tree)
    out("")
    for resource_id in (
        "Magento_Sales::invoice",
        "Magento_Sales::cancel",
        "Magento_Catalog::products",
    ):
        verdict = "allowed" if permissions.is_allowed(resource_id) else "denied"
        out(f"  {resource_id}: {verdict}")
    out(f"\nMagento's form would post: {selection.to_magento(tree)}")

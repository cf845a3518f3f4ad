"""
Which shape of the Magento tree a Custom selection was decided on: the full tree or the screen's.

Magento's merged ``acl.xml`` tree has ``Magento_Backend::admin`` at the top; its
integration screen shows the resources under it (``subtree(MAGENTO_ADMIN)``). A
selection decided on one shape and checked on the other would quietly lose access:
its decisions on ``Magento_Backend::admin`` vanish on the screen's tree, and on the
full tree every top-level resource of the screen's tree has moved under
``Magento_Backend::admin`` and ``Magento_Backend::admin`` itself is new. A Custom
selection remembers where each resource stood (``reviewed``), so the shape it was
decided on can be told from the selection alone.
"""

from __future__ import annotations

from typing import Final

from integration_core.acl import MAGENTO_ADMIN, AclTree
from integration_core.selection._access import AccessMode
from integration_core.selection._selection import ResourceSelection

__all__ = ["FULL_TREE", "SCREEN_TREE", "decided_on_other_tree"]

FULL_TREE: Final = "the full Magento tree (it holds Magento_Backend::admin)"
SCREEN_TREE: Final = "the screen's tree, subtree(MAGENTO_ADMIN)"


def decided_on_other_tree(selection: ResourceSelection, tree: AclTree) -> str | None:
    """
    The shape ``selection`` was decided on when ``tree`` is the other one, else ``None``.

    Decided on the full tree: it names ``Magento_Backend::admin`` (a decision, or where
    a resource stood) and ``tree`` does not hold it. Decided on the screen's tree: it
    does not name it, yet recorded at the top level a resource that ``tree`` holds
    right under it. All selections, and trees of other shapes, never mismatch.

    Example:
        >>> full = AclTree.from_data([{"id": MAGENTO_ADMIN, "children": [{"id": "sales"}]}])
        >>> screen = full.subtree(MAGENTO_ADMIN)
        >>> decided_on_other_tree(ResourceSelection.custom(full, allow=["sales"]), screen)
        'the full Magento tree (it holds Magento_Backend::admin)'
        >>> decided_on_other_tree(ResourceSelection.custom(screen, allow=["sales"]), full)
        "the screen's tree, subtree(MAGENTO_ADMIN)"
        >>> decided_on_other_tree(ResourceSelection.custom(screen, allow=["sales"]), screen) is None
        True
    """
    if selection.mode is AccessMode.ALL:
        return None
    names_admin = (
        MAGENTO_ADMIN in selection.allow
        or MAGENTO_ADMIN in selection.deny
        or any(MAGENTO_ADMIN in (resource, parent) for resource, parent in selection.reviewed)
    )
    if MAGENTO_ADMIN not in tree:
        return FULL_TREE if names_admin else None
    if names_admin:
        return None
    under_admin = {node.id for node in tree.children(MAGENTO_ADMIN)}
    if any(parent is None and resource in under_admin for resource, parent in selection.reviewed):
        return SCREEN_TREE
    return None

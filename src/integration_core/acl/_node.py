"""The payload of one ACL resource: its id, title and sort order."""

from __future__ import annotations

import re
from typing import Final

import attrs

__all__ = ["MAGENTO_ADMIN", "MAGENTO_ALL", "MAGENTO_RESOURCE_ID", "AclNode"]

MAGENTO_RESOURCE_ID: Final[re.Pattern[str]] = re.compile(
    r"[A-Z][a-zA-Z0-9]+_[A-Z][A-Za-z0-9]+::[A-Za-z_0-9]+"
)
"""
Magento's resource id pattern (``Vendor_Module::name``), for :func:`re.fullmatch`.

Pass it as ``id_pattern=`` to opt in to Magento's id check. It accepts exactly what
``acl.xsd``'s ``([A-Z]+[a-zA-Z0-9]{1,}){1,}_[A-Z]+[A-Z0-9a-z]{1,}::[A-Za-z_0-9]{1,}``
accepts, rewritten without nested quantifiers so that matching is linear: the XSD's
form backtracks exponentially on a hostile id such as ``"A" * 40 + "!"``.

Example:
    >>> bool(MAGENTO_RESOURCE_ID.fullmatch("Magento_Sales::sales"))
    True
    >>> bool(MAGENTO_RESOURCE_ID.fullmatch("sales"))
    False
"""


@attrs.frozen
class AclNode:
    """
    One resource of an :class:`~integration_core.AclTree`: a plain, immutable value.

    Navigation (parent, children, ancestors) is asked of the tree, by id, so a node
    is equal to another node with the same id, title and sort order wherever it sits.

    Attributes:
        id: The resource id, such as ``"Magento_Sales::sales"``.
        title: The title shown in the tree, or ``None`` when no definition gave one.
        sort_order: Siblings are shown by ascending sort order; ties keep input order.

    Example:
        >>> AclNode("Magento_Sales::sales", "Sales", 20)
        AclNode(id='Magento_Sales::sales', title='Sales', sort_order=20)
        >>> AclNode("Magento_Sales::sales").title is None
        True
    """

    id: str
    title: str | None = None
    sort_order: int = 0

    @property
    def label(self) -> str:
        """
        The text a UI shows: the title, or the id when there is no title.

        Example:
            >>> AclNode("a", "Alpha").label, AclNode("b").label
            ('Alpha', 'b')
        """
        return self.id if self.title is None else self.title


MAGENTO_ALL: Final = "Magento_Backend::all"
"""
The id Magento's form posts, alone, for "Resource Access: All".

Example:
    >>> from integration_core import AclTree, ResourceSelection
    >>> ResourceSelection.from_magento(AclTree.from_data([{"id": "a"}]), [MAGENTO_ALL]).mode
    <AccessMode.ALL: 'all'>
"""


MAGENTO_ADMIN: Final = "Magento_Backend::admin"
"""
The root Magento always allows; tolerated in posted lists even when the tree lacks it.

Example:
    >>> from integration_core import AclTree, ResourceSelection
    >>> tree = AclTree.from_data([{"id": "a"}])
    >>> ResourceSelection.from_magento(tree, [MAGENTO_ADMIN, "a"]).to_magento(tree)
    ['a']
"""

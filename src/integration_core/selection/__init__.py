"""
Resource selections on a tree: All or Custom, their rules, diffs and compiled permissions.

Example:
    >>> from integration_core.acl import AclTree
    >>> from integration_core.selection import ResourceSelection
    >>> tree = AclTree.from_data([{"id": "sales", "children": [{"id": "orders"}]}])
    >>> ResourceSelection.custom(tree, allow=["sales"]).compile(tree).is_allowed("orders")
    True
"""

from integration_core.selection._access import AccessMode, Decision
from integration_core.selection._diff import SelectionDiff
from integration_core.selection._permissions import Permissions
from integration_core.selection._selection import ResourceSelection

__all__ = [
    "AccessMode",
    "Decision",
    "Permissions",
    "ResourceSelection",
    "SelectionDiff",
]

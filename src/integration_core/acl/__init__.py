"""
The ACL resource tree: built from nested data, flat records or Magento ``acl.xml``.

An :class:`AclTree` is immutable and laid out once in display order
(:mod:`integration_core.acl.layout`); it draws itself as text, as jstree data and as a
Graphviz picture, each given the check states a selection computes.

Example:
    >>> from integration_core.acl import AclTree
    >>> AclTree.from_data([{"id": "sales", "children": [{"id": "orders"}]}]).ids
    ('sales', 'orders')
"""

from integration_core.acl._anytree import DOT_MAX_DEPTH, ResourceNode
from integration_core.acl._check_state import CheckState, CheckStates
from integration_core.acl._definition import MAX_DEPTH
from integration_core.acl._node import MAGENTO_ADMIN, MAGENTO_ALL, MAGENTO_RESOURCE_ID, AclNode
from integration_core.acl._tree import AclTree

__all__ = [
    "DOT_MAX_DEPTH",
    "MAGENTO_ADMIN",
    "MAGENTO_ALL",
    "MAGENTO_RESOURCE_ID",
    "MAX_DEPTH",
    "AclNode",
    "AclTree",
    "CheckState",
    "CheckStates",
    "ResourceNode",
]

"""Explaining a denial: for each denied resource, the decision of the selection that denies it."""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

from integration_core.acl import MAGENTO_ADMIN, AclTree
from integration_core.errors import InvalidSelectionError
from integration_core.selection import AccessMode, ResourceSelection
from integration_core.selection._permissions import basic_admin
from integration_core.webapi._authorize import RouteDecision
from integration_core.webapi._route import SELF

__all__ = ["DenialCause", "DenialExplanation", "explain"]


class DenialCause(enum.Enum):
    """
    What denies a resource.

    Example:
        >>> DenialCause("unreviewed")
        <DenialCause.UNREVIEWED: 'unreviewed'>
    """

    DECISION = "decision"
    """An explicit deny decision on the resource or on its nearest decided ancestor."""
    UNREVIEWED = "unreviewed"
    """New or moved since the selection was decided: denied until reviewed."""
    NO_DECISION = "no_decision"
    """Neither the resource nor anything above it carries a decision."""
    CUSTOMER_ONLY = "customer_only"
    """The ref ``self``: only a signed-in customer may call the route."""
    NOTHING_ALLOWED = "nothing_allowed"
    """
    ``Magento_Backend::admin`` on a tree without it: nothing is allowed, so Magento does not
    give the basic admin permission it gives every integration that allows a resource.
    """


@attrs.frozen
class DenialExplanation:
    """
    Why one required resource is denied: as data, and as a sentence a merchant reads.

    Attributes:
        resource: The denied ref: an ACL resource id, or ``self``.
        cause: What denies it.
        decided_by: For :attr:`DenialCause.DECISION`, the resource whose deny decision
            applies (the resource itself or an ancestor); else ``None``.
        message: The explanation in the admin screen's words, with titles.

    Example:
        >>> DenialExplanation("self", DenialCause.CUSTOMER_ONLY, None, "...").decided_by is None
        True
    """

    resource: str
    cause: DenialCause
    decided_by: str | None
    message: str


def _name(tree: AclTree, resource_id: str) -> str:
    node = tree[resource_id]
    return f"\u201c{node.title or node.id}\u201d"


def explain(
    decision: RouteDecision | Iterable[str], tree: AclTree, selection: ResourceSelection
) -> tuple[DenialExplanation, ...]:
    """
    Explain each denied resource of ``decision`` (or each of the given ids) for ``selection``.

    A resource's effect is the decision on its nearest ancestor-or-self that has one;
    so a denied resource is denied by that decision, or, if that decision allows, because
    it is new or moved in the tree since the selection was reviewed, or, with no decision
    above it, because nothing grants it. ``Magento_Backend::admin`` on a tree without it
    (the screen's) is denied only when the selection allows nothing at all:
    :attr:`DenialCause.NOTHING_ALLOWED`.

    Raises:
        UnknownResourceError: For an id ``tree`` does not hold.
        InvalidSelectionError: For an id ``selection`` allows on ``tree``: the decision
            was made with other permissions.

    Example:
        >>> from integration_core import AccessMode, AclTree, ResourceSelection
        >>> tree = AclTree.from_data([{"id": "Magento_Catalog::catalog", "title": "Catalog", "children": [
        ...     {"id": "Magento_Catalog::products", "title": "Products", "children": [
        ...         {"id": "Magento_Catalog::update_attributes", "title": "Update Attributes"}]}]}])
        >>> selection = ResourceSelection.custom(tree, allow=["Magento_Catalog::catalog"],
        ...                                      deny=["Magento_Catalog::products"])
        >>> [why] = explain(["Magento_Catalog::update_attributes"], tree, selection)
        >>> why.cause, why.decided_by
        (<DenialCause.DECISION: 'decision'>, 'Magento_Catalog::products')
        >>> print(why.message)
        “Update Attributes” is off because “Products” above it is unticked.
        >>> [why] = explain(["Magento_Backend::admin"], tree, ResourceSelection.custom(tree))
        >>> why.cause
        <DenialCause.NOTHING_ALLOWED: 'nothing_allowed'>
    """
    denied = decision.denied if isinstance(decision, RouteDecision) else tuple(decision)
    unreviewed = selection.unreviewed(tree) if denied else frozenset()
    return tuple(_explain_one(ref, tree, selection, unreviewed) for ref in denied)


def _explain_one(
    ref: str, tree: AclTree, selection: ResourceSelection, unreviewed: frozenset[str]
) -> DenialExplanation:
    if ref == SELF:
        return DenialExplanation(
            ref,
            DenialCause.CUSTOMER_ONLY,
            None,
            "This endpoint serves a signed-in customer's own data; an integration cannot call it.",
        )
    if ref == MAGENTO_ADMIN and ref not in tree:
        if basic_admin(selection.mode, selection.allowed(tree), tree_holds_admin=False):
            raise _allowed_here(ref)
        return DenialExplanation(
            ref,
            DenialCause.NOTHING_ALLOWED,
            None,
            "This endpoint needs Magento's basic admin access, which an integration has as "
            "soon as it allows any resource; this one allows none.",
        )
    decided = selection.allow | selection.deny
    nearest = next(
        (node.id for node in (tree[ref], *tree.ancestors(ref)) if node.id in decided), None
    )
    if nearest is None and selection.mode is AccessMode.CUSTOM:
        return DenialExplanation(
            ref,
            DenialCause.NO_DECISION,
            None,
            f"{_name(tree, ref)} is not ticked, and nothing above it is.",
        )
    if nearest is not None and nearest in selection.deny:
        message = (
            f"{_name(tree, ref)} is unticked."
            if nearest == ref
            else f"{_name(tree, ref)} is off because {_name(tree, nearest)} above it is unticked."
        )
        return DenialExplanation(ref, DenialCause.DECISION, nearest, message)
    if ref in unreviewed:
        return DenialExplanation(
            ref,
            DenialCause.UNREVIEWED,
            None,
            f"{_name(tree, ref)} is new or was moved since these resources were last saved: "
            "it stays off until you review them and save.",
        )
    raise _allowed_here(ref)


def _allowed_here(ref: str) -> InvalidSelectionError:
    return InvalidSelectionError(
        "selection",
        f"{ref!r} is allowed by this selection: the decision came from other permissions",
    )

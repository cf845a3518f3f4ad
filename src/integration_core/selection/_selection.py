"""The All / Custom resource selection and its grant rules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import compress
from typing import Any, Final

import attrs

from integration_core.acl import MAGENTO_ADMIN, MAGENTO_ALL, AclTree, CheckState, CheckStates
from integration_core.acl.layout import Layout
from integration_core.errors import InvalidArgumentError, InvalidSelectionError
from integration_core.selection._access import AccessMode, Decision
from integration_core.selection._diff import SelectionDiff
from integration_core.selection._effects import decisions_for, effects
from integration_core.selection._permissions import Permissions, build_permissions
from integration_core.selection._placement import (
    Placement,
    placed,
    placement_of,
    read_placement,
    stands_as_reviewed,
    unplaced,
)

__all__ = ["ResourceSelection"]


_DATA_KEYS: Final = {
    AccessMode.ALL: frozenset({"mode"}),
    AccessMode.CUSTOM: frozenset({"mode", "allow", "deny", "reviewed"}),
}


def _allow_ids(values: Iterable[str]) -> frozenset[str]:
    return frozenset(_id_list(values, "allow"))


def _deny_ids(values: Iterable[str]) -> frozenset[str]:
    return frozenset(_id_list(values, "deny"))


def _id_list(values: object, field: str) -> tuple[str, ...]:
    """Resource ids as a tuple, refusing a bare string and anything that is not an id."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidSelectionError(
            field, f"expected a collection of resource ids, got {type(values).__name__}"
        )
    ids = tuple(values)
    for value in ids:
        if not isinstance(value, str) or not value:
            raise InvalidSelectionError(field, f"expected non-empty string ids, got {value!r}")
    return ids


def _mode(value: AccessMode) -> AccessMode:
    if not isinstance(value, AccessMode):
        raise InvalidSelectionError("mode", f"expected an AccessMode, got {value!r}")
    return value


@attrs.frozen
class ResourceSelection:
    """
    Which resources an integration may use: **All**, or a **Custom** set of decisions.

    A Custom selection is a set of explicit decisions, allow or deny, on resource ids.
    A resource's effect is the decision on its nearest ancestor-or-self that has one,
    and deny when none has; the order in which decisions were made never matters.
    A Custom selection also remembers the tree it was decided against: each resource
    with its parent (``reviewed``). Resources that appear in the tree later are denied
    until the selection is reviewed against the newer tree, even under an allowed
    parent, and so are resources moved under another parent, with what moved along:
    a change to the tree never widens a Custom selection behind the merchant's back.

    Build selections with :meth:`all`, :meth:`custom`, :meth:`from_magento` or
    :meth:`from_data`; they are immutable, hashable values that never hold the tree.

    Attributes:
        mode: :attr:`AccessMode.ALL` or :attr:`AccessMode.CUSTOM`.
        allow: Ids with an explicit allow decision (Custom only).
        deny: Ids with an explicit deny decision (Custom only).
        reviewed: ``(resource id, parent id or None)`` pairs: where each resource stood
            in the tree the decisions were made against (Custom only). A mapping of
            id to parent id is accepted too.

    Example:
        >>> from integration_core import AclTree
        >>> tree = AclTree.from_data([
        ...     {"id": "sales", "children": [{"id": "orders"}, {"id": "refunds"}]},
        ...     {"id": "catalog"},
        ... ])
        >>> selection = ResourceSelection.custom(tree).grant(tree, "sales").exclude(tree, "refunds")
        >>> sorted(selection.allowed(tree))
        ['orders', 'sales']
        >>> selection.compile(tree).is_allowed("refunds")
        False
    """

    mode: AccessMode = attrs.field(converter=_mode)
    allow: frozenset[str] = attrs.field(default=frozenset(), converter=_allow_ids)
    deny: frozenset[str] = attrs.field(default=frozenset(), converter=_deny_ids)
    reviewed: Placement = attrs.field(default=frozenset(), converter=read_placement)
    _parents: dict[str, str | None] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_parents", dict(self.reviewed))
        if self.mode is AccessMode.ALL and (self.allow or self.deny or self.reviewed):
            raise InvalidSelectionError("mode", "an All selection holds no decisions")
        both = self.allow & self.deny
        if both:
            listed = ", ".join(repr(resource_id) for resource_id in sorted(both))
            raise InvalidSelectionError("allow", f"ids both allowed and denied: {listed}")

    # -- building ---------------------------------------------------------------------------

    @classmethod
    def all(cls) -> ResourceSelection:
        """
        The **All** selection: every resource, including those added to the tree later.

        Example:
            >>> ResourceSelection.all().mode
            <AccessMode.ALL: 'all'>
        """
        return cls(AccessMode.ALL)

    @classmethod
    def custom(
        cls, tree: AclTree, *, allow: Iterable[str] = (), deny: Iterable[str] = ()
    ) -> ResourceSelection:
        """
        A **Custom** selection made of explicit decisions on ``tree``.

        Each decision covers its resource's subtree down to the nearest other decision;
        with nothing allowed, everything is denied.

        Raises:
            UnknownResourceError: Naming every id that is not in ``tree``.
            InvalidSelectionError: If an id is both allowed and denied.

        Example:
            >>> from integration_core import AclTree
            >>> tree = AclTree.from_data([{"id": "p", "children": [{"id": "c", "children": [{"id": "g"}]}]}])
            >>> sorted(ResourceSelection.custom(tree, allow=["p", "g"], deny=["c"]).allowed(tree))
            ['g', 'p']
            >>> ResourceSelection.custom(tree, allow=["x"])
            Traceback (most recent call last):
                ...
            integration_core.errors.UnknownResourceError: unknown resource id: 'x'
        """
        allow, deny = _id_list(allow, "allow"), _id_list(deny, "deny")
        layout = tree.layout
        layout.positions((*allow, *deny))
        return cls(AccessMode.CUSTOM, allow, deny, placement_of(layout))

    def grant(self, tree: AclTree, *resource_ids: str) -> ResourceSelection:
        """
        Tick resources: allow each with its whole subtree, as Magento's tree cascades.

        Decisions inside each ticked subtree are replaced, and the subtree counts as
        reviewed. Granting is monotone: it never removes an allowed resource. On an All
        selection nothing changes.

        Raises:
            UnknownResourceError: Naming every id that is not in ``tree``.

        Example:
            >>> from integration_core import AclTree
            >>> tree = AclTree.from_data([{"id": "p", "children": [{"id": "c"}]}])
            >>> excluded = ResourceSelection.custom(tree, allow=["p"], deny=["c"])
            >>> sorted(excluded.grant(tree, "p").allowed(tree))
            ['c', 'p']
        """
        return self._tick(tree, resource_ids, Decision.ALLOW)

    def exclude(self, tree: AclTree, *resource_ids: str) -> ResourceSelection:
        """
        Untick resources: deny each with its whole subtree.

        Decisions inside each unticked subtree are replaced, and the subtree counts as
        reviewed. Excluding from an All selection first turns it into the Custom
        selection that allows the whole of ``tree``.

        Raises:
            UnknownResourceError: Naming every id that is not in ``tree``.

        Example:
            >>> from integration_core import AclTree
            >>> tree = AclTree.from_data([{"id": "p", "children": [{"id": "c"}, {"id": "d"}]}])
            >>> sorted(ResourceSelection.all().exclude(tree, "c").allowed(tree))
            ['d', 'p']
        """
        return self._tick(tree, resource_ids, Decision.DENY)

    def _tick(
        self, tree: AclTree, resource_ids: Sequence[str], decision: Decision
    ) -> ResourceSelection:
        layout = tree.layout
        positions = layout.positions(resource_ids)
        if self.mode is AccessMode.ALL:
            if decision is Decision.ALLOW:
                return self
            everything = ResourceSelection(
                AccessMode.CUSTOM, (root.id for root in tree.roots), (), placement_of(layout)
            )
            return everything._tick(tree, resource_ids, decision)
        decisions = dict.fromkeys(self.allow, Decision.ALLOW)
        decisions.update(dict.fromkeys(self.deny, Decision.DENY))
        reviewed = dict(self._parents)
        nodes, parents, ends = layout.nodes, layout.parents, layout.ends
        # In display order, a ticked resource inside a subtree ticked before it is already
        # covered by the same decision: skipping it visits every resource once, however many
        # nested ids are ticked (one pass per id would be quadratic on a chain).
        covered = 0
        for position in sorted(set(positions)):
            if position < covered:
                continue
            for inside in range(position, ends[position]):
                resource_id, parent = nodes[inside].id, parents[inside]
                decisions.pop(resource_id, None)
                reviewed[resource_id] = nodes[parent].id if parent >= 0 else None
            decisions[nodes[position].id] = decision
            covered = ends[position]
        return _from_decisions(decisions, reviewed)

    # -- reading ----------------------------------------------------------------------------

    def allowed(self, tree: AclTree) -> frozenset[str]:
        """
        The ids of ``tree`` this selection allows.

        Example:
            >>> from integration_core import AclTree
            >>> tree = AclTree.from_data([{"id": "a", "children": [{"id": "b"}]}])
            >>> sorted(ResourceSelection.all().allowed(tree))
            ['a', 'b']
        """
        layout = tree.layout
        return frozenset(compress(layout.index, self._verdicts(layout)))

    def _verdicts(self, layout: Layout) -> list[bool]:
        """For each position of ``layout``, whether it is allowed."""
        return self._evaluate(layout)[0]

    def _evaluate(self, layout: Layout) -> tuple[list[bool], list[bool] | None]:
        """
        For each position of ``layout``: whether it is allowed, and whether it is reviewed.

        A resource is reviewed when it was reviewed under the parent it has now and,
        unless it carries a decision of its own, its parent is reviewed too: then its
        effect comes from the same decision as when it was reviewed. Only reviewed
        resources may be allowed. When the tree has the shape the selection was
        reviewed against, every resource is reviewed, the verdicts are the effects and
        the second list is ``None``.
        """
        if self.mode is AccessMode.ALL:
            return [True] * len(layout.nodes), None
        verdicts = effects(layout, self.allow, self.deny)
        if stands_as_reviewed(self._parents, layout):
            return verdicts, None
        here = placed(self._parents, self.allow | self.deny, layout)
        return [effect and there for effect, there in zip(verdicts, here, strict=True)], here

    def compile(self, tree: AclTree) -> Permissions:
        """
        Compile this selection on ``tree`` into :class:`Permissions` for O(1) checks.

        Example:
            >>> from integration_core import AclTree
            >>> tree = AclTree.from_data([{"id": "a"}, {"id": "b"}])
            >>> permissions = ResourceSelection.custom(tree, allow=["a"]).compile(tree)
            >>> permissions.is_allowed("a"), permissions.is_allowed("b")
            (True, False)
        """
        layout = tree.layout
        verdicts, placed = self._evaluate(layout)
        # Placed as reviewed, the tree holds exactly the reviewed ids: none of them is missing.
        missing = self._missing(layout, reviewed=placed is not None)
        return build_permissions(
            self.mode, layout.index, verdicts, unplaced(layout, placed), missing
        )

    def check_states(self, tree: AclTree) -> CheckStates:
        """
        The check state of every resource of ``tree``, for tree widgets.

        A resource is checked when it and its whole subtree are allowed, unchecked
        when nothing in its subtree is, and undetermined otherwise. The result is a
        read-only mapping; an id the tree lacks raises ``UnknownResourceError``.

        Example:
            >>> from integration_core import AclTree
            >>> tree = AclTree.from_data([{"id": "p", "children": [{"id": "c"}, {"id": "d"}]}])
            >>> states = ResourceSelection.custom(tree, allow=["c"]).check_states(tree)
            >>> [(resource_id, state.mark) for resource_id, state in states.items()]
            [('p', '[-]'), ('c', '[x]'), ('d', '[ ]')]
        """
        layout = tree.layout
        verdicts = self._verdicts(layout)
        every = list(verdicts)
        some = list(verdicts)
        for position in range(len(verdicts) - 1, 0, -1):
            parent = layout.parents[position]
            if parent >= 0:
                every[parent] = every[parent] and every[position]
                some[parent] = some[parent] or some[position]
        return CheckStates(
            {
                node.id: (
                    CheckState.CHECKED
                    if every[position]
                    else CheckState.UNDETERMINED
                    if some[position]
                    else CheckState.UNCHECKED
                )
                for position, node in enumerate(layout.nodes)
            },
            allowed=compress(layout.index, verdicts),
        )

    def unreviewed(self, tree: AclTree) -> frozenset[str]:
        """
        Resources of ``tree`` this Custom selection was not decided against.

        That is every resource new in ``tree``, every resource now under another
        parent, and, unless they carry a decision of their own, the resources below
        those. They are denied until :meth:`review`; an All selection has none.

        Example:
            >>> from integration_core import AclTree
            >>> old = AclTree.from_data([{"id": "sales"}])
            >>> new = AclTree.from_data([{"id": "sales", "children": [{"id": "sales_new"}]}])
            >>> selection = ResourceSelection.custom(old, allow=["sales"])
            >>> selection.unreviewed(new), sorted(selection.allowed(new))
            (frozenset({'sales_new'}), ['sales'])
        """
        layout = tree.layout
        return unplaced(layout, self._evaluate(layout)[1])

    def missing(self, tree: AclTree) -> frozenset[str]:
        """
        Ids this selection names that are no longer in ``tree``.

        They are dropped from the effective set, never an error when checking.

        Example:
            >>> from integration_core import AclTree
            >>> old = AclTree.from_data([{"id": "a"}, {"id": "b"}])
            >>> ResourceSelection.custom(old, allow=["a", "b"]).missing(AclTree.from_data([{"id": "a"}]))
            frozenset({'b'})
        """
        return self._missing(tree.layout, reviewed=True)

    def _missing(self, layout: Layout, *, reviewed: bool) -> frozenset[str]:
        """The ids of ``allow``, ``deny`` and, if asked, ``reviewed`` that ``layout`` lacks."""
        index = layout.index
        missing = self.allow.difference(index) | self.deny.difference(index)
        return missing | self._parents.keys() - index.keys() if reviewed else missing

    def review(self, tree: AclTree) -> ResourceSelection:
        """
        Mark this selection reviewed against ``tree``.

        Resources new in ``tree``, or moved in it, then follow the decisions on their
        ancestors, and decisions on ids that left the tree are dropped.

        Example:
            >>> from integration_core import AclTree
            >>> old = AclTree.from_data([{"id": "sales"}])
            >>> new = AclTree.from_data([{"id": "sales", "children": [{"id": "sales_new"}]}])
            >>> sorted(ResourceSelection.custom(old, allow=["sales"]).review(new).allowed(new))
            ['sales', 'sales_new']
        """
        if self.mode is AccessMode.ALL:
            return self
        layout = tree.layout
        return ResourceSelection(
            AccessMode.CUSTOM,
            self.allow.intersection(layout.index),
            self.deny.intersection(layout.index),
            placement_of(layout),
        )

    def canonical(self, tree: AclTree) -> ResourceSelection:
        """
        The minimal selection that allows exactly what this one allows on ``tree``.

        Two Custom selections allow the same resources of ``tree`` if and only if their
        canonical forms are equal. All stays All: it also covers resources added later,
        which no Custom selection does.

        Example:
            >>> from integration_core import AclTree
            >>> tree = AclTree.from_data([{"id": "p", "children": [{"id": "c"}]}])
            >>> redundant = ResourceSelection.custom(tree, allow=["p", "c"])
            >>> redundant.canonical(tree) == ResourceSelection.custom(tree, allow=["p"])
            True
        """
        if self.mode is AccessMode.ALL:
            return self
        layout = tree.layout
        return _canonical(layout, self._verdicts(layout))

    def diff(self, other: ResourceSelection, tree: AclTree) -> SelectionDiff:
        """
        What changes on ``tree`` when this selection is replaced by ``other``.

        Raises:
            InvalidArgumentError: ``other`` is not a selection.

        Example:
            >>> from integration_core import AclTree
            >>> tree = AclTree.from_data([{"id": "a"}, {"id": "b"}])
            >>> before = ResourceSelection.custom(tree, allow=["a"])
            >>> before.diff(ResourceSelection.custom(tree, allow=["b"]), tree)
            SelectionDiff(allowed=frozenset({'b'}), denied=frozenset({'a'}))
        """
        if not isinstance(other, ResourceSelection):
            raise InvalidArgumentError(
                "other", f"expected a ResourceSelection, got {type(other).__name__}"
            )
        before, after = self.allowed(tree), other.allowed(tree)
        return SelectionDiff(after - before, before - after)

    # -- interchange ------------------------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        """
        This selection as JSON-safe data, read back losslessly by :meth:`from_data`.

        Example:
            >>> ResourceSelection.all().to_data()
            {'mode': 'all'}
            >>> data = {"mode": "custom", "allow": ["b"], "deny": [], "reviewed": {"a": None, "b": "a"}}
            >>> ResourceSelection.from_data(data).to_data()
            {'mode': 'custom', 'allow': ['b'], 'deny': [], 'reviewed': {'a': None, 'b': 'a'}}
        """
        if self.mode is AccessMode.ALL:
            return {"mode": AccessMode.ALL.value}
        return {
            "mode": AccessMode.CUSTOM.value,
            "allow": sorted(self.allow),
            "deny": sorted(self.deny),
            "reviewed": dict(sorted(self._parents.items())),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> ResourceSelection:
        """
        Read a selection from the data :meth:`to_data` made.

        Ids are not checked against a tree here: stored selections may name resources
        that have since left it (see :meth:`missing`).

        Raises:
            InvalidSelectionError: Naming the offending key.

        Example:
            >>> ResourceSelection.from_data({"mode": "all"}) == ResourceSelection.all()
            True
            >>> ResourceSelection.from_data({"mode": "custom", "allow": "a", "deny": [], "reviewed": {}})
            Traceback (most recent call last):
                ...
            integration_core.errors.InvalidSelectionError: allow: expected a list of resource ids, got str
        """
        if not isinstance(data, Mapping):
            raise InvalidSelectionError("data", f"expected a mapping, got {type(data).__name__}")
        try:
            mode = AccessMode(data.get("mode"))
        except ValueError:
            raise InvalidSelectionError(
                "mode", f"expected 'all' or 'custom', got {data.get('mode')!r}"
            ) from None
        expected = _DATA_KEYS[mode]
        if set(data) != expected:
            unknown = sorted(map(str, set(data) - expected))
            missing = sorted(expected - set(data))
            field = unknown[0] if unknown else missing[0]
            reason = (
                f"unknown key for mode {mode.value!r}" if unknown else "required key is missing"
            )
            raise InvalidSelectionError(field, reason)
        if mode is AccessMode.ALL:
            return cls.all()
        reviewed = data["reviewed"]
        if not isinstance(reviewed, Mapping):
            raise InvalidSelectionError(
                "reviewed",
                f"expected a mapping of resource id to parent id, got {type(reviewed).__name__}",
            )
        return cls(mode, _read_ids(data, "allow"), _read_ids(data, "deny"), reviewed)

    @classmethod
    def from_magento(cls, tree: AclTree, resource_ids: Iterable[str]) -> ResourceSelection:
        """
        Read the ``resource[]`` list Magento's admin form posts.

        ``["Magento_Backend::all"]`` means All. Any other list is the set of allowed
        resources (Magento posts the ancestors of ticked resources too); the result is
        the canonical Custom selection allowing exactly that set.
        ``Magento_Backend::admin``, which Magento always allows, is tolerated when the
        tree does not hold it. ``Magento_Backend::all`` inside a longer list is an
        ordinary resource of a full Magento tree, never All: reading it as All would
        turn a Custom selection of such a tree that denies something into one that
        allows everything.

        Raises:
            UnknownResourceError: Naming every other id that is not in ``tree``.

        Example:
            >>> from integration_core import AclTree
            >>> tree = AclTree.from_data([{"id": "p", "children": [{"id": "c"}, {"id": "d"}]}])
            >>> selection = ResourceSelection.from_magento(tree, ["Magento_Backend::admin", "p", "c"])
            >>> selection.to_magento(tree)
            ['p', 'c']
            >>> ResourceSelection.from_magento(tree, ["Magento_Backend::all"]).mode
            <AccessMode.ALL: 'all'>
        """
        layout = tree.layout
        tolerated = [
            resource_id
            for resource_id in _id_list(resource_ids, "resource")
            if not (resource_id == MAGENTO_ADMIN and MAGENTO_ADMIN not in tree)
        ]
        if tolerated == [MAGENTO_ALL]:
            return cls.all()
        chosen = set(layout.positions(tolerated))
        return _canonical(layout, [position in chosen for position in range(len(layout.nodes))])

    def to_magento(self, tree: AclTree) -> list[str]:
        """
        The ``resource[]`` list Magento's form would post: the allowed ids in display order.

        On a full Magento tree, which holds the ``Magento_Backend::all`` node, a Custom
        selection allowing nothing but that node posts ``["Magento_Backend::all"]``:
        Magento reads that as All, and so does :meth:`from_magento`.

        Example:
            >>> from integration_core import AclTree
            >>> tree = AclTree.from_data([{"id": "p", "children": [{"id": "c"}]}])
            >>> ResourceSelection.custom(tree, allow=["p"]).to_magento(tree)
            ['p', 'c']
            >>> ResourceSelection.all().to_magento(tree)
            ['Magento_Backend::all']
        """
        if self.mode is AccessMode.ALL:
            return [MAGENTO_ALL]
        layout = tree.layout
        return list(compress(layout.index, self._verdicts(layout)))


def _read_ids(data: Mapping[str, Any], field: str) -> frozenset[str]:
    values = data[field]
    if not isinstance(values, list | tuple):
        raise InvalidSelectionError(
            field, f"expected a list of resource ids, got {type(values).__name__}"
        )
    return frozenset(_id_list(values, field))


def _from_decisions(
    decisions: Mapping[str, Decision], reviewed: Mapping[str, str | None]
) -> ResourceSelection:
    return ResourceSelection(
        AccessMode.CUSTOM,
        (resource_id for resource_id, decision in decisions.items() if decision is Decision.ALLOW),
        (resource_id for resource_id, decision in decisions.items() if decision is Decision.DENY),
        reviewed,
    )


def _canonical(layout: Layout, verdicts: Sequence[bool]) -> ResourceSelection:
    """The minimal Custom selection, reviewed against ``layout``, allowing exactly ``verdicts``."""
    allow, deny = decisions_for(layout, verdicts)
    return ResourceSelection(AccessMode.CUSTOM, allow, deny, placement_of(layout))

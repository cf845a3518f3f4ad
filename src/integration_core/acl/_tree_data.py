"""Parse ACL trees from nested data and from flat parent-linked records."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import accumulate
from typing import Any, Final

from integration_core.acl._definition import MAX_DEPTH, Draft, Where, check_depth, check_id
from integration_core.acl._node import AclNode
from integration_core.errors import AclDefinitionError

__all__ = ["parse_data", "parse_records"]

_NESTED_KEYS: Final = frozenset({"id", "title", "sort_order", "children"})
_RECORD_KEYS: Final = frozenset({"id", "parent", "title", "sort_order"})


def parse_data(
    data: Sequence[Mapping[str, Any]], id_pattern: re.Pattern[str] | None
) -> tuple[list[AclNode], list[int]]:
    """
    Parse nested resource mappings, refusing anything ambiguous, and lay them out.

    Resources are read in input pre-order into flat lists of strings and ints, with no
    container per resource, so a cyclic garbage collection running during a large build
    has little to traverse. A resource's location, for an error message, is rebuilt from
    its parent's position and its number among its siblings.

    Returns:
        As :func:`~integration_core.acl._definition.flatten`: the nodes in display order, and
        for each the position of its parent (``-1`` for a root).
    """
    forest = _Forest(id_pattern)
    pending: list[tuple[object, int, int]] = []
    forest.push(pending, data, -1)
    ids, titles, orders, parents, depths = (
        forest.ids,
        forest.titles,
        forest.orders,
        forest.parents,
        forest.depths,
    )
    numbers, seen, keys = forest.numbers, forest.seen, _NESTED_KEYS
    while pending:
        item, parent, number = pending.pop()
        depth = 1 if parent < 0 else depths[parent] + 1
        # The common case, checked at once; anything else takes the detailed path,
        # which raises the precise error or accepts what this test is too strict for.
        if type(item) is dict and "id" in item and item.keys() <= keys:
            resource_id = item["id"]
            title = item.get("title")
            sort_order = item.get("sort_order", 0)
            if (
                type(resource_id) is str
                and resource_id
                and resource_id.strip() == resource_id
                and (id_pattern is None or id_pattern.fullmatch(resource_id) is not None)
                and (title is None or type(title) is str)
                and type(sort_order) is int
                and resource_id not in seen
                and depth <= MAX_DEPTH
            ):
                seen[resource_id] = len(ids)
                ids.append(resource_id)
                titles.append(title)
                orders.append(sort_order)
                parents.append(parent)
                numbers.append(number)
                depths.append(depth)
                children = item.get("children", ())
                if type(children) is list:
                    position = len(ids) - 1
                    pending.extend(
                        [
                            (children[child], position, child)
                            for child in range(len(children) - 1, -1, -1)
                        ]
                    )
                    continue
                forest.push(pending, children, len(ids) - 1)
                continue
        forest.push(pending, forest.parse_item(item, parent, number, depth), len(ids) - 1)
    return forest.layout()


class _Forest:
    """Resources parsed so far, position for position in input pre-order."""

    __slots__ = ("depths", "id_pattern", "ids", "numbers", "orders", "parents", "seen", "titles")

    def __init__(self, id_pattern: re.Pattern[str] | None) -> None:
        self.id_pattern = id_pattern
        self.ids: list[str] = []
        self.titles: list[str | None] = []
        self.orders: list[int] = []
        self.parents: list[int] = []
        self.numbers: list[int] = []
        """Each resource's number among its siblings in the input."""
        self.depths: list[int] = []
        self.seen: dict[str, int] = {}

    def where(self, parent: int, number: int) -> Where:
        """The location of the resource numbered ``number`` among the children of ``parent``."""
        chain = [number]
        while parent >= 0:
            chain.append(self.numbers[parent])
            parent = self.parents[parent]
        where = Where(None, "data")
        prefix = ""
        for step in reversed(chain):
            where = Where(where, f"{prefix}[{step}]")
            prefix = ".children"
        return where

    def where_of(self, position: int) -> Where:
        """The location of the resource parsed at ``position``."""
        return self.where(self.parents[position], self.numbers[position])

    def push(self, pending: list[tuple[object, int, int]], items: object, parent: int) -> None:
        """Queue the children of ``parent`` (the top-level resources for ``-1``), first on top."""
        if not isinstance(items, Sequence) or isinstance(items, str | bytes):
            top = parent < 0
            raise AclDefinitionError(
                f"{'data' if top else 'children'} must be a list of resources, "
                f"got {type(items).__name__}",
                resource_id=None if top else self.ids[parent],
                source="data" if top else str(self.where_of(parent)),
            )
        pending.extend(
            [(items[number], parent, number) for number in range(len(items) - 1, -1, -1)]
        )

    def parse_item(self, item: object, parent: int, number: int, depth: int) -> object:
        """Check and record one resource in detail; its children, still to be checked."""
        where = self.where(parent, number)
        if not isinstance(item, Mapping):
            raise AclDefinitionError(
                f"a resource must be a mapping, got {type(item).__name__}", source=str(where)
            )
        if "id" not in item:
            raise AclDefinitionError("a resource needs an 'id'", source=str(where))
        resource_id = check_id(item["id"], where, self.id_pattern)
        _refuse_unknown_keys(item, _NESTED_KEYS, resource_id, where)
        if resource_id in self.seen:
            raise AclDefinitionError(
                f"duplicate resource id {resource_id!r} "
                f"(first declared at {self.where_of(self.seen[resource_id])})",
                resource_id=resource_id,
                source=str(where),
            )
        check_depth(resource_id, depth, where)
        title, sort_order = _read_title_and_sort_order(resource_id, item, where)
        self.seen[resource_id] = len(self.ids)
        self.ids.append(resource_id)
        self.titles.append(title)
        self.orders.append(sort_order)
        self.parents.append(parent)
        self.numbers.append(number)
        self.depths.append(depth)
        return item.get("children", ())

    def layout(self) -> tuple[list[AclNode], list[int]]:
        """The nodes in display order, and for each the position of its parent."""
        ids, titles, orders, parents = self.ids, self.titles, self.orders, self.parents
        if len(set(orders)) <= 1:  # no sibling to reorder: display order is input order
            return list(map(AclNode, ids, titles, orders)), parents
        count = len(ids)
        # Grouped by parent (the roots first), siblings by sort order, ties in input order.
        order = sorted(range(count), key=orders.__getitem__)
        order.sort(key=parents.__getitem__)
        child_counts = [0] * count
        for parent in parents:
            if parent >= 0:
                child_counts[parent] += 1
        roots = count - sum(child_counts)
        starts = list(accumulate(child_counts, initial=roots))
        nodes: list[AclNode] = []
        placed = [0] * count
        laid_parents: list[int] = []
        stack = order[:roots][::-1]
        while stack:
            position = stack.pop()
            placed[position] = len(nodes)
            parent = parents[position]
            laid_parents.append(-1 if parent < 0 else placed[parent])
            nodes.append(AclNode(ids[position], titles[position], orders[position]))
            stack.extend(order[starts[position] : starts[position + 1]][::-1])
        return nodes, laid_parents


def _refuse_unknown_keys(
    item: Mapping[Any, Any], allowed: frozenset[str], resource_id: str, where: Where
) -> None:
    unknown = sorted(repr(key) for key in item if key not in allowed)
    if unknown:
        raise AclDefinitionError(
            f"resource {resource_id!r} has unknown keys: {', '.join(unknown)}",
            resource_id=resource_id,
            source=str(where),
        )


def _read_payload(draft: Draft, item: Mapping[str, Any]) -> None:
    draft.title, draft.sort_order = _read_title_and_sort_order(draft.id, item, draft.where)


def _read_title_and_sort_order(
    resource_id: str, item: Mapping[str, Any], where: Where
) -> tuple[str | None, int]:
    title = item.get("title")
    if title is not None and not isinstance(title, str):
        raise AclDefinitionError(
            f"title of {resource_id!r} must be a string or None, got {type(title).__name__}",
            resource_id=resource_id,
            source=str(where),
        )
    sort_order = item.get("sort_order", 0)
    if not isinstance(sort_order, int) or isinstance(sort_order, bool):
        raise AclDefinitionError(
            f"sort_order of {resource_id!r} must be an int, got {type(sort_order).__name__}",
            resource_id=resource_id,
            source=str(where),
        )
    return title, sort_order


def parse_records(records: object, id_pattern: re.Pattern[str] | None) -> list[Draft]:
    """Parse flat ``{id, parent, title, sort_order}`` records, refusing cycles and orphans."""
    if not isinstance(records, Sequence) or isinstance(records, str | bytes):
        raise AclDefinitionError(
            f"records must be a list of resources, got {type(records).__name__}", source="records"
        )
    top = Where(None, "records")
    numbered: dict[str, tuple[int, Mapping[str, Any]]] = {}
    for number, record in enumerate(records):
        where = Where(top, f"[{number}]")
        if not isinstance(record, Mapping):
            raise AclDefinitionError(
                f"a resource must be a mapping, got {type(record).__name__}", source=str(where)
            )
        if "id" not in record:
            raise AclDefinitionError("a resource needs an 'id'", source=str(where))
        resource_id = check_id(record["id"], where, id_pattern)
        _refuse_unknown_keys(record, _RECORD_KEYS, resource_id, where)
        if resource_id in numbered:
            raise AclDefinitionError(
                f"duplicate resource id {resource_id!r} "
                f"(first declared at records[{numbered[resource_id][0]}])",
                resource_id=resource_id,
                source=str(where),
            )
        numbered[resource_id] = (number, record)
    return _link_records(numbered, top)


def _link_records(numbered: dict[str, tuple[int, Mapping[str, Any]]], top: Where) -> list[Draft]:
    children: dict[str | None, list[str]] = {}
    for resource_id, (number, record) in numbered.items():
        parent = record.get("parent")
        if parent is not None and not isinstance(parent, str):
            raise AclDefinitionError(
                f"parent of {resource_id!r} must be an id or None, got {type(parent).__name__}",
                resource_id=resource_id,
                source=str(Where(top, f"[{number}]")),
            )
        if parent is not None and parent not in numbered:
            raise AclDefinitionError(
                f"parent {parent!r} of {resource_id!r} is not among the records",
                resource_id=resource_id,
                source=str(Where(top, f"[{number}]")),
            )
        children.setdefault(parent, []).append(resource_id)
    roots: list[Draft] = []
    pending: list[tuple[str, Draft | None]] = [
        (resource_id, None) for resource_id in reversed(children.get(None, []))
    ]
    while pending:
        resource_id, parent = pending.pop()
        number, record = numbered.pop(resource_id)
        draft = Draft(resource_id, Where(top, f"[{number}]"), parent)
        _read_payload(draft, record)
        (roots if parent is None else parent.children).append(draft)
        pending.extend((child, draft) for child in reversed(children.get(resource_id, [])))
    if numbered:
        raise _cycle_error(numbered, top)
    return roots


def _cycle_error(
    unreached: dict[str, tuple[int, Mapping[str, Any]]], top: Where
) -> AclDefinitionError:
    """Every record left unreached from a root sits on, or hangs below, a parent cycle."""
    start = min(unreached, key=lambda resource_id: unreached[resource_id][0])
    path = [start]
    on_path = {start}
    current = unreached[start][1]["parent"]
    while current not in on_path:
        path.append(current)
        on_path.add(current)
        current = unreached[current][1]["parent"]
    cycle = [*path[path.index(current) :], current]
    first = cycle[0]
    return AclDefinitionError(
        f"resource {first!r} is in a parent cycle: {' -> '.join(cycle)}",
        resource_id=first,
        source=str(Where(top, f"[{unreached[first][0]}]")),
    )

"""Parse ACL trees from nested data and from flat parent-linked records."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

from integration_core._definition import Draft, Where, check_id
from integration_core.errors import AclDefinitionError

__all__ = ["parse_data", "parse_records"]

_NESTED_KEYS: Final = frozenset({"id", "title", "sort_order", "children"})
_RECORD_KEYS: Final = frozenset({"id", "parent", "title", "sort_order"})


def parse_data(
    data: Sequence[Mapping[str, Any]], id_pattern: re.Pattern[str] | None
) -> list[Draft]:
    """Parse nested resource mappings into drafts, refusing anything ambiguous."""
    top = Where(None, "data")
    roots: list[Draft] = []
    seen: dict[str, Draft] = {}
    pending: list[tuple[object, Where, Draft | None]] = []
    _push_items(pending, data, top, None)
    while pending:
        item, where, parent = pending.pop()
        draft, children = _parse_item(item, where, parent, id_pattern, seen)
        (roots if parent is None else parent.children).append(draft)
        _push_items(pending, children, where, draft)
    return roots


def _push_items(
    pending: list[tuple[object, Where, Draft | None]],
    items: object,
    where: Where,
    parent: Draft | None,
) -> None:
    if not isinstance(items, Sequence) or isinstance(items, str | bytes):
        label = "data" if parent is None else "children"
        raise AclDefinitionError(
            f"{label} must be a list of resources, got {type(items).__name__}",
            resource_id=None if parent is None else parent.id,
            source=str(where),
        )
    prefix = "" if parent is None else ".children"
    pending.extend(
        (items[number], Where(where, f"{prefix}[{number}]"), parent)
        for number in range(len(items) - 1, -1, -1)
    )


def _parse_item(
    item: object,
    where: Where,
    parent: Draft | None,
    id_pattern: re.Pattern[str] | None,
    seen: dict[str, Draft],
) -> tuple[Draft, object]:
    if not isinstance(item, Mapping):
        raise AclDefinitionError(
            f"a resource must be a mapping, got {type(item).__name__}", source=str(where)
        )
    if "id" not in item:
        raise AclDefinitionError("a resource needs an 'id'", source=str(where))
    resource_id = check_id(item["id"], where, id_pattern)
    _refuse_unknown_keys(item, _NESTED_KEYS, resource_id, where)
    if resource_id in seen:
        raise AclDefinitionError(
            f"duplicate resource id {resource_id!r} (first declared at {seen[resource_id].where})",
            resource_id=resource_id,
            source=str(where),
        )
    draft = Draft(resource_id, where, parent)
    _read_payload(draft, item)
    seen[resource_id] = draft
    return draft, item.get("children", ())


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
    title = item.get("title")
    if title is not None and not isinstance(title, str):
        raise AclDefinitionError(
            f"title of {draft.id!r} must be a string or None, got {type(title).__name__}",
            resource_id=draft.id,
            source=str(draft.where),
        )
    sort_order = item.get("sort_order", 0)
    if not isinstance(sort_order, int) or isinstance(sort_order, bool):
        raise AclDefinitionError(
            f"sort_order of {draft.id!r} must be an int, got {type(sort_order).__name__}",
            resource_id=draft.id,
            source=str(draft.where),
        )
    draft.title = title
    draft.sort_order = sort_order


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

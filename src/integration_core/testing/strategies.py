"""
Hypothesis strategies for property-based tests of code built on integration-core.

Draw resource ids, ACL tree definitions, trees, grown trees and resource selections,
and state your own laws about them. The module needs ``hypothesis`` (the
``testing`` extra).

Example:
    >>> from hypothesis import given
    >>> from integration_core.testing.strategies import trees_with_selections
    >>> @given(trees_with_selections())
    ... def test_compiled_permissions_agree_with_allowed(pair):
    ...     tree, selection = pair
    ...     permissions = selection.compile(tree)
    ...     assert {i for i in tree.ids if permissions.is_allowed(i)} == selection.allowed(tree)
    >>> test_compiled_permissions_agree_with_allowed()
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from integration_core.acl import AclTree
from integration_core.credentials import IssuedToken, Secret, digest
from integration_core.integrations import (
    EMAIL_MAX,
    Integration,
    IntegrationForm,
    IntegrationStatus,
    PendingExchange,
    SetupType,
    check_name,
)
from integration_core.selection import AccessMode, ResourceSelection
from integration_core.testing.builders import sample_issuer

__all__ = [
    "acl_trees",
    "extended_trees",
    "integration_emails",
    "integration_forms",
    "integration_names",
    "integration_urls",
    "integrations",
    "magento_resource_ids",
    "reshaped_trees",
    "resource_ids",
    "selections",
    "tree_data",
    "tree_records",
    "trees_with_selections",
]

# -- ACL trees and resource selections ---------------------------------------------------------

_SORT_ORDERS = st.integers(min_value=-3, max_value=3)
"""A narrow range, so that siblings often tie on sort order."""

_TITLES = st.none() | st.text(min_size=0, max_size=12)


def magento_resource_ids() -> st.SearchStrategy[str]:
    """
    Ids in Magento's ``Vendor_Module::name`` form, matching ``MAGENTO_RESOURCE_ID``.

    Example:
        >>> from hypothesis import find
        >>> from integration_core.acl import MAGENTO_RESOURCE_ID
        >>> resource_id = find(magento_resource_ids(), lambda resource_id: True)
        >>> MAGENTO_RESOURCE_ID.fullmatch(resource_id) is not None
        True
    """
    return st.from_regex(
        r"[A-Z][a-z0-9]{1,6}_[A-Z][a-zA-Z0-9]{1,8}::[a-z_0-9]{1,10}", fullmatch=True
    )


def resource_ids() -> st.SearchStrategy[str]:
    """
    Valid resource ids: non-empty strings without surrounding whitespace.

    Mixes Magento-style ids with arbitrary Unicode ones (inner spaces, ``::``,
    punctuation, non-ASCII letters), since the library accepts any such id.

    Example:
        >>> from hypothesis import find
        >>> from integration_core.acl import MAGENTO_RESOURCE_ID
        >>> resource_id = find(resource_ids(), lambda found: not MAGENTO_RESOURCE_ID.fullmatch(found))
        >>> resource_id == resource_id.strip() != ""
        True
    """
    anything = (
        st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=10)
        .map(str.strip)
        .filter(bool)
    )
    return magento_resource_ids() | anything


@st.composite
def tree_data(
    draw: st.DrawFn,
    *,
    max_nodes: int = 20,
    max_depth: int = 5,
    ids: st.SearchStrategy[str] | None = None,
) -> list[dict[str, Any]]:
    """
    Nested resource data as :meth:`AclTree.from_data` reads it.

    Ids are unique; sort orders come from a narrow range so that siblings tie often;
    titles are ``None`` or any text; the keys ``title``, ``sort_order`` and
    ``children`` are sometimes left out, as a caller may do.

    Args:
        draw: Supplied by Hypothesis.
        max_nodes: The most resources in the whole forest.
        max_depth: The most levels (a top-level resource is level 1).
        ids: The strategy for ids; :func:`resource_ids` by default.

    Example:
        >>> from hypothesis import find
        >>> from integration_core import AclTree
        >>> data = find(tree_data(max_depth=3), lambda data: any(item.get("children") for item in data))
        >>> max(AclTree.from_data(data).depth(i) for i in AclTree.from_data(data).ids) >= 1
        True
    """
    chosen = draw(
        st.lists(ids or resource_ids(), unique=True, max_size=max_nodes),
    )
    items: list[dict[str, Any]] = []
    depths: list[int] = []
    roots: list[dict[str, Any]] = []
    for resource_id in chosen:
        item: dict[str, Any] = {"id": resource_id}
        if draw(st.booleans()):
            item["title"] = draw(_TITLES)
        if draw(st.booleans()):
            item["sort_order"] = draw(_SORT_ORDERS)
        parents = [number for number, depth in enumerate(depths) if depth < max_depth]
        parent = draw(st.none() | st.sampled_from(parents)) if parents else None
        if parent is None:
            roots.append(item)
            depths.append(1)
        else:
            items[parent].setdefault("children", []).append(item)
            depths.append(depths[parent] + 1)
        items.append(item)
    return roots


@st.composite
def tree_records(
    draw: st.DrawFn, *, max_nodes: int = 20, max_depth: int = 5
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """
    The same forest twice: as nested data, and as flat records in a random order.

    Records are ``{"id", "parent", "title", "sort_order"}`` mappings, as
    :meth:`AclTree.from_records` reads them. Siblings keep their relative order
    in the records, so both forms build equal trees.

    Example:
        >>> from hypothesis import find
        >>> from integration_core import AclTree
        >>> data, records = find(tree_records(), lambda pair: len(pair[1]) >= 2)
        >>> AclTree.from_data(data) == AclTree.from_records(records)
        True
    """
    data = draw(tree_data(max_nodes=max_nodes, max_depth=max_depth))
    flat: list[dict[str, Any]] = []
    pending: list[tuple[dict[str, Any], str | None]] = [(item, None) for item in reversed(data)]
    while pending:
        item, parent = pending.pop()
        flat.append(
            {
                "id": item["id"],
                "parent": parent,
                "title": item.get("title"),
                "sort_order": item.get("sort_order", 0),
            }
        )
        pending.extend((child, item["id"]) for child in reversed(item.get("children", [])))
    # Shuffle, but keep each parent's children in their relative order (ties depend on it).
    shuffled = draw(st.permutations(range(len(flat))))
    slot_of = {number: slot for slot, number in enumerate(shuffled)}
    families: dict[str | None, list[int]] = {}
    for number, record in enumerate(flat):
        families.setdefault(record["parent"], []).append(number)
    records: list[dict[str, Any]] = list(flat)
    for family in families.values():
        for slot, number in zip(sorted(slot_of[n] for n in family), family, strict=True):
            records[slot] = flat[number]
    return data, records


def acl_trees(
    *, max_nodes: int = 20, max_depth: int = 5, ids: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[AclTree]:
    """
    ACL trees built from :func:`tree_data`.

    Example:
        >>> from hypothesis import find
        >>> tree = find(acl_trees(max_nodes=6), lambda tree: len(tree.roots) == 2)
        >>> len(tree.roots)
        2
    """
    return tree_data(max_nodes=max_nodes, max_depth=max_depth, ids=ids).map(AclTree.from_data)


@st.composite
def selections(draw: st.DrawFn, tree: AclTree, *, include_all: bool = True) -> ResourceSelection:
    """
    Resource selections on ``tree``: All, or Custom with random allow/deny decisions.

    A Custom selection starts from random explicit decisions and then goes through a
    few random :meth:`~ResourceSelection.grant` and :meth:`~ResourceSelection.exclude`
    ticks, as a user clicking the tree would.

    Args:
        draw: Supplied by Hypothesis.
        tree: The tree the selection is made on.
        include_all: Whether All selections may be drawn.

    Example:
        >>> from hypothesis import find
        >>> from integration_core import AccessMode, AclTree
        >>> tree = AclTree.from_data([{"id": "p", "children": [{"id": "c"}, {"id": "d"}]}])
        >>> selection = find(selections(tree), lambda s: s.allowed(tree) == {"p", "c"})
        >>> selection.mode, sorted(selection.allowed(tree))
        (<AccessMode.CUSTOM: 'custom'>, ['c', 'p'])
    """
    if include_all and draw(st.integers(0, 5)) == 0:
        return ResourceSelection.all()
    ids = tree.ids
    decided: dict[str, bool] = (
        draw(st.dictionaries(st.sampled_from(ids), st.booleans(), max_size=len(ids))) if ids else {}
    )
    selection = ResourceSelection.custom(
        tree,
        allow=[resource_id for resource_id, allow in decided.items() if allow],
        deny=[resource_id for resource_id, allow in decided.items() if not allow],
    )
    ticks = (
        draw(st.lists(st.tuples(st.booleans(), st.sampled_from(ids)), max_size=4)) if ids else []
    )
    for grant, resource_id in ticks:
        selection = (selection.grant if grant else selection.exclude)(tree, resource_id)
    assert selection.mode is AccessMode.CUSTOM  # noqa: S101  # custom() and ticks keep Custom
    return selection


def trees_with_selections(
    *, max_nodes: int = 20, max_depth: int = 5, include_all: bool = True
) -> st.SearchStrategy[tuple[AclTree, ResourceSelection]]:
    """
    A tree and a selection made on it.

    Example:
        >>> from hypothesis import find
        >>> tree, selection = find(trees_with_selections(), lambda pair: len(pair[1].allowed(pair[0])) == 3)
        >>> len(selection.allowed(tree))
        3
    """
    return acl_trees(max_nodes=max_nodes, max_depth=max_depth).flatmap(
        lambda tree: st.tuples(st.just(tree), selections(tree, include_all=include_all))
    )


@st.composite
def extended_trees(draw: st.DrawFn, tree: AclTree, *, max_new: int = 5) -> AclTree:
    """
    ``tree`` with up to ``max_new`` new resources added anywhere, as a module upgrade would.

    New resources get ids not in ``tree``; they may nest under each other.

    Example:
        >>> from hypothesis import find
        >>> from integration_core import AclTree
        >>> tree = AclTree.from_data([{"id": "sales"}])
        >>> newer = find(extended_trees(tree), lambda newer: len(newer) == 3)
        >>> set(tree.ids) < set(newer.ids)
        True
    """
    new_ids = draw(
        st.lists(
            resource_ids().filter(lambda resource_id: resource_id not in tree),
            unique=True,
            max_size=max_new,
        )
    )
    data = tree.to_data()
    items: list[dict[str, Any]] = []
    pending: list[Sequence[dict[str, Any]]] = [data]
    while pending:
        for item in pending.pop():
            items.append(item)
            pending.append(item["children"])
    for resource_id in new_ids:
        item = {
            "id": resource_id,
            "title": draw(_TITLES),
            "sort_order": draw(_SORT_ORDERS),
            "children": [],
        }
        siblings = (
            data if not items else draw(st.sampled_from([data, *(i["children"] for i in items)]))
        )
        siblings.insert(draw(st.integers(0, len(siblings))), item)
        items.append(item)
    return AclTree.from_data(data)


@st.composite
def reshaped_trees(draw: st.DrawFn, tree: AclTree, *, max_moves: int = 3) -> AclTree:
    """
    ``tree`` with up to ``max_moves`` resources moved, each with its subtree, under another parent.

    A resource may become a root, or move under any resource outside its own subtree, as
    a module upgrade that reorganises the ACL would; the set of ids stays the same.

    Example:
        >>> from hypothesis import find
        >>> from integration_core import AclTree
        >>> tree = AclTree.from_data([{"id": "a"}, {"id": "b"}])
        >>> moved = find(reshaped_trees(tree), lambda moved: moved.parent("b") is not None)
        >>> moved.parent("b").id, sorted(moved.ids) == sorted(tree.ids)
        ('a', True)
    """
    data = tree.to_data()
    for _ in range(draw(st.integers(0, max_moves)) if len(tree) else 0):
        # Every item with the sibling list that holds it, in pre-order.
        placed: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
        pending: list[list[dict[str, Any]]] = [data]
        while pending:
            siblings = pending.pop()
            for item in siblings:
                placed.append((item, siblings))
                pending.append(item["children"])
        item, siblings = draw(st.sampled_from(placed))
        inside: set[int] = set()
        pending = [[item]]
        while pending:
            for member in pending.pop():
                inside.add(id(member))
                pending.append(member["children"])
        targets = [data, *(other["children"] for other, _ in placed if id(other) not in inside)]
        siblings.remove(item)
        target = draw(st.sampled_from(targets))
        target.insert(draw(st.integers(0, len(target))), item)
    return AclTree.from_data(data)


# -- Integrations and forms --------------------------------------------------------------------

_HOSTS = st.from_regex(r"[a-z][a-z0-9]{0,10}(\.[a-z][a-z0-9]{0,10}){0,2}\.example", fullmatch=True)
_PATHS = st.from_regex(r"(/[a-z0-9_-]{1,10}){0,3}/?", fullmatch=True)
_CREDENTIALS = st.text(alphabet="0123456789abcdefghijklmnopqrstuvwxyz", min_size=32, max_size=32)
_TIMES = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


def integration_names() -> st.SearchStrategy[str]:
    """
    Valid integration names: trimmed, 1 to 255 characters, no control or invisible characters.

    Example:
        >>> from hypothesis import find
        >>> find(integration_names(), lambda name: len(name) > 3) == find(integration_names(), lambda name: len(name) > 3)
        True
    """
    characters = st.characters(blacklist_categories=("Cc", "Cs"))
    names = st.text(characters, min_size=1, max_size=40).map(str.strip)
    return names.filter(lambda name: bool(name) and not check_name(name))


def integration_emails() -> st.SearchStrategy[str]:
    """
    Valid contact emails of at most 254 characters.

    Example:
        >>> from hypothesis import find
        >>> "@" in find(integration_emails(), lambda email: True)
        True
    """
    return st.emails().filter(lambda email: len(email) <= EMAIL_MAX)


def integration_urls(*, secure: bool | None = None) -> st.SearchStrategy[str]:
    """
    Valid callback / identity link URLs; ``secure`` picks the scheme (default: either).

    Example:
        >>> from hypothesis import find
        >>> find(integration_urls(secure=False), lambda url: True)
        'http://a.example'
    """
    schemes = {True: ("https",), False: ("http",), None: ("http", "https")}[secure]
    return st.builds(
        lambda scheme, host, path: f"{scheme}://{host}{path}",
        st.sampled_from(schemes),
        _HOSTS,
        _PATHS,
    )


@st.composite
def integration_forms(draw: st.DrawFn, tree: AclTree) -> IntegrationForm:
    """
    Valid admin forms on ``tree``, with optional fields sometimes blank.

    Example:
        >>> from hypothesis import find
        >>> from integration_core import AclTree
        >>> tree = AclTree.from_data([{"id": "sales"}])
        >>> form = find(integration_forms(tree), lambda form: form.callback_url != "")
        >>> form.callback_url
        'http://a.example'
    """
    blank = st.just("")
    return IntegrationForm(
        name=draw(integration_names()),
        email=draw(blank | integration_emails()),
        callback_url=draw(blank | integration_urls()),
        identity_link_url=draw(blank | integration_urls()),
        selection=draw(st.none() | selections(tree)),
    )


@st.composite
def integrations(draw: st.DrawFn, tree: AclTree | None = None) -> Integration:
    """
    Never-stored integrations in any state, for repository and serialization laws.

    The selection is All, or (given ``tree``) any selection on it. An active one has
    an access-token digest; an inactive one may have an exchange in progress.

    Example:
        >>> from hypothesis import find
        >>> find(integrations(), lambda i: i.exchange is not None).status.label
        'Inactive'
    """
    status = draw(st.sampled_from(IntegrationStatus))
    created = draw(_TIMES)
    issuer = sample_issuer()
    stored = st.builds(
        lambda token, secret: issuer.store(IssuedToken(Secret(token), Secret(secret))),
        _CREDENTIALS,
        _CREDENTIALS,
    )
    exchange = None
    if status is IntegrationStatus.INACTIVE and draw(st.booleans()):
        request = draw(st.none() | stored)
        exchange = PendingExchange(
            verifier_digest=digest(draw(_CREDENTIALS)),
            started_at=draw(_TIMES),
            request_token=request,
            request_token_issued_at=None if request is None else draw(_TIMES),
            failed_attempts=draw(st.integers(min_value=0, max_value=4)),
        )
    return Integration(
        id=draw(_CREDENTIALS),
        name=draw(integration_names()),
        email=draw(st.none() | integration_emails()),
        callback_url=draw(st.none() | integration_urls()),
        identity_link_url=draw(st.none() | integration_urls()),
        status=status,
        setup_type=draw(st.sampled_from(SetupType)),
        selection=ResourceSelection.all() if tree is None else draw(selections(tree)),
        consumer=issuer.consumer(draw(_CREDENTIALS)),
        created_at=created,
        updated_at=created
        + draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=9))),
        access=draw(stored) if status is IntegrationStatus.ACTIVE else None,
        exchange=exchange,
    )

"""The immutable ACL resource tree."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

from integration_core.acl._anytree import ResourceNode, anytree_roots, dot_source
from integration_core.acl._check_state import CheckState
from integration_core.acl._definition import flatten
from integration_core.acl._magento_xml import parse_magento_xml
from integration_core.acl._node import AclNode
from integration_core.acl._render import (
    RenderStyle,
    display_text,
    render_jstree,
    render_text,
    state_list,
)
from integration_core.acl._tree_data import parse_data, parse_records
from integration_core.acl._xml_documents import named_documents
from integration_core.acl.layout import Layout
from integration_core.errors import AclDefinitionError

__all__ = ["AclTree"]


class AclTree:
    """
    An immutable forest of ACL resources, in display order.

    Build it from nested data (:meth:`from_data`), from flat parent links
    (:meth:`from_records`) or from Magento ``acl.xml`` documents
    (:meth:`from_magento_xml`). Siblings are ordered by sort order, ties keeping their
    input order. Lookups, parent, depth and membership are O(1); descendants are a
    slice. Nothing recurses, so trees 100,000 levels deep are fine.

    Example:
        >>> tree = AclTree.from_data([
        ...     {"id": "Sales", "children": [
        ...         {"id": "Orders", "sort_order": 20},
        ...         {"id": "Invoices", "sort_order": 10},
        ...     ]},
        ... ])
        >>> tree.ids
        ('Sales', 'Invoices', 'Orders')
        >>> tree["Orders"], tree.parent("Orders").id, tree.depth("Orders")
        (AclNode(id='Orders', title=None, sort_order=20), 'Sales', 1)
        >>> len(tree), "Invoices" in tree, "Refunds" in tree
        (3, True, False)
    """

    __slots__ = ("_hash", "_layout")

    _layout: Layout
    _hash: int | None

    def __init__(self) -> None:
        msg = "build an AclTree with AclTree.from_data, from_records or from_magento_xml"
        raise TypeError(msg)

    @classmethod
    def _from_layout(cls, nodes: Sequence[AclNode], parents: Sequence[int]) -> AclTree:
        tree = object.__new__(cls)
        tree._layout = Layout.of(nodes, parents)
        tree._hash = None
        return tree

    @property
    def layout(self) -> Layout:
        """
        The tree laid out in display order: the kernel selections and renderers compute on.

        Example:
            >>> tree = AclTree.from_data([{"id": "a", "children": [{"id": "b"}]}, {"id": "c"}])
            >>> tree.layout.parents, tree.layout.ends
            ((-1, 0, -1), (2, 2, 3))
        """
        return self._layout

    @classmethod
    def from_data(
        cls, data: Sequence[Mapping[str, Any]], *, id_pattern: re.Pattern[str] | None = None
    ) -> AclTree:
        """
        Build a tree from nested data, as :meth:`to_data` exports it.

        Each resource is a mapping with an ``id`` and optionally a ``title`` (a string or
        ``None``), a ``sort_order`` (an int, default 0) and ``children`` (a list of
        resources). Other keys are refused, so a typo cannot pass unnoticed.

        Args:
            data: The top-level resources.
            id_pattern: When given, every id must match it entirely, for example
                :data:`~integration_core.MAGENTO_RESOURCE_ID`.

        Raises:
            AclDefinitionError: Naming the offending id and its path, such as
                ``data[0].children[2]``: wrong types, empty or padded ids, ids repeated
                anywhere in the tree, unknown keys, or nesting deeper than
                :data:`~integration_core.MAX_DEPTH`.

        Example:
            >>> AclTree.from_data([{"id": "a", "children": [{"id": "b", "title": "Bee"}]}]).to_data()
            [{'id': 'a', 'title': None, 'sort_order': 0, 'children': [{'id': 'b', 'title': 'Bee', 'sort_order': 0, 'children': []}]}]
        """
        return cls._from_layout(*parse_data(data, id_pattern))

    @classmethod
    def from_records(
        cls, records: Sequence[Mapping[str, Any]], *, id_pattern: re.Pattern[str] | None = None
    ) -> AclTree:
        """
        Build a tree from flat records that link each resource to its parent.

        This is the shape a host keeps in a database table. Each record is a mapping
        with an ``id``, a ``parent`` (an id, or ``None`` for a top-level resource) and
        optionally a ``title`` and a ``sort_order``. Records may come in any order;
        ties in sort order keep the records' order.

        Raises:
            AclDefinitionError: As :meth:`from_data`, and also for a parent that is not
                among the records and for parent links that form a cycle.

        Example:
            >>> AclTree.from_records([
            ...     {"id": "child", "parent": "root"},
            ...     {"id": "root", "parent": None, "title": "Root"},
            ... ]).ids
            ('root', 'child')
            >>> AclTree.from_records([{"id": "a", "parent": "b"}, {"id": "b", "parent": "a"}])
            Traceback (most recent call last):
                ...
            integration_core.errors.AclDefinitionError: records[0]: resource 'a' is in a parent cycle: a -> b -> a
        """
        return cls._from_layout(*flatten(parse_records(records, id_pattern)))

    @classmethod
    def from_magento_xml(
        cls,
        documents: Mapping[str, str | bytes] | Sequence[str | bytes] | str | bytes,
        *,
        id_pattern: re.Pattern[str] | None = None,
    ) -> AclTree:
        """
        Build a tree from Magento ``acl.xml`` documents, merged as Magento merges them.

        A document may re-open a resource another one declared by repeating its id
        under the same parent (titles and sort orders may be left out there), and nest
        new resources under it. ``sortOrder`` orders siblings, ties keeping the order in
        which resources were first declared; ``disabled="true"`` drops a resource with
        its subtree. DTDs and entities are refused, so hostile XML cannot expand or
        reach out.

        Args:
            documents: One document, a sequence of documents (named ``documents[0]``
                and so on in errors), or a mapping from a name (used in error messages,
                such as ``"Magento_Backend/etc/acl.xml"``) to its text or bytes, in
                merge order.
            id_pattern: When given, every id must match it, for example
                :data:`~integration_core.MAGENTO_RESOURCE_ID`.

        Raises:
            AclDefinitionError: Naming the document and element path: malformed or
                hostile XML, unexpected elements, missing or invalid attributes, an id
                declared under two different parents, or nesting deeper than
                :data:`~integration_core.MAX_DEPTH`.

        Example:
            >>> tree = AclTree.from_magento_xml({
            ...     "Backend.xml": '''<config><acl><resources>
            ...         <resource id="Magento_Backend::admin" title="Magento Admin">
            ...             <resource id="Magento_Backend::system" title="System" sortOrder="80"/>
            ...         </resource></resources></acl></config>''',
            ...     "Integration.xml": '''<config><acl><resources>
            ...         <resource id="Magento_Backend::admin">
            ...             <resource id="Magento_Backend::system">
            ...                 <resource id="Magento_Integration::integrations" title="Integrations"/>
            ...             </resource>
            ...         </resource></resources></acl></config>''',
            ... })
            >>> print(tree.render())
            Magento Admin (Magento_Backend::admin)
            └── System (Magento_Backend::system)
                └── Integrations (Magento_Integration::integrations)
        """
        named = named_documents(documents, "acl.xml")
        if named is None:
            raise AclDefinitionError(
                "documents must be a str, bytes, a sequence or a mapping of them, "
                f"got {type(documents).__name__}",
                source="documents",
            )
        return cls._from_layout(*flatten(parse_magento_xml(named, id_pattern)))

    def to_data(self) -> list[dict[str, Any]]:
        """
        Export the tree as nested data that :meth:`from_data` reads back to an equal tree.

        Every resource has all four keys: ``id``, ``title``, ``sort_order`` and
        ``children``; the result is JSON-safe.

        Example:
            >>> tree = AclTree.from_data([{"id": "a", "title": "A", "sort_order": 1}])
            >>> tree.to_data()
            [{'id': 'a', 'title': 'A', 'sort_order': 1, 'children': []}]
            >>> AclTree.from_data(tree.to_data()) == tree
            True
        """
        layout = self._layout
        exported: list[dict[str, Any]] = []
        siblings: list[list[dict[str, Any]]] = []
        for position, node in enumerate(layout.nodes):
            item: dict[str, Any] = {
                "id": node.id,
                "title": node.title,
                "sort_order": node.sort_order,
                "children": [],
            }
            parent = layout.parents[position]
            (exported if parent < 0 else siblings[parent]).append(item)
            siblings.append(item["children"])
        return exported

    def subtree(self, resource_id: str) -> AclTree:
        """
        The resources under ``resource_id`` (not itself) as a tree of their own.

        Magento's integration screen shows the children of ``Magento_Backend::admin``
        this way.

        Raises:
            UnknownResourceError: If ``resource_id`` is not in the tree.

        Example:
            >>> tree = AclTree.from_data([
            ...     {"id": "all"},
            ...     {"id": "admin", "children": [{"id": "sales", "children": [{"id": "orders"}]}]},
            ... ])
            >>> tree.subtree("admin").ids, tree.subtree("admin").roots
            (('sales', 'orders'), (AclNode(id='sales', title=None, sort_order=0),))
        """
        layout = self._layout
        top = layout.position(resource_id)
        start, end = top + 1, layout.ends[top]
        parents = [-1 if parent == top else parent - start for parent in layout.parents[start:end]]
        return AclTree._from_layout(layout.nodes[start:end], parents)

    @property
    def ids(self) -> tuple[str, ...]:
        """
        Every resource id, in display order.

        Example:
            >>> AclTree.from_data([{"id": "b", "sort_order": 2}, {"id": "a", "sort_order": 1}]).ids
            ('a', 'b')
        """
        return tuple(self._layout.index)

    @property
    def roots(self) -> tuple[AclNode, ...]:
        """
        The top-level resources, in display order.

        Example:
            >>> AclTree.from_data([{"id": "a", "children": [{"id": "b"}]}, {"id": "c"}]).roots
            (AclNode(id='a', title=None, sort_order=0), AclNode(id='c', title=None, sort_order=0))
        """
        nodes = self._layout.nodes
        return tuple(nodes[position] for position in self._layout.root_positions())

    def __getitem__(self, resource_id: str) -> AclNode:
        return self._layout.nodes[self._layout.position(resource_id)]

    @overload
    def get(self, resource_id: object) -> AclNode | None: ...
    @overload
    def get(self, resource_id: object, default: AclNode) -> AclNode: ...
    def get(self, resource_id: object, default: AclNode | None = None) -> AclNode | None:
        """
        The resource with ``resource_id``, or ``default`` when there is none.

        Example:
            >>> AclTree.from_data([{"id": "a"}]).get("b") is None
            True
        """
        position = self._layout.index.get(resource_id) if isinstance(resource_id, str) else None
        return default if position is None else self._layout.nodes[position]

    def __contains__(self, resource_id: object) -> bool:
        return isinstance(resource_id, str) and resource_id in self._layout.index

    def __len__(self) -> int:
        return len(self._layout.nodes)

    def __iter__(self) -> Iterator[AclNode]:
        return iter(self._layout.nodes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AclTree):
            return NotImplemented
        return (
            self._layout.nodes == other._layout.nodes
            and self._layout.parents == other._layout.parents
        )

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash((self._layout.nodes, self._layout.parents))
        return self._hash

    def __repr__(self) -> str:
        roots = ", ".join(repr(root.id) for root in self.roots)
        return f"<AclTree of {len(self)} resources, roots: {roots}>"

    def parent(self, resource_id: str) -> AclNode | None:
        """
        The parent of ``resource_id``, or ``None`` for a top-level resource.

        Example:
            >>> tree = AclTree.from_data([{"id": "a", "children": [{"id": "b"}]}])
            >>> tree.parent("b").id, tree.parent("a")
            ('a', None)
        """
        parent = self._layout.parents[self._layout.position(resource_id)]
        return None if parent < 0 else self._layout.nodes[parent]

    def children(self, resource_id: str) -> tuple[AclNode, ...]:
        """
        The children of ``resource_id``, in display order.

        Example:
            >>> tree = AclTree.from_data([{"id": "a", "children": [{"id": "b"}, {"id": "c"}]}])
            >>> [child.id for child in tree.children("a")]
            ['b', 'c']
        """
        layout = self._layout
        return tuple(
            layout.nodes[child] for child in layout.child_positions(layout.position(resource_id))
        )

    def ancestors(self, resource_id: str) -> tuple[AclNode, ...]:
        """
        The ancestors of ``resource_id``, nearest first.

        Example:
            >>> tree = AclTree.from_data([{"id": "a", "children": [{"id": "b", "children": [{"id": "c"}]}]}])
            >>> [node.id for node in tree.ancestors("c")]
            ['b', 'a']
        """
        layout = self._layout
        found: list[AclNode] = []
        parent = layout.parents[layout.position(resource_id)]
        while parent >= 0:
            found.append(layout.nodes[parent])
            parent = layout.parents[parent]
        return tuple(found)

    def descendants(self, resource_id: str) -> tuple[AclNode, ...]:
        """
        Every resource under ``resource_id``, in display order.

        Example:
            >>> tree = AclTree.from_data([{"id": "a", "children": [{"id": "b", "children": [{"id": "c"}]}]}])
            >>> [node.id for node in tree.descendants("a")]
            ['b', 'c']
        """
        layout = self._layout
        position = layout.position(resource_id)
        return layout.nodes[position + 1 : layout.ends[position]]

    def depth(self, resource_id: str) -> int:
        """
        The number of ancestors of ``resource_id``: 0 for a top-level resource.

        Example:
            >>> tree = AclTree.from_data([{"id": "a", "children": [{"id": "b"}]}])
            >>> tree.depth("a"), tree.depth("b")
            (0, 1)
        """
        layout = self._layout
        depth = 0
        parent = layout.parents[layout.position(resource_id)]
        while parent >= 0:
            depth += 1
            parent = layout.parents[parent]
        return depth

    def render(
        self, states: Mapping[str, CheckState] | None = None, *, style: RenderStyle = "guides"
    ) -> str:
        """
        Draw the tree as text, one resource a line, in anytree's style.

        Given check states (a selection's :meth:`~integration_core.ResourceSelection.check_states`),
        each line starts with its state: ``[x]`` checked (the resource and its whole
        subtree allowed), ``[-]`` undetermined (mixed), ``[ ]`` unchecked (nothing allowed).

        The guides indent each line by its depth, so the text of a deep tree grows with
        the square of its depth (a chain 8,000 deep: some 128 million characters). ``style="depth"``
        starts each line with its depth as a number instead: the text stays linear in
        the size of the tree, however deep.

        Raises:
            InvalidSelectionError: ``states`` lacks a resource of the tree.
            InvalidArgumentError: ``style`` is neither ``"guides"`` nor ``"depth"``.

        Example:
            >>> from integration_core import ResourceSelection
            >>> tree = AclTree.from_data([
            ...     {"id": "sales", "title": "Sales", "children": [
            ...         {"id": "orders", "title": "Orders"}, {"id": "refunds", "title": "Refunds"}]},
            ... ])
            >>> selection = ResourceSelection.custom(tree, allow=["sales"], deny=["refunds"])
            >>> print(tree.render(selection.check_states(tree)))
            [-] Sales (sales)
            ├── [x] Orders (orders)
            └── [ ] Refunds (refunds)
            >>> print(tree.render(style="depth"))
            0 Sales (sales)
            1 Orders (orders)
            1 Refunds (refunds)
        """
        return render_text(self._layout, states, style)

    def to_jstree(self, states: Mapping[str, CheckState] | None = None) -> list[dict[str, Any]]:
        """
        Export the tree as the JSON data the jstree widget (Magento's tree) consumes.

        Each resource becomes ``{"id", "text", "children", "state": {"selected",
        "opened", "undetermined"}}``. ``selected`` is whether the resource itself is
        allowed, so a parent allowed with its children denied is selected and a child
        allowed alone selects no parent: the widget configured by
        :mod:`integration_core.acl.widget` posts exactly the allowed set back.
        ``undetermined`` is what that widget draws so (not allowed, something below is);
        nodes with a mixed subtree are ``opened``, so that the mix shows. Without states
        all are ``False``. Check states that are not a selection's and hold an
        undetermined resource are refused: they cannot say whether it is allowed itself.
        ``text`` is the title (or the id), HTML-escaped, because jstree renders it as
        HTML unless told ``core.force_text``; titles come from modules' ``acl.xml``.

        Raises:
            InvalidSelectionError: Naming ``states`` when they miss a resource, or are
                plain states holding an undetermined one.
            AclDefinitionError: When the tree holds the id ``#``, jstree's own root.

        Example:
            >>> from integration_core import ResourceSelection
            >>> tree = AclTree.from_data([{"id": "a", "title": "A", "children": [{"id": "b"}]}])
            >>> tree.to_jstree(ResourceSelection.custom(tree, allow=["b"]).check_states(tree))
            [{'id': 'a', 'text': 'A', 'state': {'selected': False, 'opened': True, 'undetermined': True}, 'children': [{'id': 'b', 'text': 'b', 'state': {'selected': True, 'opened': False, 'undetermined': False}, 'children': []}]}]
        """
        return render_jstree(self._layout, states)

    def to_anytree(
        self, states: Mapping[str, CheckState] | None = None
    ) -> tuple[ResourceNode, ...]:
        """
        A fresh copy of the tree as anytree nodes, for anytree's iterators, resolvers and exporters.

        Each :class:`~integration_core.acl.ResourceNode` is named by its resource id and
        carries the :class:`AclNode` and, given check states, its state. The copy is the
        caller's: changing it changes no tree. anytree's own iterators recurse, so walk
        trees deeper than about 900 levels with the tree's methods instead.

        Raises:
            InvalidSelectionError: ``states`` lacks a resource of the tree.

        Example:
            >>> from anytree import RenderTree
            >>> from integration_core import ResourceSelection
            >>> tree = AclTree.from_data([{"id": "sales", "children": [{"id": "orders"}, {"id": "refunds"}]}])
            >>> states = ResourceSelection.custom(tree, allow=["orders"]).check_states(tree)
            >>> (sales,) = tree.to_anytree(states)
            >>> for prefix, _, node in RenderTree(sales):
            ...     print(f"{prefix}{node.name} {node.state.mark}")
            sales [-]
            ├── orders [x]
            └── refunds [ ]
        """
        listed = None if states is None else state_list(self._layout, states)
        return anytree_roots(self._layout, listed)

    def to_dot(self, states: Mapping[str, CheckState] | None = None) -> str:
        """
        Draw the tree as a Graphviz DOT digraph, through anytree's ``DotExporter``.

        Resources are boxes, left to right under a "Resources" heading; given check
        states, each label starts with its mark and the box is filled green (checked),
        amber (undetermined) or white (unchecked). ``dot -Tsvg`` renders it.

        Raises:
            InvalidSelectionError: ``states`` lacks a resource of the tree.
            AclDefinitionError: The tree is deeper than
                :data:`~integration_core.acl.DOT_MAX_DEPTH` levels (naming the first
                resource that deep): anytree's exporter recurses.

        Example:
            >>> from integration_core import ResourceSelection
            >>> tree = AclTree.from_data([{"id": "sales", "title": "Sales", "children": [{"id": "orders"}]}])
            >>> print(tree.to_dot(ResourceSelection.custom(tree, allow=["sales"]).check_states(tree)))
            digraph acl {
                rankdir=LR;
                node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];
                "r0" [label="Resources", shape=plaintext, style=""];
                "r1" [label="[x] Sales (sales)", fillcolor="#b7e1a1"];
                "r2" [label="[x] orders", fillcolor="#b7e1a1"];
                "r0" -> "r1";
                "r1" -> "r2";
            }
        """
        layout = self._layout
        listed = None if states is None else state_list(layout, states)
        return dot_source(layout, listed, [display_text(node) for node in layout.nodes])

"""
Parse and merge Magento ``acl.xml`` documents, safely.

Parsing streams through defusedxml's expat parser into a small state machine, so no
element tree is built, nothing recurses, and DTDs, entities and external references
are refused before they can expand or reach out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from integration_core.acl._definition import Draft, Where, check_id
from integration_core.acl._xml_documents import parse_document
from integration_core.errors import AclDefinitionError

__all__ = ["parse_magento_xml"]

_LAYOUT: Final = ("config", "acl", "resources")
_ATTRIBUTES: Final = frozenset({"id", "title", "translate", "sortOrder", "disabled"})
_XS_BOOLEANS: Final = frozenset({"true", "1", "false", "0"})
_XS_INT: Final = re.compile(r"[ \t\r\n]*[+-]?0*[0-9]{1,10}[ \t\r\n]*", re.ASCII)
_XS_INT_RANGE: Final = range(-(2**31), 2**31)


def parse_magento_xml(
    documents: Mapping[str, object], id_pattern: re.Pattern[str] | None
) -> list[Draft]:
    """Parse ``documents`` in order and merge them into one forest of drafts."""
    merger = _Merger(id_pattern)
    for name, document in documents.items():
        merger.read(name, document)
    return merger.result()


class _Merger:
    """Merges resources by id across documents, the way Magento's config merger does."""

    def __init__(self, id_pattern: re.Pattern[str] | None) -> None:
        self.id_pattern = id_pattern
        self.roots: list[Draft] = []
        self.registry: dict[str, Draft] = {}
        self.disabled: dict[str, bool] = {}

    def read(self, name: str, document: object) -> None:
        parse_document(
            document, _Document(self, name), lambda reason: AclDefinitionError(reason, source=name)
        )

    def declare(
        self, attributes: Mapping[str, str], where: Where, parent: Draft | None, seen_here: set[str]
    ) -> Draft:
        unknown = sorted(set(attributes) - _ATTRIBUTES)
        if "id" not in attributes:
            raise AclDefinitionError("<resource> needs an 'id' attribute", source=str(where))
        resource_id = check_id(attributes["id"], where, self.id_pattern)
        if unknown:
            raise AclDefinitionError(
                f"resource {resource_id!r} has unknown attributes: {', '.join(unknown)}",
                resource_id=resource_id,
                source=str(where),
            )
        if resource_id in seen_here:
            raise AclDefinitionError(
                f"duplicate resource id {resource_id!r} within one document",
                resource_id=resource_id,
                source=str(where),
            )
        seen_here.add(resource_id)
        draft = self.registry.get(resource_id)
        if draft is None:
            draft = Draft(resource_id, where, parent)
            self.registry[resource_id] = draft
            (self.roots if parent is None else parent.children).append(draft)
        elif draft.parent is not parent:
            raise AclDefinitionError(
                f"resource {resource_id!r} is declared under {_name(parent)} here "
                f"but under {_name(draft.parent)} at {draft.where}",
                resource_id=resource_id,
                source=str(where),
            )
        self._apply(draft, attributes, where)
        return draft

    def _apply(self, draft: Draft, attributes: Mapping[str, str], where: Where) -> None:
        if "title" in attributes:
            draft.title = attributes["title"]
        if "sortOrder" in attributes:
            text = attributes["sortOrder"]
            if _XS_INT.fullmatch(text) is None or int(text) not in _XS_INT_RANGE:
                raise AclDefinitionError(
                    f"sortOrder of {draft.id!r} must be an xs:int, got {text!r}",
                    resource_id=draft.id,
                    source=str(where),
                )
            draft.sort_order = int(text)
        if "disabled" in attributes:
            text = attributes["disabled"]
            if text.strip() not in _XS_BOOLEANS:
                raise AclDefinitionError(
                    f"disabled of {draft.id!r} must be a boolean, got {text!r}",
                    resource_id=draft.id,
                    source=str(where),
                )
            # Magento's converter reads the merged attribute as `nodeValue == 'true'`: "1" and
            # " true" pass its schema but drop nothing. The last document to set it wins.
            self.disabled[draft.id] = text == "true"

    def result(self) -> list[Draft]:
        """The merged forest, without disabled resources and their subtrees."""
        if any(self.disabled.values()):
            self.roots = [root for root in self.roots if not self.disabled.get(root.id)]
            for draft in self.registry.values():
                draft.children = [
                    child for child in draft.children if not self.disabled.get(child.id)
                ]
        return self.roots


def _name(draft: Draft | None) -> str:
    return "the top level" if draft is None else repr(draft.id)


class _Document:
    """An expat target that checks one document's layout and feeds its resources to the merger."""

    def __init__(self, merger: _Merger, name: str) -> None:
        self.merger = merger
        self.where = Where(None, f"{name}: ")
        self.tags: list[str] = []
        self.drafts: list[Draft | None] = []
        self.counts: list[dict[str, int]] = [{}]
        self.seen: set[str] = set()

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        depth = len(self.tags)
        counts = self.counts[-1]
        counts[tag] = counts.get(tag, 0) + 1
        self.where = Where(self.where, f"/{tag}[{counts[tag]}]")
        expected = _LAYOUT[depth] if depth < len(_LAYOUT) else "resource"
        if tag != expected:
            raise AclDefinitionError(
                f"unexpected element <{tag}>, expected <{expected}>", source=str(self.where)
            )
        self.tags.append(tag)
        self.counts.append({})
        parent = self.drafts[-1] if self.drafts else None
        if tag == "resource":
            self.drafts.append(self.merger.declare(attributes, self.where, parent, self.seen))
        elif depth == len(_LAYOUT) - 1:
            self.drafts.append(None)

    def end(self, tag: str) -> None:
        if tag == "resource" or len(self.tags) == len(_LAYOUT):
            self.drafts.pop()
        self.tags.pop()
        self.counts.pop()
        assert self.where.parent is not None  # noqa: S101  # every end matches a start
        self.where = self.where.parent

    def data(self, text: str) -> None:
        if text.strip():
            raise AclDefinitionError(f"unexpected text {text.strip()!r}", source=str(self.where))

    def close(self) -> None:
        """Nothing to hand back: the merger holds the result."""

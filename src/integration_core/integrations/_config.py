"""
Configuration integrations: definitions from data or Magento ``integration.xml``, and their sync.

Syncing is idempotent: new definitions are created inactive, unchanged ones are left
alone, changed ones are recreated with new credentials and status ``RESET`` (only on
a real change, unlike Magento #11374 / #12095), and configuration integrations no
longer defined are reported, not deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from xml.etree.ElementTree import Element, TreeBuilder

import attrs

from integration_core.acl import MAGENTO_ADMIN, MAGENTO_ALL, AclTree
from integration_core.acl._xml_documents import named_documents, parse_document
from integration_core.errors import (
    IntegrationConfigError,
    UnknownResourceError,
)
from integration_core.selection import ResourceSelection

__all__ = ["ConfigIntegration"]

_KEYS = ("name", "email", "endpoint_url", "identity_link_url", "resources")
_TEXT_ELEMENTS = ("email", "endpoint_url", "identity_link_url")


def _names(values: Iterable[str]) -> tuple[str, ...]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise IntegrationConfigError(
            "resources", f"expected a list of strings, got {type(values).__name__}"
        )
    names = tuple(values)
    for position, value in enumerate(names):
        if not isinstance(value, str):
            raise IntegrationConfigError(
                f"resources[{position}]", f"expected a string, got {type(value).__name__}"
            )
    return names


def _text(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise IntegrationConfigError(
            attribute.name, f"expected a string, got {type(value).__name__}"
        )


@attrs.frozen
class ConfigIntegration:
    """
    One integration declared in configuration (Magento's ``etc/integration.xml``).

    Fields are checked when synced, all definitions at once: a name of at least 2
    characters, a required email, optional URLs under the service's URL policy, and
    resources the tree holds.

    Example:
        >>> from integration_core import AclTree
        >>> tree = AclTree.from_data([{"id": "sales", "children": [{"id": "orders"}, {"id": "refunds"}]}])
        >>> definition = ConfigIntegration("ERP", "erp@example.com", resources=["orders"])
        >>> sorted(definition.selection(tree).allowed(tree))
        ['orders', 'sales']
    """

    name: str = attrs.field(validator=_text)
    email: str = attrs.field(default="", validator=_text)
    endpoint_url: str = attrs.field(default="", validator=_text)
    identity_link_url: str = attrs.field(default="", validator=_text)
    resources: tuple[str, ...] = attrs.field(default=(), converter=_names)

    def selection(self, tree: AclTree) -> ResourceSelection:
        """
        The listed resources and every ancestor of each, as Magento's converter grants.

        Raises:
            UnknownResourceError: Naming every listed id the tree does not hold.

        Example:
            >>> from integration_core import AclTree
            >>> tree = AclTree.from_data([{"id": "sales", "children": [{"id": "invoice"}]}])
            >>> ConfigIntegration("ERP", resources=["invoice"]).selection(tree).to_magento(tree)
            ['sales', 'invoice']
            >>> ConfigIntegration("ERP", resources=["invoice", "refunds"]).selection(tree)
            Traceback (most recent call last):
                ...
            integration_core.errors.UnknownResourceError: unknown resource id: 'refunds'
        """
        unknown = [
            resource_id
            for resource_id in self.resources
            if resource_id not in tree and resource_id not in {MAGENTO_ADMIN, MAGENTO_ALL}
        ]
        if unknown:
            raise UnknownResourceError(unknown)
        layout = tree.layout
        granted: set[str] = set()
        for resource_id in self.resources:
            position = layout.index.get(resource_id)
            # Stop at the first ancestor already granted: its own ancestors are granted too,
            # so every resource is visited once however deep the tree and long the list.
            while position is not None and layout.nodes[position].id not in granted:
                granted.add(layout.nodes[position].id)
                parent = layout.parents[position]
                position = parent if parent >= 0 else None
        granted.update(self.resources)
        return ResourceSelection.from_magento(tree, granted)

    @classmethod
    def from_data(cls, data: Sequence[Mapping[str, Any]]) -> tuple[ConfigIntegration, ...]:
        """
        Read definitions from plain data: a list of mappings.

        The keys are ``name``, ``email``, ``endpoint_url``, ``identity_link_url`` and
        ``resources`` (a list of resource ids); only ``name`` is needed here.

        Raises:
            IntegrationConfigError: Naming the offending entry and key: not a list,
                not a mapping, an unknown or missing key, or a value of the wrong type.

        Example:
            >>> ConfigIntegration.from_data([{"name": "ERP", "email": "erp@example.com"}])
            (ConfigIntegration(name='ERP', email='erp@example.com', endpoint_url='', identity_link_url='', resources=()),)
            >>> ConfigIntegration.from_data([{"name": "ERP", "resources": "a"}])
            Traceback (most recent call last):
                ...
            integration_core.errors.IntegrationConfigError: integrations[0].resources: expected a list of strings, got str
        """
        if not isinstance(data, list | tuple):
            raise IntegrationConfigError(
                "integrations", f"expected a list, got {type(data).__name__}"
            )
        return tuple(
            _from_entry(entry, f"integrations[{index}]") for index, entry in enumerate(data)
        )

    @classmethod
    def from_magento_xml(
        cls, documents: Mapping[str, str | bytes] | Sequence[str | bytes] | str | bytes
    ) -> tuple[ConfigIntegration, ...]:
        """
        Read Magento ``integration.xml`` documents, merged by integration name in order.

        A later document overrides the email and URLs it declares and adds resources.
        DTDs and entities are refused; parser errors never escape untranslated.

        Args:
            documents: One document, a sequence of documents (named ``documents[0]``
                and so on in errors), or a mapping from a name (for error messages) to
                its text or bytes, in merge order.

        Raises:
            IntegrationConfigError: Naming the document and element.

        Example:
            >>> [definition] = ConfigIntegration.from_magento_xml('''<config>
            ...     <integration name="ERP">
            ...         <email>erp@example.com</email>
            ...         <endpoint_url>https://erp.example/cb</endpoint_url>
            ...         <resources><resource name="Magento_Sales::sales"/></resources>
            ...     </integration></config>''')
            >>> definition.name, definition.endpoint_url, definition.resources
            ('ERP', 'https://erp.example/cb', ('Magento_Sales::sales',))
        """
        named = named_documents(documents, "integration.xml")
        if named is None:
            raise IntegrationConfigError(
                "documents",
                "expected a str, bytes, a sequence or a mapping of them, "
                f"got {type(documents).__name__}",
            )
        fields: dict[str, dict[str, str]] = {}
        # Resources as ordered sets, merged in place: repeating a name costs its own resources.
        resources: dict[str, dict[str, None]] = {}
        for source, document in named.items():
            for entry in _read_document(source, document):
                name = entry.pop("name")
                resources.setdefault(name, {}).update(dict.fromkeys(entry.pop("resources")))
                fields.setdefault(name, {}).update(entry)
        return tuple(cls(name, **fields[name], resources=tuple(resources[name])) for name in fields)


def _from_entry(entry: object, where: str) -> ConfigIntegration:
    if not isinstance(entry, Mapping):
        raise IntegrationConfigError(where, f"expected a mapping, got {type(entry).__name__}")
    unknown = sorted(map(str, set(entry) - set(_KEYS)))
    if unknown:
        raise IntegrationConfigError(f"{where}.{unknown[0]}", "unknown key")
    if "name" not in entry:
        raise IntegrationConfigError(f"{where}.name", "required key is missing")
    resources = entry.get("resources", [])
    if not isinstance(resources, list | tuple):
        got = type(resources).__name__
        raise IntegrationConfigError(f"{where}.resources", f"expected a list of strings, got {got}")
    try:
        return ConfigIntegration(**{key: entry[key] for key in _KEYS if key in entry})
    except IntegrationConfigError as error:
        raise IntegrationConfigError(f"{where}.{error.source}", error.reason) from None


def _read_document(source: str, document: object) -> list[dict[str, Any]]:
    root: Element = parse_document(
        document, TreeBuilder(), lambda reason: IntegrationConfigError(source, reason)
    )
    if root.tag != "config":
        raise IntegrationConfigError(source, f"the root element must be <config>, got <{root.tag}>")
    return [_read_integration(source, element) for element in root]


def _read_integration(source: str, element: Element) -> dict[str, Any]:
    if element.tag != "integration":
        raise IntegrationConfigError(f"{source}: /config/{element.tag}", "expected <integration>")
    name = element.get("name")
    if name is None:
        raise IntegrationConfigError(f"{source}: /config/integration", "needs a 'name' attribute")
    where = f"{source}: /config/integration[@name={name!r}]"
    entry: dict[str, Any] = {"name": name, "resources": []}
    for child in element:
        if child.tag in _TEXT_ELEMENTS:
            entry[child.tag] = (child.text or "").strip()
        elif child.tag == "resources":
            entry["resources"] = [_resource_name(where, resource) for resource in child]
        else:
            raise IntegrationConfigError(f"{where}/{child.tag}", "unexpected element")
    return entry


def _resource_name(where: str, element: Element) -> str:
    name = element.get("name")
    if element.tag != "resource" or name is None:
        raise IntegrationConfigError(
            f"{where}/resources/{element.tag}", 'expected <resource name="..."/>'
        )
    return name

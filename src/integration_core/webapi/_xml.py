r"""
Read Magento ``webapi.xml`` documents, safely, and merge them as Magento merges them.

Parsing streams through defusedxml's expat parser into a small state machine, as the
``acl.xml`` reader does: no element tree is built, nothing recurses, and DTDs, entities
and external references are refused before they can expand or reach out.

Merging follows ``Magento\Webapi\Model\Config\Reader``, whose ``_idAttributes`` join
routes by ``url`` and ``method`` and resources by ``ref``, and
``Magento\Framework\Config\Dom``, which overrides the attributes a later document
gives and appends what it adds.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Final

import attrs

from integration_core.acl._xml_documents import parse_document
from integration_core.errors import RouteDefinitionError
from integration_core.webapi._route import ForcedParameter, Route

__all__ = ["read_webapi_xml"]

_XSI: Final = "{http://www.w3.org/2001/XMLSchema-instance}"
_METHODS: Final = frozenset({"GET", "POST", "PUT", "DELETE"})
"""The methods ``webapi_base.xsd`` enumerates."""
_BOOLEANS: Final = {"true": True, "1": True, "false": False, "0": False}
_NON_NEGATIVE: Final = re.compile(r"[ \t\r\n]*\+?[0-9]{1,18}[ \t\r\n]*", re.ASCII)

_CHILDREN: Final[Mapping[str | None, frozenset[str]]] = {
    None: frozenset({"routes"}),
    "routes": frozenset({"route"}),
    "route": frozenset({"service", "resources", "data"}),
    "resources": frozenset({"resource"}),
    "data": frozenset({"parameter"}),
    "service": frozenset(),
    "resource": frozenset(),
    "parameter": frozenset(),
}
_ATTRIBUTES: Final[Mapping[str, tuple[frozenset[str], frozenset[str]]]] = {
    # Each element with its required and its optional attributes.
    "routes": (frozenset(), frozenset()),
    "route": (frozenset({"url", "method"}), frozenset({"secure", "soapOperation"})),
    "service": (frozenset({"class", "method"}), frozenset()),
    "resources": (frozenset(), frozenset()),
    "resource": (frozenset({"ref"}), frozenset()),
    "data": (frozenset(), frozenset({"input-array-size-limit"})),
    "parameter": (frozenset({"name"}), frozenset({"force"})),
}


def _refusal(source: str, reason: str) -> RouteDefinitionError:
    return RouteDefinitionError(reason, source=source)


def read_webapi_xml(documents: Mapping[str, object]) -> list[Route]:
    """Read ``documents`` in order; the merged routes, in the order first declared."""
    merged: dict[tuple[str, str], Route] = {}
    for name, document in documents.items():
        target = _Document(name)
        parse_document(document, target, functools.partial(_refusal, name))
        for declared in target.routes:
            earlier = merged.get(declared.route.key)
            merged[declared.route.key] = (
                declared.route if earlier is None else declared.merged_into(earlier)
            )
    return list(merged.values())


@attrs.frozen
class _Declared:
    """One ``<route>`` as a document declares it, with which optional attributes it gives."""

    route: Route
    given: frozenset[str]

    def merged_into(self, earlier: Route) -> Route:
        r"""
        ``earlier`` with this declaration merged in, as ``Config\Dom`` merges a later file.

        Attributes given here override, resources are joined by ref, and forced
        parameters by name (Magento's reader declares no id for ``<parameter>``, so
        its merger cannot tell two parameters of one route apart; by name is the
        reading that keeps both).
        """
        route = self.route
        parameters = {parameter.name: parameter for parameter in earlier.parameters}
        parameters.update((parameter.name, parameter) for parameter in route.parameters)
        return attrs.evolve(
            earlier,
            service_class=route.service_class,
            service_method=route.service_method,
            resources=tuple(dict.fromkeys((*earlier.resources, *route.resources))),
            secure=route.secure if "secure" in self.given else earlier.secure,
            parameters=tuple(parameters.values()),
            soap_operation=(
                route.soap_operation if "soapOperation" in self.given else earlier.soap_operation
            ),
            input_array_size_limit=(
                route.input_array_size_limit
                if "input-array-size-limit" in self.given
                else earlier.input_array_size_limit
            ),
            source=earlier.source,
        )


class _Draft:
    """A ``<route>`` being read."""

    def __init__(self, attributes: Mapping[str, str], where: str) -> None:
        self.where = where
        self.method = attributes["method"]
        # Magento's converter trims the URL before keying routes by it.
        self.url = attributes["url"].strip()
        self.label = f"{self.method} {self.url}"
        self.given: set[str] = set(attributes) - {"url", "method"}
        self.secure = False
        if "secure" in attributes:
            self.secure = self.boolean(attributes["secure"], "secure")
        self.soap_operation = attributes.get("soapOperation")
        self.service: tuple[str, str] | None = None
        self.resources: list[str] | None = None
        self.data_seen = False
        self.given_data: frozenset[str] = frozenset()
        self.limit: int | None = None
        self.parameters: list[ForcedParameter] = []
        self.parameter: tuple[str, bool] | None = None
        self.text: list[str] = []

    def refuse(self, reason: str, where: str | None = None) -> RouteDefinitionError:
        return RouteDefinitionError(reason, route=self.label, source=where or self.where)

    def boolean(self, text: str, field: str, where: str | None = None) -> bool:
        flag = _BOOLEANS.get(text.strip())
        if flag is None:
            raise self.refuse(f"{field} must be an xs:boolean, got {text!r}", where)
        return flag

    def route(self) -> _Declared:
        if self.service is None:
            raise self.refuse("a route needs a <service>")
        if self.resources is None:
            raise self.refuse("a route needs <resources>")
        if "input-array-size-limit" in self.given_data:
            self.given.add("input-array-size-limit")
        route = Route(
            self.method,
            self.url,
            self.service[0],
            self.service[1],
            tuple(dict.fromkeys(self.resources)),
            secure=self.secure,
            parameters=tuple(self.parameters),
            soap_operation=self.soap_operation,
            input_array_size_limit=self.limit,
            source=self.where,
        )
        return _Declared(route, frozenset(self.given))


class _Document:
    """An expat target that checks one document's layout and collects its routes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.path: list[str] = []
        self.tags: list[str] = []
        self.counts: list[dict[str, int]] = [{}]
        self.draft: _Draft | None = None
        self.routes: list[_Declared] = []
        self.seen: dict[tuple[str, str], str] = {}

    def where(self) -> str:
        return f"{self.name}: {''.join(self.path)}"

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        parent = self.tags[-1] if self.tags else None
        counts = self.counts[-1]
        counts[tag] = counts.get(tag, 0) + 1
        self.path.append(f"/{tag}[{counts[tag]}]")
        self.tags.append(tag)
        self.counts.append({})
        where = self.where()
        if tag not in _CHILDREN[parent]:
            expected = " or ".join(f"<{child}>" for child in sorted(_CHILDREN[parent])) or "none"
            problem = f"unexpected element <{tag}>, expected {expected}"
            raise (
                self.draft.refuse(problem, where)
                if self.draft is not None
                else RouteDefinitionError(problem, source=where)
            )
        self.check_attributes(tag, attributes, where)
        if tag == "route":
            self.draft = _Draft(attributes, where)
            if self.draft.method not in _METHODS:
                raise self.draft.refuse(
                    f"method must be GET, POST, PUT or DELETE, got {self.draft.method!r}"
                )
            return
        draft = self.draft
        if draft is not None:
            self.start_in_route(draft, tag, attributes, where)

    def check_attributes(self, tag: str, attributes: Mapping[str, str], where: str) -> None:
        required, optional = _ATTRIBUTES[tag]
        names = {name for name in attributes if not name.startswith(_XSI)}
        unknown = sorted(names - required - optional)
        missing = sorted(required - names)
        if unknown or missing:
            problem = (
                f"<{tag}> has unknown attributes: {', '.join(unknown)}"
                if unknown
                else f"<{tag}> needs the attributes: {', '.join(missing)}"
            )
            label = (
                f"{attributes.get('method')} {attributes.get('url')}"
                if tag == "route"
                else self.draft.label
                if self.draft is not None
                else None
            )
            raise RouteDefinitionError(problem, route=label, source=where)

    def start_in_route(
        self, draft: _Draft, tag: str, attributes: Mapping[str, str], where: str
    ) -> None:
        if tag == "service":
            if draft.service is not None:
                raise draft.refuse("a route has one <service>", where)
            draft.service = (attributes["class"], attributes["method"])
        elif tag == "resources":
            if draft.resources is not None:
                raise draft.refuse("a route has one <resources>", where)
            draft.resources = []
        elif tag == "resource":
            assert draft.resources is not None  # noqa: S101  # the layout puts it in <resources>
            draft.resources.append(attributes["ref"])
        elif tag == "data":
            self.start_data(draft, attributes, where)
        else:  # parameter
            self.start_parameter(draft, attributes, where)

    @staticmethod
    def start_data(draft: _Draft, attributes: Mapping[str, str], where: str) -> None:
        if draft.data_seen:
            raise draft.refuse("a route has at most one <data>", where)
        draft.data_seen = True
        draft.given_data = frozenset(attributes)
        if "input-array-size-limit" in attributes:
            text = attributes["input-array-size-limit"]
            if _NON_NEGATIVE.fullmatch(text) is None:
                raise draft.refuse(
                    f"input-array-size-limit must be an xs:nonNegativeInteger, got {text!r}",
                    where,
                )
            draft.limit = int(text)

    @staticmethod
    def start_parameter(draft: _Draft, attributes: Mapping[str, str], where: str) -> None:
        force = "force" in attributes and draft.boolean(attributes["force"], "force", where)
        if any(parameter.name == attributes["name"] for parameter in draft.parameters):
            raise draft.refuse(f"parameter {attributes['name']!r} is forced twice", where)
        draft.parameter = (attributes["name"], force)
        draft.text = []

    def end(self, tag: str) -> None:
        draft = self.draft
        if draft is not None and tag == "parameter":
            assert draft.parameter is not None  # noqa: S101  # set by the matching start
            text = "".join(draft.text)
            name, force = draft.parameter
            # Magento's converter reads the text "null" as null.
            draft.parameters.append(ForcedParameter(name, None if text == "null" else text, force))
            draft.parameter = None
        elif draft is not None and tag == "route":
            declared = draft.route()
            first = self.seen.get(declared.route.key)
            if first is not None:
                raise draft.refuse(
                    f"the route is declared twice in one document (first at {first})"
                )
            self.seen[declared.route.key] = draft.where
            self.routes.append(declared)
            self.draft = None
        self.path.pop()
        self.tags.pop()
        self.counts.pop()

    def data(self, text: str) -> None:
        draft = self.draft
        if draft is not None and draft.parameter is not None:
            draft.text.append(text)
        elif text.strip():
            raise RouteDefinitionError(
                f"unexpected text {text.strip()!r}",
                route=draft.label if draft is not None else None,
                source=self.where(),
            )

    def close(self) -> None:
        """Nothing to hand back: the routes are on the target."""

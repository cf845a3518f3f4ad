"""
The integrations grid's query: filter by name, status and setup type, sort, and page.

A repository answers an :class:`IntegrationQuery` with an :class:`IntegrationPage`.
The order is total and the same on every repository: the sort column, then the name's
:func:`~integration_core.integrations.name_search_key`, then the id, all ascending or
all descending, so a descending grid is the ascending one read backwards and no row
appears on two pages.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Final, TypeVar

import attrs

from integration_core.errors import InvalidArgumentError
from integration_core.integrations._integration import Integration
from integration_core.integrations._names import name_search_key
from integration_core.integrations._status import IntegrationStatus, SetupType
from integration_core.integrations._validation import NAME_MAX

__all__ = [
    "PAGE_MAX",
    "PAGE_SIZE_MAX",
    "GridSort",
    "IntegrationPage",
    "IntegrationQuery",
]

PAGE_SIZE_MAX: Final = 200
"""
The largest page a query asks for: Magento's grid offers 20, 30, 50, 100 and 200.

Example:
    >>> IntegrationQuery(page_size=PAGE_SIZE_MAX).page_size
    200
"""

PAGE_MAX: Final = 2**31 - 1
"""
The highest page number a query may ask for: every store can skip that many rows.

Example:
    >>> IntegrationQuery(page=PAGE_MAX).offset == (PAGE_MAX - 1) * 20
    True
"""

Member = TypeVar("Member", IntegrationStatus, SetupType)


class GridSort(enum.Enum):
    """
    The column the grid is sorted by.

    ``STATUS`` sorts by Magento's status number (Inactive, Active, Reset), as its grid does;
    ``NAME`` by the name's search key (case- and width-insensitive).

    Example:
        >>> GridSort("created_at")
        <GridSort.CREATED_AT: 'created_at'>
    """

    NAME = "name"
    STATUS = "status"
    CREATED_AT = "created_at"


def _members(value: object, kind: type[Member], field: str) -> frozenset[Member]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise InvalidArgumentError(
            field, f"expected a set of {kind.__name__}, got {type(value).__name__}"
        )
    try:
        members = frozenset(value)
    except TypeError:  # an unhashable element: no member of any enumeration
        raise InvalidArgumentError(
            field, f"expected {kind.__name__} members, got an unhashable value"
        ) from None
    strangers = sorted(repr(member) for member in members if not isinstance(member, kind))
    if strangers:
        raise InvalidArgumentError(
            field, f"expected {kind.__name__} members, got {', '.join(strangers)}"
        )
    return members


def _statuses(value: object) -> frozenset[IntegrationStatus]:
    return _members(value, IntegrationStatus, "statuses")


def _setup_types(value: object) -> frozenset[SetupType]:
    return _members(value, SetupType, "setup_types")


def _name_contains(_query: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise InvalidArgumentError(attribute.name, f"expected a str, got {type(value).__name__}")
    if "\x00" in value or any("\ud800" <= character <= "\udfff" for character in value):
        raise InvalidArgumentError(attribute.name, "must be valid Unicode without NUL characters")
    if len(value) > NAME_MAX:
        raise InvalidArgumentError(
            attribute.name, f"must be at most {NAME_MAX} characters, got {len(value)}"
        )


Validator = Callable[[object, "attrs.Attribute[Any]", Any], None]


def _of_type(kind: type, described: str) -> Validator:
    def check(_query: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise InvalidArgumentError(
                attribute.name, f"expected {described}, got {type(value).__name__}"
            )

    return check


def _between(low: int, high: int) -> Validator:
    def check(_query: object, attribute: attrs.Attribute[Any], value: int) -> None:
        _of_type(int, "an int")(_query, attribute, value)
        if not low <= value <= high:
            raise InvalidArgumentError(attribute.name, f"must be from {low} to {high}, got {value}")

    return check


@attrs.frozen
class IntegrationQuery:
    """
    One view of the integrations grid: what to show, in which order, which page.

    Every argument is checked on construction: a bad one raises
    :class:`~integration_core.errors.InvalidArgumentError` naming it.

    Attributes:
        name_contains: Only names containing this text, compared by
            :func:`~integration_core.integrations.name_search_key` (case- and
            width-insensitive, "strasse" finds "Straße"); ``""`` matches every name.
            At most :data:`~integration_core.integrations.NAME_MAX` characters, taken as given
            (spaces count).
        statuses: Only these statuses; empty means any.
        setup_types: Only these setup types; empty means any.
        sort: The column to sort by.
        descending: Whether the whole order runs backwards.
        page: The page to return, from 1; a page past the end is empty.
        page_size: Integrations per page, from 1 to :data:`PAGE_SIZE_MAX`.

    Example:
        >>> from integration_core.integrations import IntegrationStatus
        >>> query = IntegrationQuery(name_contains="shop", statuses={IntegrationStatus.ACTIVE})
        >>> query.sort, query.page, query.page_size
        (<GridSort.NAME: 'name'>, 1, 20)
        >>> IntegrationQuery(page=0)
        Traceback (most recent call last):
            ...
        integration_core.errors.InvalidArgumentError: page: must be from 1 to 2147483647, got 0
        >>> IntegrationQuery(statuses={"active"})
        Traceback (most recent call last):
            ...
        integration_core.errors.InvalidArgumentError: statuses: expected IntegrationStatus members, got 'active'
    """

    name_contains: str = attrs.field(default="", validator=_name_contains)
    statuses: frozenset[IntegrationStatus] = attrs.field(
        default=frozenset(),
        converter=_statuses,
    )
    setup_types: frozenset[SetupType] = attrs.field(
        default=frozenset(),
        converter=_setup_types,
    )
    sort: GridSort = attrs.field(default=GridSort.NAME, validator=_of_type(GridSort, "a GridSort"))
    descending: bool = attrs.field(default=False, validator=_of_type(bool, "a bool"))
    page: int = attrs.field(default=1, validator=_between(1, PAGE_MAX))
    page_size: int = attrs.field(default=20, validator=_between(1, PAGE_SIZE_MAX))

    @property
    def name_search_key(self) -> str:
        r"""
        :attr:`name_contains` in the form it is looked for in each name's search key.

        Example:
            >>> IntegrationQuery(name_contains="\uff33HOP").name_search_key
            'shop'
        """
        return name_search_key(self.name_contains)

    @property
    def offset(self) -> int:
        """
        How many integrations, in order, come before this page.

        Example:
            >>> IntegrationQuery(page=3, page_size=50).offset
            100
        """
        return (self.page - 1) * self.page_size

    def matches(self, integration: Integration) -> bool:
        """
        Whether ``integration`` passes the filters (the page aside).

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> IntegrationQuery(name_contains="SYNC").matches(sample_integration("Shop Sync"))
            True
            >>> IntegrationQuery(name_contains="sink").matches(sample_integration("Shop Sync"))
            False
        """
        return self._passes(integration) and self.name_search_key in name_search_key(
            integration.name
        )

    def sort_key(self, integration: Integration) -> tuple[int | datetime | str, str, str]:
        """
        Where ``integration`` sorts, ascending: the sort column, the name's search key, the id.

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> IntegrationQuery().sort_key(sample_integration("Shop", integration_id="i1"))
            ('shop', 'shop', 'i1')
        """
        name = name_search_key(integration.name)
        first: int | datetime | str = name
        if self.sort is GridSort.STATUS:
            first = integration.status.value
        elif self.sort is GridSort.CREATED_AT:
            first = integration.created_at
        return (first, name, integration.id)

    def page_of(self, integrations: Iterable[Integration]) -> IntegrationPage:
        """
        This query's page of ``integrations``: how a store that holds them all in memory answers.

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> everything = [sample_integration(name) for name in ("beta", "Alpha", "gamma")]
            >>> page = IntegrationQuery(page_size=2, descending=True).page_of(everything)
            >>> [integration.name for integration in page.items], page.total, page.pages
            (['gamma', 'beta'], 3, 2)
        """
        needle = self.name_search_key
        # Each key is computed once; the name's search key, its second part, decides the match.
        keyed = [
            (key, integration)
            for integration in integrations
            if self._passes(integration) and needle in (key := self.sort_key(integration))[1]
        ]
        keyed.sort(key=operator.itemgetter(0), reverse=self.descending)
        items = tuple(
            integration for _, integration in keyed[self.offset : self.offset + self.page_size]
        )
        return IntegrationPage(items=items, total=len(keyed), query=self)

    def _passes(self, integration: Integration) -> bool:
        """Whether ``integration`` passes the status and setup type filters."""
        return (not self.statuses or integration.status in self.statuses) and (
            not self.setup_types or integration.setup_type in self.setup_types
        )


@attrs.frozen
class IntegrationPage:
    """
    One page of the grid, with how many integrations match across all pages.

    Attributes:
        items: The integrations on this page, in the query's order.
        total: How many integrations match the query's filters, on all pages.
        query: The query this page answers.

    Example:
        >>> page = IntegrationPage(items=(), total=41, query=IntegrationQuery(page=9))
        >>> page.pages, page.items
        (3, ())
    """

    items: tuple[Integration, ...]
    total: int
    query: IntegrationQuery

    @property
    def pages(self) -> int:
        """
        How many pages the matches fill at the query's page size: ``0`` when nothing matches.

        Example:
            >>> IntegrationPage(items=(), total=40, query=IntegrationQuery()).pages
            2
        """
        return -(-self.total // self.query.page_size)

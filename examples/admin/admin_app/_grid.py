"""The integrations grid: its query string read into the repository's query, and its rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from integration_core import Integration, IntegrationStatus, SetupType
from integration_core.integrations import GridSort, IntegrationQuery

PAGE_SIZE = 20
STATUS_OPTIONS = [("", "Any")] + [(str(status.value), status.label) for status in IntegrationStatus]


def _number(text: str, default: int) -> int:
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) < 2**31 else default


def query_of(args: Mapping[str, str]) -> IntegrationQuery:
    """The query a grid URL asks for; a parameter that makes no sense falls back to its default."""
    sorts = {sort.value: sort for sort in GridSort}
    statuses = {str(status.value): status for status in IntegrationStatus}
    chosen = args.get("status", "")
    return IntegrationQuery(
        # No name holds a NUL, so a filter holding one is a typo or a probe: drop it.
        name_contains=args.get("name", "").replace("\x00", "").strip()[:255],
        statuses=frozenset([statuses[chosen]]) if chosen in statuses else frozenset(),
        sort=sorts.get(args.get("sort", ""), GridSort.NAME),
        descending=args.get("dir") == "desc",
        page=_number(args.get("page", ""), 1),
        page_size=PAGE_SIZE,
    )


def not_secure(integration: Integration) -> bool:
    """Magento's "Integration not secure" badge: a URL that starts with ``http:``."""
    urls = (integration.callback_url or "", integration.identity_link_url or "")
    return any(url.lower().startswith("http:") for url in urls)


def activation_step(integration: Integration) -> str:
    """The grid's link: "activate" while inactive, else "reauthorize" (Magento's ``Link/Activate``)."""
    return "activate" if integration.status is IntegrationStatus.INACTIVE else "reauthorize"


def read_only(integration: Integration) -> bool:
    """Whether it came from configuration: viewed, never edited or deleted on the screen."""
    return integration.setup_type is SetupType.CONFIG


@dataclass(frozen=True)
class GridLinks:
    """The grid's URLs for sorting and paging, keeping the filters."""

    query: IntegrationQuery

    def _url(self, **changes: str) -> str:
        query = self.query
        params = {
            "name": query.name_contains,
            "status": ",".join(str(status.value) for status in query.statuses),
            "sort": query.sort.value,
            "dir": "desc" if query.descending else "asc",
            "page": str(query.page),
        }
        params.update(changes)
        return "?" + urlencode({key: value for key, value in params.items() if value})

    def sort(self, column: str) -> str:
        """Sort by ``column``; the column already sorted by flips its direction."""
        flip = self.query.sort.value == column and not self.query.descending
        return self._url(sort=column, dir="desc" if flip else "asc", page="1")

    def arrow(self, column: str) -> str:
        """The arrow shown next to the sorted column's header."""
        if self.query.sort.value != column:
            return ""
        return "▼" if self.query.descending else "▲"

    def to_page(self, number: int) -> str:
        """The same grid, on page ``number``."""
        return self._url(page=str(number))

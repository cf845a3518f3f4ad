"""The contract kit's checks of the grid query: filters, the total order, pages: a mixin."""

# ruff: noqa: S101 - a test kit: its methods are pytest tests

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta, timezone

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integration_core.credentials import ConsumerCredentials
from integration_core.errors import InvalidArgumentError
from integration_core.integrations import (
    GridSort,
    Integration,
    IntegrationQuery,
    IntegrationStatus,
    SetupType,
)
from integration_core.ports import IntegrationRepository
from integration_core.testing.builders import sample_integration

_BASE = sample_integration("Grid")

_WORDS = (
    "Shop",
    "\uff25\uff32\uff30 Feed",  # full-width "ERP"
    "Stra\u00dfe",
    "\u0405hop",  # CYRILLIC CAPITAL LETTER DZE: looks like "Shop", is not searched as it
    "100% Off",
    "under_score",
    "Caf\u00e9",
    "\u5e97\u8217",
    "a/b\\c",
)
"""Words the grid's names are made of: case, width, folding, look-alikes and LIKE's metacharacters."""

_SEARCHES = (
    "",
    "shop",
    "SHOP",
    "\uff53\uff48",
    "ss",
    "\u00df",
    "%",
    "_",
    "/",
    "\\",
    "0 ",
    "1",
    "caf\u00c9",
    "\u5e97",
    "\u0405",
    "nothing",
)


def grid_integration(number: int, *, offset_hours: int = 0) -> Integration:
    """
    The ``number``-th integration of a grid: statuses, setup types and creation times repeat.

    Its creation time is one of four instants, written in a zone ``offset_hours`` from UTC.
    """
    word = _WORDS[number % len(_WORDS)]
    created = _BASE.created_at + timedelta(minutes=number % 4)
    return attrs.evolve(
        _BASE,
        id=f"grid-{number:05d}",
        name=f"{word.upper() if number % 2 else word} {number}",
        status=IntegrationStatus(number % 3),
        setup_type=SetupType(number % 5 == 0),
        consumer=ConsumerCredentials(f"{number:032d}", _BASE.consumer.secret),
        created_at=created.astimezone(timezone(timedelta(hours=offset_hours))),
    )


def add_all(repository: IntegrationRepository, integrations: Iterable[Integration]) -> None:
    for integration in integrations:
        repository.add(integration)


def names(integrations: Iterable[Integration]) -> list[str]:
    return [integration.name for integration in integrations]


GRID_SIZE = 10_000
"""How many integrations the largest grid holds: as many as the benchmark pages through."""

queries = st.builds(
    IntegrationQuery,
    name_contains=st.sampled_from(_SEARCHES) | st.text(alphabet="sShoP%_1 \u00df", max_size=3),
    statuses=st.frozensets(st.sampled_from(IntegrationStatus)),
    setup_types=st.frozensets(st.sampled_from(SetupType)),
    sort=st.sampled_from(GridSort),
    descending=st.booleans(),
    page=st.integers(1, 8),
    page_size=st.integers(1, 25),
)


class GridQueries:
    """The contract's checks of :meth:`~integration_core.IntegrationRepository.query`."""

    def test_a_query_finds_names_as_names_compare(self, repository: IntegrationRepository) -> None:
        add_all(repository, (grid_integration(number) for number in range(len(_WORDS))))

        def found(text: str) -> set[str]:
            return set(names(repository.query(IntegrationQuery(name_contains=text)).items))

        assert found("shop") == found("\uff33\uff28\uff2f\uff30") == {"Shop 0"}
        assert found("erp") == {"\uff25\uff32\uff30 FEED 1"}
        assert found("strasse") == found("\u00df") == {"Stra\u00dfe 2"}
        assert found("\u0405") == {"\u0405HOP 3"}
        assert found("%") == {"100% Off 4"}
        assert found("_") == {"UNDER_SCORE 5"}
        assert found("caf\u00c9") == {"Caf\u00e9 6"}
        assert found("\u5e97") == {"\u5e97\u8217 7"}
        assert found("/") == found("\\") == found("B\\C") == {"a/b\\c 8"}
        assert found("") == set(names(repository.list()))
        assert found("nothing") == found("%%") == found("__") == set()

    def test_a_query_filters_by_status_and_setup_type(
        self, repository: IntegrationRepository
    ) -> None:
        everything = [grid_integration(number) for number in range(30)]
        add_all(repository, everything)
        for statuses in (
            {IntegrationStatus.ACTIVE},
            set(IntegrationStatus) - {IntegrationStatus.ACTIVE},
        ):
            for setup_types in ({SetupType.CONFIG}, {SetupType.MANUAL}, set()):
                query = IntegrationQuery(statuses=statuses, setup_types=setup_types, page_size=30)
                assert set(names(repository.query(query).items)) == {
                    integration.name
                    for integration in everything
                    if integration.status in statuses
                    and (not setup_types or integration.setup_type in setup_types)
                }

    @pytest.mark.parametrize("sort", list(GridSort))
    def test_each_sort_is_a_total_order_reversed_by_descending(
        self, repository: IntegrationRepository, sort: GridSort
    ) -> None:
        # Equal statuses and equal instants written in other zones tie: the name decides.
        add_all(repository, (grid_integration(n, offset_hours=n % 3 - 1) for n in range(12)))
        expected = {
            GridSort.NAME: ["100% Off 4", "a/b\\c 8", "Caf\u00e9 6", "\uff25\uff32\uff30 FEED 1"],
            GridSort.STATUS: ["Caf\u00e9 6", "Shop 0", "SHOP 9", "\u0405HOP 3", "100% Off 4"],
            GridSort.CREATED_AT: ["100% Off 4", "a/b\\c 8", "Shop 0", "\uff25\uff32\uff30 FEED 1"],
        }[sort]
        ascending = repository.query(IntegrationQuery(sort=sort, page_size=12)).items
        descending = repository.query(IntegrationQuery(sort=sort, descending=True, page_size=12))
        assert names(ascending[: len(expected)]) == expected
        assert ascending == descending.items[::-1]

    def test_pages_split_the_order_and_count_every_match(
        self, repository: IntegrationRepository
    ) -> None:
        add_all(repository, (grid_integration(number) for number in range(7)))
        everything = repository.query(IntegrationQuery(page_size=7)).items
        pages = [
            repository.query(IntegrationQuery(page=page, page_size=3)) for page in (1, 2, 3, 4)
        ]
        assert [page.items for page in pages] == [
            everything[:3],
            everything[3:6],
            everything[6:],
            (),
        ]
        assert [(page.total, page.pages) for page in pages] == [(7, 3)] * 4

    def test_a_query_of_an_empty_repository_finds_nothing(
        self, repository: IntegrationRepository
    ) -> None:
        page = repository.query(IntegrationQuery(name_contains="shop", page=2))
        assert (page.items, page.total, page.pages) == ((), 0, 0)

    def test_something_other_than_a_query_is_refused_naming_the_argument(
        self, repository: IntegrationRepository
    ) -> None:
        with pytest.raises(InvalidArgumentError) as raised:
            repository.query({"page": 1})  # type: ignore[arg-type]
        assert (raised.value.field, raised.value.reason) == (
            "query",
            "expected an IntegrationQuery, got dict",
        )

    @settings(
        max_examples=60,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.differing_executors,
        ],
    )
    @given(query=queries)
    def test_any_query_answers_as_its_page_of_the_listing(
        self, repository: IntegrationRepository, query: IntegrationQuery
    ) -> None:
        """Rule: a repository answers a query with that query's page of everything it lists."""
        # Hypothesis shares one repository between its examples: it is filled once.
        if not repository.list():
            add_all(repository, (grid_integration(n, offset_hours=n % 5 - 2) for n in range(60)))
        assert repository.query(query) == query.page_of(repository.list())

    def test_a_grid_of_ten_thousand_integrations_pages_as_its_listing(
        self, repository: IntegrationRepository
    ) -> None:
        add_all(repository, (grid_integration(number) for number in range(GRID_SIZE)))
        listed = repository.list()
        assert len(listed) == GRID_SIZE
        for query in (
            IntegrationQuery(),
            IntegrationQuery(name_contains="shop", sort=GridSort.CREATED_AT, page=7),
            IntegrationQuery(
                name_contains="9",
                statuses={IntegrationStatus.ACTIVE, IntegrationStatus.RESET},
                sort=GridSort.STATUS,
                descending=True,
                page=12,
                page_size=50,
            ),
            IntegrationQuery(setup_types={SetupType.CONFIG}, sort=GridSort.CREATED_AT, page=100),
            IntegrationQuery(page=51, page_size=200),
        ):
            assert repository.query(query) == query.page_of(listed)
        walked = [
            integration
            for page in range(1, 51)
            for integration in repository.query(
                IntegrationQuery(
                    sort=GridSort.CREATED_AT, descending=True, page=page, page_size=200
                )
            ).items
        ]
        assert sorted(walked, key=lambda integration: integration.id) == sorted(
            listed, key=lambda integration: integration.id
        )

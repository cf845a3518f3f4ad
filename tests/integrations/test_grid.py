"""The grid query: its arguments, its filters, its total order and its pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from integration_core.errors import InvalidArgumentError
from integration_core.integrations import (
    PAGE_MAX,
    PAGE_SIZE_MAX,
    GridSort,
    Integration,
    IntegrationQuery,
    IntegrationStatus,
    SetupType,
    name_key,
    name_search_key,
)
from integration_core.testing.builders import sample_integration

BASE = sample_integration("Grid")
# Case pairs, full-width letters, the sharp and long s, final sigma, LIKE's metacharacters.
ALPHABET = "abcXYZ 09\u00df\u017f\u03c2\u03a3\uff21\uff42%_"


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@st.composite
def grids(draw: st.DrawFn) -> list[Integration]:
    """Integrations with distinct name keys; statuses, setup types and creation times collide."""
    names = draw(st.lists(st.text(ALPHABET, min_size=1, max_size=5), max_size=25))
    unique = list({name_key(name): name for name in names}.values())
    return [
        attrs.evolve(
            BASE,
            id=f"i{draw(st.integers(0, 99)):02d}-{number}",
            name=name,
            status=draw(st.sampled_from(IntegrationStatus)),
            setup_type=draw(st.sampled_from(SetupType)),
            created_at=BASE.created_at + timedelta(seconds=draw(st.integers(0, 3))),
        )
        for number, name in enumerate(unique)
    ]


queries = st.builds(
    IntegrationQuery,
    name_contains=st.text(ALPHABET, max_size=2),
    statuses=st.frozensets(st.sampled_from(IntegrationStatus)),
    setup_types=st.frozensets(st.sampled_from(SetupType)),
    sort=st.sampled_from(GridSort),
    descending=st.booleans(),
    page_size=st.integers(1, 7),
)


def passes(query: IntegrationQuery, integration: Integration) -> bool:
    return (
        name_search_key(query.name_contains) in name_search_key(integration.name)
        and integration.status in (query.statuses or set(IntegrationStatus))
        and integration.setup_type in (query.setup_types or set(SetupType))
    )


@pytest.mark.law
@given(grid=grids(), query=queries)
def test_the_pages_of_a_query_hold_each_match_once_in_order(
    grid: list[Integration], query: IntegrationQuery
) -> None:
    """Rule: a query's pages, read in turn, hold every match exactly once; each counts them all."""
    pages = [
        attrs.evolve(query, page=number).page_of(grid)
        for number in range(1, query.page_of(grid).pages + 2)
    ]
    read = [integration for page in pages for integration in page.items]
    assert pages[-1].items == ()
    assert {page.total for page in pages} == {len(read)}
    assert sorted(read, key=lambda i: i.id) == sorted(
        (i for i in grid if passes(query, i)), key=lambda i: i.id
    )
    assert [query.sort_key(i) for i in read] == sorted(
        (query.sort_key(i) for i in read), reverse=query.descending
    )


@pytest.mark.law
@given(grid=grids(), query=queries)
def test_a_descending_query_reads_the_ascending_order_backwards(
    grid: list[Integration], query: IntegrationQuery
) -> None:
    """Rule: descending reverses the whole order, ties included, so no two orders disagree."""
    everything = attrs.evolve(query, page_size=PAGE_SIZE_MAX)
    ascending = attrs.evolve(everything, descending=False).page_of(grid).items
    descending = attrs.evolve(everything, descending=True).page_of(grid).items
    assert ascending == descending[::-1]


@pytest.mark.law
@given(
    name=st.text(ALPHABET, min_size=1, max_size=12),
    cut=st.tuples(st.integers(0, 12), st.integers(0, 12)),
    spell=st.sampled_from([str.upper, str.lower, str.swapcase, fullwidth]),
)
def test_a_name_is_found_by_any_part_of_it_in_any_case_or_width(
    name: str, cut: tuple[int, int], spell: Any
) -> None:
    """Rule: a name is found by any part of it written in another case or width."""
    part = spell(name[min(cut) : max(cut)])
    assert IntegrationQuery(name_contains=part).matches(attrs.evolve(BASE, name=name))


def test_look_alikes_are_not_searched_as_the_letters_they_resemble() -> None:
    shop = attrs.evolve(BASE, name="Shop")
    assert IntegrationQuery(name_contains="sh").matches(shop)
    assert not IntegrationQuery(name_contains="\u0405h").matches(shop)  # CYRILLIC DZE
    assert not IntegrationQuery(name_contains="rn").matches(attrs.evolve(BASE, name="Firm"))


def test_sets_of_statuses_and_setup_types_may_be_any_iterable() -> None:
    query = IntegrationQuery(statuses=[IntegrationStatus.ACTIVE], setup_types=(SetupType.CONFIG,))
    assert query.statuses == frozenset({IntegrationStatus.ACTIVE})
    assert query.setup_types == frozenset({SetupType.CONFIG})


@pytest.mark.parametrize(
    ("arguments", "field", "reason"),
    [
        ({"name_contains": None}, "name_contains", "expected a str, got NoneType"),
        (
            {"name_contains": "a\x00"},
            "name_contains",
            "must be valid Unicode without NUL characters",
        ),
        (
            {"name_contains": "\ud800"},
            "name_contains",
            "must be valid Unicode without NUL characters",
        ),
        ({"name_contains": "a" * 256}, "name_contains", "must be at most 255 characters, got 256"),
        ({"statuses": "active"}, "statuses", "expected a set of IntegrationStatus, got str"),
        ({"statuses": 1}, "statuses", "expected a set of IntegrationStatus, got int"),
        (
            {"statuses": {1, IntegrationStatus.ACTIVE, "x"}},
            "statuses",
            "expected IntegrationStatus members, got 'x', 1",
        ),
        (
            {"setup_types": [IntegrationStatus.ACTIVE]},
            "setup_types",
            "expected SetupType members, got <IntegrationStatus.ACTIVE: 1>",
        ),
        ({"setup_types": b"\x00"}, "setup_types", "expected a set of SetupType, got bytes"),
        (
            {"setup_types": [[SetupType.CONFIG]]},
            "setup_types",
            "expected SetupType members, got an unhashable value",
        ),
        ({"sort": "name"}, "sort", "expected a GridSort, got str"),
        ({"descending": 1}, "descending", "expected a bool, got int"),
        ({"page": True}, "page", "expected an int, got bool"),
        ({"page": 1.0}, "page", "expected an int, got float"),
        ({"page": 0}, "page", f"must be from 1 to {PAGE_MAX}, got 0"),
        ({"page": PAGE_MAX + 1}, "page", f"must be from 1 to {PAGE_MAX}, got {PAGE_MAX + 1}"),
        ({"page_size": 0}, "page_size", "must be from 1 to 200, got 0"),
        ({"page_size": PAGE_SIZE_MAX + 1}, "page_size", "must be from 1 to 200, got 201"),
        ({"page_size": "20"}, "page_size", "expected an int, got str"),
    ],
)
def test_a_bad_argument_is_refused_naming_it(
    arguments: dict[str, Any], field: str, reason: str
) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        IntegrationQuery(**arguments)
    assert (raised.value.field, raised.value.reason) == (field, reason)


def test_an_empty_page_past_the_end_still_counts_every_match() -> None:
    grid = [attrs.evolve(BASE, id=f"i{n}", name=f"Shop {n}") for n in range(5)]
    page = IntegrationQuery(name_contains="SHOP", page=4, page_size=2).page_of(grid)
    assert (page.items, page.total, page.pages) == ((), 5, 3)

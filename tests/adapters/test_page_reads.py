"""Grid pages on the driver's cursor: what Core reads of the same page, only where it may."""

from __future__ import annotations

from unittest import mock

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, assume, given, settings
from sqlalchemy.orm import Session

from integration_core.adapters.sqlalchemy import SqlIntegrationRepository
from integration_core.adapters.sqlalchemy._page_reads import PageReads
from integration_core.adapters.sqlalchemy._repository import _grid_parameters, grid_statements
from integration_core.adapters.sqlalchemy._rows import DecodedRows
from integration_core.adapters.sqlalchemy._schema import UtcDateTime, integrations
from integration_core.errors import (
    DuplicateIdentityError,
    DuplicateNameError,
    StorageUnavailableError,
    StoredDataError,
)
from integration_core.integrations import (
    Integration,
    IntegrationPage,
    IntegrationQuery,
    IntegrationStatus,
)
from integration_core.testing._contract_grid import add_all, grid_integration, queries
from integration_core.testing.strategies import integrations as drawn_integrations
from tests.adapters.test_sqlalchemy import engine
from tests.adapters.test_token_lookup import fields

__all__ = ["engine"]

GRID = [grid_integration(number, offset_hours=number % 3 - 1) for number in range(12)]


def page_statement(query: IntegrationQuery) -> sa.Select[object]:
    page, _ = grid_statements(query)
    return page


def core_page(repository: SqlIntegrationRepository, query: IntegrationQuery) -> IntegrationPage:
    """The page Core reads: the cursor path refused for the call."""
    with mock.patch.object(PageReads, "rendered", return_value=None):
        return repository.query(query)


def emptied(engine: sa.Engine) -> SqlIntegrationRepository:
    with engine.begin() as connection:
        connection.execute(sa.delete(integrations))
    return SqlIntegrationRepository(engine)


@pytest.mark.law
@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=drawn_integrations(), query=queries)
def test_a_grid_page_on_the_driver_path_is_the_page_core_reads(
    engine: sa.Engine, drawn: Integration, query: IntegrationQuery
) -> None:
    """
    Rule: a grid page read on the driver's cursor holds the integrations, field for field,
    types and time zones included, and the total that SQLAlchemy Core reads of the same page;
    a page read again returns the integrations it decoded, and a forgotten one decodes equal ones.
    """
    repository = emptied(engine)
    add_all(repository, GRID)
    try:
        repository.add(drawn)
    except (DuplicateNameError, DuplicateIdentityError):
        assume(condition=False)
    assert repository._pages.rendered(engine, page_statement(query)) is not None
    fast, again = repository.query(query), repository.query(query)
    repository._decoded_rows.forget()
    core = core_page(repository, query)
    assert (fields(fast.items), fast.total) == (fields(core.items), core.total)
    assert all(ours is theirs for ours, theirs in zip(fast.items, again.items, strict=True))
    repository._decoded_rows.forget()
    decoded = repository.query(query)
    assert fields(decoded.items) == fields(fast.items)
    assert not any(ours is theirs for ours, theirs in zip(fast.items, decoded.items, strict=True))


def test_a_changed_row_is_decoded_again(engine: sa.Engine) -> None:
    repository = SqlIntegrationRepository(engine)
    add_all(repository, GRID[:3])
    before = {
        integration.id: integration for integration in repository.query(IntegrationQuery()).items
    }
    changed = repository.save(attrs.evolve(before[GRID[1].id], email="new@example.com"))
    after = {
        integration.id: integration for integration in repository.query(IntegrationQuery()).items
    }
    assert after[GRID[1].id] == changed != before[GRID[1].id]
    assert after[GRID[0].id] is before[GRID[0].id]
    assert after[GRID[2].id] is before[GRID[2].id]


def test_a_corrupt_row_in_a_grid_page_names_its_column_as_core_does(engine: sa.Engine) -> None:
    repository = SqlIntegrationRepository(engine)
    add_all(repository, GRID[:3])
    repository.query(IntegrationQuery())
    with engine.begin() as connection:
        connection.execute(
            sa.update(integrations).where(integrations.c.id == GRID[1].id).values(status=9)
        )
    for read in (repository.query, lambda query: core_page(repository, query)):
        with pytest.raises(StoredDataError) as raised:
            read(IntegrationQuery())
        assert (raised.value.integration_id, raised.value.column) == (GRID[1].id, "status")


def test_in_a_unit_of_work_and_the_hosts_session_a_page_holds_uncommitted_rows(
    engine: sa.Engine,
) -> None:
    repository = SqlIntegrationRepository(engine)
    with repository.atomic():
        stored = repository.add(GRID[0])
        assert repository.query(IntegrationQuery()).items == (stored,)
    with Session(engine) as session:
        hosted = SqlIntegrationRepository(session)
        other = hosted.add(GRID[1])
        assert hosted._pages.rendered(session.connection(), page_statement(IntegrationQuery()))
        assert hosted.query(IntegrationQuery()).items == hosted.list()
        assert set(hosted.list()) == {other, stored}
        session.rollback()
    assert repository.query(IntegrationQuery()).items == (stored,)


def test_a_page_past_the_end_counts_its_total(engine: sa.Engine) -> None:
    repository = SqlIntegrationRepository(engine)
    add_all(repository, GRID[:3])
    for read in (repository.query, lambda query: core_page(repository, query)):
        page = read(IntegrationQuery(page=2, page_size=3))
        assert (page.items, page.total) == ((), 3)


def test_a_missing_table_is_unavailable_on_the_cursor_path() -> None:
    made = sa.create_engine("sqlite://")
    repository = SqlIntegrationRepository(made)
    assert repository._pages.rendered(made, page_statement(IntegrationQuery())) is not None
    with pytest.raises(StorageUnavailableError, match="no such table"):
        repository.query(IntegrationQuery())
    made.dispose()


def test_a_host_session_on_a_dead_database_is_unavailable() -> None:
    dead = sa.create_engine("sqlite:////nonexistent-directory/for/integrations.sqlite")
    with Session(dead) as session, pytest.raises(StorageUnavailableError, match="unable to open"):
        SqlIntegrationRepository(session).query(IntegrationQuery())
    dead.dispose()


def test_where_core_would_convert_a_value_core_reads_the_page() -> None:
    made = sa.create_engine("sqlite://")
    reads = PageReads(DecodedRows())
    converted_bind = sa.select(integrations).where(
        integrations.c.created_at > sa.bindparam("since", type_=UtcDateTime())
    )
    converted_column = sa.select(integrations, integrations.c.created_at.label("again"))
    assert reads.rendered(made, converted_bind) is None
    assert reads.rendered(made, converted_column) is None
    assert (
        reads.rendered(sa.create_engine("sqlite://", echo=True), page_statement(IntegrationQuery()))
        is None
    )
    made.dispose()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite://", ("%s%", 1, 2, "%s%", 1, 2, 20, 0)),
        (
            "postgresql+psycopg://n@/x",
            {"pattern": "%s%", "statuses_1": 1, "statuses_2": 2, "limit": 20, "offset": 0},
        ),
    ],
)
def test_in_lists_are_expanded_as_core_expands_them(url: str, expected: object) -> None:
    made = sa.create_engine(url)
    query = IntegrationQuery(
        name_contains="s", statuses={IntegrationStatus(1), IntegrationStatus(2)}
    )
    rendered = PageReads(DecodedRows())._render_for(made, page_statement(query))
    sql, parameters = rendered.arguments(_grid_parameters(query))
    assert parameters == expected
    assert sql.count("IN (") == 2
    made.dispose()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite://", (20, 0)),
        # By name, the driver takes the names the statement holds from the mapping as it is.
        ("postgresql+psycopg://n@/x", _grid_parameters(IntegrationQuery())),
    ],
)
def test_plain_parameters_follow_the_dialects_style(url: str, expected: object) -> None:
    made = sa.create_engine(url)
    query = IntegrationQuery()
    rendered = PageReads(DecodedRows())._render_for(made, page_statement(query))
    _, parameters = rendered.arguments(_grid_parameters(query))
    assert parameters == expected
    made.dispose()

"""The lookup by access-token digest on the driver's cursor: what Core reads, and only where it may."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from sqlalchemy.orm import Session

from integration_core.adapters.sqlalchemy import SqlIntegrationRepository, create_tables
from integration_core.adapters.sqlalchemy._token_lookup import TokenLookup, _parameters
from integration_core.credentials import digest
from integration_core.errors import StorageUnavailableError, StoredDataError
from integration_core.integrations import Integration
from integration_core.testing.builders import sample_integration
from integration_core.testing.strategies import integrations
from tests.adapters.test_sqlalchemy import engine, memory_engine

__all__ = ["engine"]

TOKEN = "t" * 32


def fields(value: object) -> object:
    """Every field of an integration, nested values included, with its type and time zone."""
    kind: Any = type(value)
    if attrs.has(kind):
        return (
            kind.__name__,
            tuple((field.name, fields(getattr(value, field.name))) for field in attrs.fields(kind)),
        )
    if isinstance(value, datetime):
        return ("datetime", value.isoformat(), value.tzinfo)
    return (type(value).__name__, value)


def stored_with_token(engine: sa.Engine) -> tuple[SqlIntegrationRepository, Integration]:
    repository = SqlIntegrationRepository(engine)
    return repository, repository.add(sample_integration("Shop", access_token=TOKEN))


@pytest.mark.law
@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=integrations().filter(lambda integration: integration.access is not None))
def test_the_driver_path_reads_every_field_as_core_does(
    engine: sa.Engine, drawn: Integration
) -> None:
    """
    Rule: an integration found by its token on the driver's cursor equals, field for field,
    types and time zones included, the one SQLAlchemy Core reads from the same row.
    """
    assert TokenLookup.applies(engine)
    with engine.begin() as connection:
        connection.execute(sa.delete(sa.table("integration_core_integration")))
    repository = SqlIntegrationRepository(engine)
    stored = repository.add(drawn)
    assert stored.access is not None
    found = repository.find_by_access_token_digest(stored.access.token_digest)
    assert found is not None
    assert fields(found) == fields(repository.get(stored.id)) == fields(stored)
    saved = repository.save(stored)
    assert fields(repository.find_by_access_token_digest(stored.access.token_digest)) == fields(
        saved
    )


def test_a_token_re_issued_to_a_re_created_integration_finds_the_new_one(
    engine: sa.Engine,
) -> None:
    repository, stored = stored_with_token(engine)
    assert repository.find_by_access_token_digest(digest(TOKEN)) == stored
    repository.delete(stored.id, version=stored.version)
    assert repository.find_by_access_token_digest(digest(TOKEN)) is None
    again = repository.add(sample_integration("Shop", access_token=TOKEN))
    found = repository.find_by_access_token_digest(digest(TOKEN))
    assert found == again
    assert found.id != stored.id


def test_a_host_connection_reads_its_own_uncommitted_row(engine: sa.Engine) -> None:
    lookup = TokenLookup()
    with engine.connect() as connection:
        assert not TokenLookup.applies(connection)  # no transaction yet: Core's path
        with connection.begin():
            connection.execute(
                sa.insert(sa.table("integration_core_integration", *_columns())),
                _row_of(sample_integration("Shop", access_token=TOKEN)),
            )
            assert TokenLookup.applies(connection)
            found = lookup.on_connection(connection, digest(TOKEN))
            assert found is not None
            assert found.name == "Shop"
            assert lookup.on_connection(connection, "0" * 64) is None
            connection.rollback()
    assert SqlIntegrationRepository(engine).find_by_access_token_digest(digest(TOKEN)) is None


def _columns() -> list[sa.ColumnClause[Any]]:
    from integration_core.adapters.sqlalchemy import integrations as table  # noqa: PLC0415

    return [sa.column(column.name) for column in table.columns]


def _row_of(integration: Integration) -> dict[str, Any]:
    from integration_core.adapters.sqlalchemy._rows import row_of  # noqa: PLC0415

    return {"id": integration.id, **row_of(attrs.evolve(integration, version=1))}


def _statement_listener(made: sa.Engine, seen: list[str]) -> sa.Engine:
    sa.event.listen(made, "before_cursor_execute", lambda *arguments: seen.append(arguments[2]))
    return made


def _error_listener(made: sa.Engine, _seen: list[str]) -> sa.Engine:
    sa.event.listen(made, "handle_error", lambda _context: None)
    return made


def _schema_translated(made: sa.Engine, _seen: list[str]) -> sa.Engine:
    return made.execution_options(schema_translate_map={None: None})


def _isolated(made: sa.Engine, _seen: list[str]) -> sa.Engine:
    # SQLAlchemy applies these options with a listener of its own: conservatively, Core's path.
    return made.execution_options(isolation_level="SERIALIZABLE")


@pytest.mark.parametrize(
    ("instrument", "fast"),
    [
        pytest.param(_statement_listener, False, id="cursor-listener"),
        pytest.param(_error_listener, False, id="error-listener"),
        pytest.param(_isolated, False, id="engine-isolation-level"),
        pytest.param(_schema_translated, True, id="schema-translated"),
    ],
)
def test_a_listened_engine_reads_through_core(
    tmp_path: Path, instrument: Callable[[sa.Engine, list[str]], sa.Engine], *, fast: bool
) -> None:
    made = sa.create_engine(f"sqlite:///{tmp_path / 'listened.sqlite'}")
    create_tables(made)
    seen: list[str] = []
    instrumented = instrument(made, seen)
    repository, stored = stored_with_token(instrumented)
    seen.clear()
    assert TokenLookup.applies(instrumented) is fast
    assert repository.find_by_access_token_digest(digest(TOKEN)) == stored
    if instrument is _statement_listener:
        assert [statement.split()[0] for statement in seen] == ["SELECT"]
    made.dispose()


def test_statement_logging_and_other_drivers_read_through_core(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    logged = sa.create_engine(f"sqlite:///{tmp_path / 'logged.sqlite'}", echo=True)
    assert not TokenLookup.applies(logged)
    quiet = sa.create_engine(f"sqlite:///{tmp_path / 'quiet.sqlite'}")
    assert TokenLookup.applies(quiet)
    with caplog.at_level(logging.INFO, logger="sqlalchemy.engine"):
        assert not TokenLookup.applies(quiet)
    quiet.dispose()
    asynchronous = sa.create_engine("postgresql+psycopg_async://nobody@/nothing")
    assert not TokenLookup.applies(asynchronous)
    logged.dispose()
    asynchronous.dispose()


@pytest.mark.parametrize(
    ("column", "value"),
    [("created_at", "garbage"), ("status", 9), ("selection", "not json")],
)
def test_a_corrupt_row_found_by_token_names_its_column_and_is_never_remembered(
    column: str, value: object
) -> None:
    made = memory_engine()
    create_tables(made)
    repository, stored = stored_with_token(made)
    assert repository.find_by_access_token_digest(digest(TOKEN)) == stored
    update = f"UPDATE integration_core_integration SET {column} = ?"  # noqa: S608 - our column
    with made.begin() as connection:
        connection.exec_driver_sql(update, (value,))
    with pytest.raises(StoredDataError) as raised:
        repository.find_by_access_token_digest(digest(TOKEN))
    assert (raised.value.integration_id, raised.value.column) == (stored.id, column)
    assert raised.value.__cause__ is None
    repository.save(attrs.evolve(stored, version=stored.version))
    assert repository.find_by_access_token_digest(digest(TOKEN)) == attrs.evolve(stored, version=2)
    made.dispose()


def test_a_dropped_connection_is_unavailable_and_invalidated(tmp_path: Path) -> None:
    made = sa.create_engine(f"sqlite:///{tmp_path / 'dropped.sqlite'}")
    create_tables(made)
    stored_with_token(made)
    with made.connect() as connection:
        transaction = connection.begin()
        driver_connection: Any = connection.connection.dbapi_connection
        driver_connection.close()
        with pytest.raises(StorageUnavailableError, match="closed database") as raised:
            TokenLookup().on_connection(connection, digest(TOKEN))
        assert connection.invalidated  # as after Core's own failure: the host rolls back
        assert TOKEN not in str(raised.value.__cause__)
        transaction.rollback()
    made.dispose()


class _SwitchedConnection(sqlite3.Connection):
    """A driver connection with psycopg's ``autocommit`` switch, noting it on each statement."""

    autocommit = False
    seen: list[bool]

    def execute(self, *arguments: Any) -> sqlite3.Cursor:
        self.seen.append(self.autocommit)
        return super().execute(*arguments)


def test_a_server_read_runs_in_autocommit_and_restores_the_connection(tmp_path: Path) -> None:
    path = tmp_path / "switched.sqlite"
    opened: list[_SwitchedConnection] = []

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(path, factory=_SwitchedConnection, check_same_thread=False)
        assert isinstance(connection, _SwitchedConnection)
        connection.seen = []
        opened.append(connection)
        return connection

    made = sa.create_engine("sqlite://", creator=connect)
    create_tables(made)
    stored_with_token(made)
    lookup = TokenLookup()
    assert lookup.on_engine(made, digest(TOKEN)) is not None
    assert opened[-1].seen[-1] is True
    assert opened[-1].autocommit is False
    made.dispose()


@pytest.mark.parametrize(
    ("url", "marker", "parameters"),
    [("sqlite://", "= ?", ("d",)), ("postgresql+psycopg://n@/x", "= %(value)s", {"value": "d"})],
)
def test_parameters_follow_the_dialects_style(url: str, marker: str, parameters: object) -> None:
    made = sa.create_engine(url)
    rendered = TokenLookup()._render(made.dialect, made.get_execution_options())
    assert marker in rendered.sql
    assert _parameters(rendered, "d") == parameters
    made.dispose()


def test_an_unchanged_row_is_decoded_once(
    engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    repository, stored = stored_with_token(engine)
    first = repository.find_by_access_token_digest(digest(TOKEN))
    assert first == stored
    assert repository.find_by_access_token_digest(digest(TOKEN)) is first
    # A full memo starts afresh: the next read decodes again, to an equal integration.
    monkeypatch.setattr(repository._tokens._memo, "limit", 1)
    other = repository.add(sample_integration("Other", access_token="o" * 32))
    assert repository.find_by_access_token_digest(digest("o" * 32)) == other
    again = repository.find_by_access_token_digest(digest(TOKEN))
    assert again == first
    assert again is not first


def test_a_closed_host_connection_is_unavailable(engine: sa.Engine) -> None:
    connection = engine.connect()
    connection.close()
    with pytest.raises(StorageUnavailableError, match="closed"):
        TokenLookup().on_connection(connection, digest(TOKEN))


def test_an_exhausted_pool_is_unavailable(tmp_path: Path) -> None:
    made = sa.create_engine(
        f"sqlite:///{tmp_path / 'pool.sqlite'}", pool_size=1, max_overflow=0, pool_timeout=0.01
    )
    create_tables(made)
    repository, _ = stored_with_token(made)
    with made.connect(), pytest.raises(StorageUnavailableError, match="QueuePool limit"):
        repository.find_by_access_token_digest(digest(TOKEN))
    made.dispose()


def test_in_the_hosts_session_the_token_read_sees_its_uncommitted_row(engine: sa.Engine) -> None:
    with Session(engine) as session:
        hosted = SqlIntegrationRepository(session)
        stored = hosted.add(sample_integration("Shop", access_token=TOKEN))
        assert TokenLookup.applies(session.connection())
        assert hosted.find_by_access_token_digest(digest(TOKEN)) == stored
        session.rollback()
    assert SqlIntegrationRepository(engine).find_by_access_token_digest(digest(TOKEN)) is None


def test_in_a_unit_of_work_the_token_read_shares_its_connection(engine: sa.Engine) -> None:
    repository = SqlIntegrationRepository(engine)
    with repository.atomic():
        stored = repository.add(sample_integration("Shop", access_token=TOKEN))
        assert repository.find_by_access_token_digest(digest(TOKEN)) == stored
    assert repository.find_by_access_token_digest(digest(TOKEN)) == stored


def test_a_host_connection_outside_a_transaction_reads_through_core(engine: sa.Engine) -> None:
    _, stored = stored_with_token(engine)
    with engine.connect() as connection:
        assert not connection.in_transaction()
        hosted = SqlIntegrationRepository(connection)
        assert hosted.find_by_access_token_digest(digest(TOKEN)) == stored


def test_a_host_session_on_a_dead_database_is_unavailable() -> None:
    dead = sa.create_engine("sqlite:////nonexistent-directory/for/integrations.sqlite")
    with Session(dead) as session, pytest.raises(StorageUnavailableError, match="unable to open"):
        SqlIntegrationRepository(session).find_by_access_token_digest(digest(TOKEN))
    dead.dispose()

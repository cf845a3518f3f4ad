"""The SQL adapter inside the host's unit of work: a ``Connection`` or a ``Session`` the host commits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from integration_core import Integration
from integration_core.adapters.sqlalchemy import SqlIntegrationRepository, create_tables
from integration_core.errors import (
    ConcurrencyConflictError,
    DuplicateNameError,
    InvalidArgumentError,
    StorageUnavailableError,
)
from integration_core.testing._contract_atomic import CHANGED, SYNCED
from integration_core.testing.builders import sample_integration, sample_service
from integration_core.testing.failing import FailingWrites
from tests.adapters.test_sqlalchemy import BACKENDS, file_engine, memory_engine, postgres_engine

Host = sa.Connection | Session

AUDIT = sa.Table("host_audit", sa.MetaData(), sa.Column("entry", sa.String(100)))
"""The host's own table, written in the same transaction as the integrations."""


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    made = {
        "sqlite-memory": memory_engine,
        "sqlite-file": lambda: file_engine(tmp_path),
        "postgres": postgres_engine,
    }[request.param]()
    AUDIT.drop(made, checkfirst=True)
    AUDIT.create(made)
    create_tables(made)
    yield made
    made.dispose()


@pytest.fixture(params=["connection", "session"])
def host(request: pytest.FixtureRequest, engine: sa.Engine) -> Iterator[Host]:
    opened: Host = engine.connect() if request.param == "connection" else Session(engine)
    with opened:
        yield opened


def stored(engine: sa.Engine) -> tuple[list[str], list[str]]:
    """The integrations' names and the audit entries committed, read afresh."""
    names = [integration.name for integration in SqlIntegrationRepository(engine).list()]
    with engine.connect() as connection:
        entries = list(connection.execute(sa.select(AUDIT.c.entry)).scalars())
    return names, entries


def audit(host: Host, entry: str) -> None:
    host.execute(AUDIT.insert().values(entry=entry))


def test_the_host_rollback_drops_the_integration_and_its_audit_row_and_commit_keeps_both(
    engine: sa.Engine, host: Host
) -> None:
    repository = SqlIntegrationRepository(host)
    # The repository's write is the transaction's first statement: it must not commit it.
    dropped = repository.add(sample_integration("Dropped"))
    assert dropped == repository.get_by_name("dropped")
    audit(host, "created Dropped")
    host.rollback()
    assert stored(engine) == ([], [])
    repository.add(sample_integration("Kept"))
    audit(host, "created Kept")
    host.commit()
    assert stored(engine) == (["Kept"], ["created Kept"])


def test_a_refused_write_undoes_only_itself_and_the_host_transaction_goes_on(
    engine: sa.Engine, host: Host
) -> None:
    repository = SqlIntegrationRepository(host)
    first = repository.add(sample_integration("First"))
    with pytest.raises(DuplicateNameError):
        repository.add(sample_integration("FIRST"))
    with pytest.raises(ConcurrencyConflictError):
        repository.save(_stale(first))
    audit(host, "after the refusals")
    host.commit()
    assert stored(engine) == (["First"], ["after the refusals"])


def test_a_unit_that_raises_in_the_host_transaction_is_undone_and_the_rest_kept(
    engine: sa.Engine, host: Host
) -> None:
    repository = SqlIntegrationRepository(host)
    repository.add(sample_integration("Before"))
    with pytest.raises(DuplicateNameError):
        _add_together(repository, sample_integration("Inside"), sample_integration("BEFORE"))
    audit(host, "kept")
    host.commit()
    assert stored(engine) == (["Before"], ["kept"])


def test_a_sync_failing_in_the_host_transaction_changes_nothing_and_the_host_commits_its_rows(
    engine: sa.Engine, host: Host
) -> None:
    sample_service(repository=SqlIntegrationRepository(engine)).sync_config(SYNCED)
    before = SqlIntegrationRepository(engine).list()
    failing = FailingWrites(SqlIntegrationRepository(host), fail_at=len(CHANGED))
    with pytest.raises(StorageUnavailableError):
        sample_service(repository=failing).sync_config(CHANGED)
    audit(host, "sync failed")
    host.commit()
    assert SqlIntegrationRepository(engine).list() == before
    assert stored(engine)[1] == ["sync failed"]


def test_a_sync_in_the_host_transaction_is_stored_by_the_host_commit(
    engine: sa.Engine, host: Host
) -> None:
    repository = SqlIntegrationRepository(host)
    report = sample_service(repository=repository).sync_config(SYNCED)
    assert [integration.name for integration in repository.list()] == sorted(report.created)
    host.commit()
    assert stored(engine)[0] == sorted(report.created)


def test_a_session_joined_to_the_host_connection_shares_its_transaction(
    engine: sa.Engine,
) -> None:
    with engine.connect() as connection, Session(bind=connection) as session:
        SqlIntegrationRepository(session).add(sample_integration("Joined"))
        audit(connection, "joined")
        connection.rollback()
    assert stored(engine) == ([], [])


def test_the_repr_says_whose_transaction_it_runs_in() -> None:
    engine = memory_engine()
    with engine.connect() as connection, Session(engine) as session:
        assert repr(SqlIntegrationRepository(connection)) == (
            "<SqlIntegrationRepository: sqlite:// (the host's Connection)>"
        )
        assert repr(SqlIntegrationRepository(session)) == (
            "<SqlIntegrationRepository: sqlite:// (the host's Session)>"
        )
    engine.dispose()


@pytest.mark.parametrize("bind", ["sqlite://", None, object()], ids=["url", "none", "object"])
def test_a_bind_that_is_no_engine_connection_or_session_is_refused_naming_it(
    bind: object,
) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        SqlIntegrationRepository(bind)  # type: ignore[arg-type]
    assert raised.value.field == "bind"
    assert raised.value.reason.startswith("expected an Engine, a Connection or a Session, got ")


def test_a_session_bound_to_no_engine_is_refused_naming_the_bind() -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        SqlIntegrationRepository(Session())
    assert (raised.value.field, raised.value.reason) == (
        "bind",
        "the Session is bound to no engine",
    )


def _add_together(repository: SqlIntegrationRepository, *integrations: Integration) -> None:
    with repository.atomic():
        for integration in integrations:
            repository.add(integration)


def _stale(integration: Integration) -> Integration:
    return attrs.evolve(integration, version=integration.version + 5)

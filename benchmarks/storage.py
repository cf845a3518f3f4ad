"""
The hot path on real storage: ``authorize`` by access token through the SQLAlchemy adapter.

The active integrations of :mod:`benchmarks.integration` are copied into SQLite (in
memory and on a file) and, when ``INTEGRATION_CORE_TEST_POSTGRES_URL`` names a
database, PostgreSQL (in a schema of its own, dropped afterwards). Each call then
costs one lookup by token digest through the digest's unique index; compiled
permissions stay cached by the service. ``python -m benchmarks.storage [--smoke]``
prints these rows alone.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from benchmarks.config import FULL, SMOKE, Config
from benchmarks.integration import ALLOWED_ROUTE, INTEGRATIONS, _calls, _service
from benchmarks.magento import read_documents
from benchmarks.report import Row, format_ns, format_ratio, table
from benchmarks.timing import best_ns_per_item
from integration_core import AclTree, IntegrationService
from integration_core.adapters.sqlalchemy import SqlIntegrationRepository, create_tables
from integration_core.integrations._credentials import digest
from integration_core.testing.builders import sample_sealer

__all__ = ["POSTGRES_URL_VARIABLE", "postgres", "sqlite_on_file", "storage_rows", "stored_copy"]

POSTGRES_URL_VARIABLE = "INTEGRATION_CORE_TEST_POSTGRES_URL"
"""The environment variable naming the PostgreSQL database to measure (scripts/postgres sets it)."""

CALLS_PER_IN_MEMORY_CALL = 100
"""A database call costs about a hundred in-memory ones: time that many fewer calls."""


@contextlib.contextmanager
def _sqlite_in_memory() -> Iterator[sa.Engine]:
    engine = sa.create_engine("sqlite://", poolclass=StaticPool)
    yield engine
    engine.dispose()


@contextlib.contextmanager
def sqlite_on_file() -> Iterator[sa.Engine]:
    with tempfile.TemporaryDirectory() as directory:
        engine = sa.create_engine(f"sqlite:///{Path(directory) / 'integrations.sqlite'}")
        yield engine
        engine.dispose()


@contextlib.contextmanager
def postgres(url: str) -> Iterator[sa.Engine]:
    """An engine whose tables live in a fresh schema, dropped afterwards."""
    schema = f"integration_core_benchmark_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.schema.CreateSchema(schema))
    try:
        yield engine.execution_options(schema_translate_map={None: schema})
    finally:
        with engine.begin() as connection:
            connection.execute(sa.schema.DropSchema(schema, cascade=True))
        engine.dispose()


def _databases() -> list[tuple[str, Callable[[], contextlib.AbstractContextManager[sa.Engine]]]]:
    databases: list[tuple[str, Callable[[], contextlib.AbstractContextManager[sa.Engine]]]] = [
        ("SQLite in memory", _sqlite_in_memory),
        ("SQLite on a file", sqlite_on_file),
    ]
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if url:
        databases.append(("PostgreSQL", lambda: postgres(url)))
    return databases


def stored_copy(
    engine: sa.Engine, reference: IntegrationService, tree: AclTree
) -> tuple[SqlIntegrationRepository, IntegrationService]:
    """The tables created on ``engine``, ``reference``'s integrations copied in, a service over them."""
    create_tables(engine)
    repository = SqlIntegrationRepository(engine)
    for integration in reference.repository.list():
        repository.add(integration)
    service = IntegrationService(
        repository, tree, reference.clock, reference.settings, sealer=sample_sealer()
    )
    return repository, service


def _authorize(service: IntegrationService, token: str) -> object:
    return service.authorize(token, ALLOWED_ROUTE)


def _lookup(repository: SqlIntegrationRepository, token: str) -> object:
    return repository.find_by_access_token_digest(digest(token))


def storage_rows(config: Config) -> list[Row]:
    """Time ``authorize`` and the digest lookup on each database, against the in-memory repository."""
    tree = AclTree.from_magento_xml(read_documents())
    reference, tokens = _service(tree)
    calls = max(1, config.integration_checks // CALLS_PER_IN_MEMORY_CALL)

    def time_calls(action: Callable[[str], object]) -> float:
        return best_ns_per_item(_calls(action, tokens, calls), calls, config.repeats)

    in_memory = time_calls(lambda token: reference.authorize(token, ALLOWED_ROUTE))
    rows: list[Row] = []
    for label, database in _databases():
        with database() as engine:
            repository, service = stored_copy(engine, reference, tree)
            if not all(service.authorize(token, ALLOWED_ROUTE).allowed for token in tokens):
                raise AssertionError(f"{label}: a stored integration was not authorized")
            authorize = time_calls(partial(_authorize, service))
            lookup = time_calls(partial(_lookup, repository))
        rows.append(
            Row(
                "integration",
                f"`authorize(token, [1 resource])`, allowed, SQLAlchemy on {label} "
                f"({INTEGRATIONS} integrations)",
                format_ns(authorize),
                f"{format_ratio(authorize / in_memory)} the in-memory repository",
                "indicative",
            )
        )
        rows.append(
            Row(
                "integration",
                f"of which: digest + `find_by_access_token_digest` on {label}",
                format_ns(lookup),
                f"{lookup / authorize:.0%} of the call",
            )
        )
    if len(rows) < 2 * 3:
        rows.append(
            Row(
                "integration",
                "`authorize` on PostgreSQL",
                "not measured",
                f"set {POSTGRES_URL_VARIABLE} (scripts/postgres does)",
            )
        )
    return rows


def main(arguments: Sequence[str]) -> int:
    """Print the storage rows alone: ``python -m benchmarks.storage [--smoke]``."""
    print(table(storage_rows(SMOKE if "--smoke" in arguments else FULL)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

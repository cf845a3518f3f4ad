"""
The integrations grid: one page (filter + sort + 20 rows) over 10,000 stored integrations.

``SqlIntegrationRepository.query`` against the driver's own execution of the same
``SELECT`` (the page and, in a subquery, the total), on one connection kept open, in the
same run; the in-memory repository is shown for scale. The integrations are bulk-loaded
in one transaction. ``python -m benchmarks.grid [--smoke]`` prints these rows alone.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import attrs
import sqlalchemy as sa

from benchmarks.config import FULL, SMOKE, Config
from benchmarks.report import Row, format_ns, format_ratio, table
from benchmarks.storage import POSTGRES_URL_VARIABLE, postgres, sqlite_on_file
from benchmarks.timing import Measure, interleaved_best_ns
from integration_core.adapters.memory import InMemoryIntegrationRepository
from integration_core.adapters.sqlalchemy import (
    SqlIntegrationRepository,
    create_tables,
    integrations,
)
from integration_core.adapters.sqlalchemy._rows import row_of
from integration_core.integrations import GridSort, IntegrationQuery, IntegrationStatus
from integration_core.testing._contract_grid import grid_integration

__all__ = ["GRID_GOAL", "PAGES", "grid_rows"]

GRID_GOAL = 3.0
"""A grid page through the repository may cost at most this many times the driver's query."""

PAGES = {
    "name contains 'shop', Inactive, newest first, page 3": IntegrationQuery(
        name_contains="shop",
        statuses={IntegrationStatus.INACTIVE},
        sort=GridSort.CREATED_AT,
        descending=True,
        page=3,
    ),
    "no filter, by name, page 1": IntegrationQuery(),
}
"""The grid pages measured, by what they show."""

_COLUMNS = ", ".join(column.name for column in integrations.columns)
_SORT_SQL = {
    GridSort.NAME: "name_search_key {0}, id {0}",
    GridSort.STATUS: "status {0}, name_search_key {0}, id {0}",
    GridSort.CREATED_AT: "created_at {0}, name_search_key {0}, id {0}",
}


def _raw_sql(query: IntegrationQuery, table_name: str, mark: str) -> tuple[str, tuple[object, ...]]:
    """The ``SELECT`` a host would write by hand for ``query``, with its parameters."""
    where: list[str] = []
    parameters: list[object] = []
    if query.name_search_key:
        escaped = query.name_search_key.translate({ord(c): f"/{c}" for c in "/%_"})
        where.append(f"name_search_key LIKE {mark} ESCAPE '/'")
        parameters.append(f"%{escaped}%")
    if query.statuses:
        where.append(f"status IN ({', '.join(mark for _ in query.statuses)})")
        parameters.extend(sorted(status.value for status in query.statuses))
    # No "WHERE 1 = 1" for no filter: it keeps SQLite from counting the table the fast way.
    condition = f"WHERE {' AND '.join(where)}" if where else ""
    order = _SORT_SQL[query.sort].format("DESC" if query.descending else "ASC")
    sql = (
        f"SELECT {_COLUMNS}, (SELECT count(*) FROM {table_name} {condition}) AS total "  # noqa: S608  # our own names
        f"FROM {table_name} {condition} ORDER BY {order} "
        f"LIMIT {query.page_size} OFFSET {query.offset}"
    )
    return sql, (*parameters, *parameters)


Driver = Callable[[IntegrationQuery], list[Any]]


@contextlib.contextmanager
def _raw_sqlite(engine: sa.Engine) -> Iterator[Driver]:
    connection = sqlite3.connect(str(engine.url.database), check_same_thread=False)
    try:
        yield lambda query: connection.execute(*_raw_sql(query, integrations.name, "?")).fetchall()
    finally:
        connection.close()


@contextlib.contextmanager
def _raw_postgres(engine: sa.Engine) -> Iterator[Driver]:
    import psycopg  # noqa: PLC0415  # the postgres extra, needed only when PostgreSQL is measured

    schema = engine.get_execution_options()["schema_translate_map"][None]
    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    table_name = f'"{schema}".{integrations.name}'
    with psycopg.connect(url, autocommit=True) as connection:
        yield lambda query: connection.execute(*_raw_sql(query, table_name, "%s")).fetchall()


def _databases() -> list[
    tuple[
        str,
        Callable[[], contextlib.AbstractContextManager[sa.Engine]],
        Callable[[sa.Engine], contextlib.AbstractContextManager[Driver]],
    ]
]:
    databases: list[Any] = [("SQLite on a file", sqlite_on_file, _raw_sqlite)]
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if url:
        databases.append(("PostgreSQL", lambda: postgres(url), _raw_postgres))
    return databases


def _load(engine: sa.Engine, count: int) -> SqlIntegrationRepository:
    """The tables, ``count`` grid integrations inserted in one transaction, a repository over them."""
    create_tables(engine)
    stored = (attrs.evolve(grid_integration(number), version=1) for number in range(count))
    rows = [{"id": integration.id, **row_of(integration)} for integration in stored]
    with engine.begin() as connection:
        connection.execute(sa.insert(integrations), rows)
    return SqlIntegrationRepository(engine)


def _repeat(
    action: Callable[[IntegrationQuery], object], query: IntegrationQuery, calls: int
) -> Measure:
    def run() -> None:
        for _ in range(calls):
            action(query)

    return Measure(run)


def _forgetting(repository: SqlIntegrationRepository, query: IntegrationQuery) -> object:
    """The page with every row decoded again: as read the first time, or after each row changed."""
    repository._decoded_rows.forget()  # noqa: SLF001 - the benchmark times decoding too
    return repository.query(query)


def _check_agreement(label: str, repository: SqlIntegrationRepository, driver: Driver) -> None:
    """Ours and the driver's must show the same page before either is timed."""
    for case, query in PAGES.items():
        page = repository.query(query)
        raw = driver(query)
        if [row[0] for row in raw] != [i.id for i in page.items] or {row[-1] for row in raw} != {
            page.total
        }:
            raise AssertionError(f"{label}: {case}: the driver's page differs from ours")
        if len(page.items) != query.page_size:
            raise AssertionError(f"{label}: {case}: a short page, too few integrations stored")


def grid_rows(config: Config) -> list[Row]:
    """Time grid pages through the repository against the driver's own query, on each database."""
    count, calls = config.grid_integrations, config.grid_calls
    in_memory = InMemoryIntegrationRepository()
    for number in range(count):
        in_memory.add(grid_integration(number))
    rows: list[Row] = []
    for label, database, raw in _databases():
        with database() as engine, raw(engine) as driver:
            repository = _load(engine, count)
            _check_agreement(label, repository, driver)
            measures = {
                (case, kind): _repeat(action, query, calls)
                for case, query in PAGES.items()
                for kind, action in (
                    ("ours", repository.query),
                    ("ours, nothing remembered", functools.partial(_forgetting, repository)),
                    ("driver", driver),
                    ("memory", in_memory.query),
                )
            }
            best = interleaved_best_ns(measures, config.repeats)
        for case in PAGES:
            ours, cold, theirs, memory = (
                best[case, kind] / calls
                for kind in ("ours", "ours, nothing remembered", "driver", "memory")
            )
            rows.extend(
                [
                    Row(
                        "grid",
                        f"driver's own `SELECT` of the page and total, {case}, {label} (baseline)",
                        format_ns(theirs),
                        "1x",
                    ),
                    Row(
                        "grid",
                        f"`repository.query`, {case}, {label} ({count} integrations)",
                        format_ns(ours),
                        f"{format_ratio(ours / theirs)} the driver's `SELECT`",
                        f"<= {GRID_GOAL:g}x",
                        ours / theirs <= GRID_GOAL,
                    ),
                    Row(
                        "grid",
                        f"`repository.query`, {case}, {label}, every row decoded again",
                        format_ns(cold),
                        f"{format_ratio(cold / theirs)} the driver's `SELECT`",
                        "indicative",
                    ),
                    Row(
                        "grid",
                        f"`InMemoryIntegrationRepository.query`, {case}, beside {label}",
                        format_ns(memory),
                        f"{format_ratio(memory / theirs)} the driver's `SELECT`",
                    ),
                ]
            )
    if not os.environ.get(POSTGRES_URL_VARIABLE):
        rows.append(
            Row(
                "grid",
                "a grid page on PostgreSQL",
                "not measured",
                f"set {POSTGRES_URL_VARIABLE} (scripts/postgres does)",
            )
        )
    return rows


def main(arguments: Sequence[str]) -> int:
    """Print the grid rows alone: ``python -m benchmarks.grid [--smoke]``."""
    print(table(grid_rows(SMOKE if "--smoke" in arguments else FULL)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

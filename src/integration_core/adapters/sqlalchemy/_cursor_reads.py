"""
Reads on the DBAPI cursor: the token lookup of every API call, and the grid's pages.

SQLAlchemy Core's execution and result layers cost several times the driver's own
``SELECT`` of a few rows. This path renders each statement once per dialect and schema
translation, runs it on the DBAPI connection (a pooled one, or the one under the caller's
SQLAlchemy ``Connection``), and hands back the driver's tuples with the result processors
SQLAlchemy itself would apply, so that both paths read identical values; the caller
decodes only rows it has not decoded before (:class:`~._rows.DecodedRows`).

It runs only where it is known to be equivalent: the pysqlite and psycopg drivers, no
statement logging (``echo`` or the ``sqlalchemy.engine`` logger at ``INFO``), no listener
on the engine's or connection's events (those hosts keep seeing the statement), on a
host's ``Connection`` only inside its transaction, and only statements whose parameters
no bind processor converts; everywhere else the caller uses Core.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from integration_core.adapters.sqlalchemy._rows import Processors
from integration_core.adapters.sqlalchemy._schema import unavailable
from integration_core.errors import StorageUnavailableError

__all__ = ["Rendered", "applies", "fetch_on_connection", "fetch_on_engine", "rendering"]

_DRIVERS = frozenset({("sqlite", "pysqlite"), ("postgresql", "psycopg")})
"""The (dialect, driver) pairs whose DBAPI behaviour this path is tested against."""

Fetched = TypeVar("Fetched")


def applies(bind: Engine | Connection) -> bool:
    """Whether the DBAPI path reads exactly what Core would on ``bind``."""
    engine = bind.engine
    dialect = engine.dialect
    if (dialect.name, dialect.driver) not in _DRIVERS or dialect.is_async:
        return False
    # Statements are logged with echo=True or the "sqlalchemy.engine" logger at INFO.
    if engine.logger.isEnabledFor(logging.INFO):
        return False
    # SQLAlchemy marks an engine or connection that has execution listeners (it checks the
    # same flags on each execution); the dialect keeps the error and execute hooks.
    if engine._has_events or (bind is not engine and bind._has_events):  # noqa: SLF001
        return False
    if dialect.dispatch.handle_error or dialect.dispatch.do_execute:
        return False
    # On a host's Connection outside a transaction, the driver would open one it does not know of.
    return not isinstance(bind, Connection) or bind.in_transaction()


class Rendered:
    """
    A statement as one dialect's SQL text, how its parameters are passed, its processors.

    ``processors`` are those of the first ``width`` columns, the integration's. ``direct``
    is false where Core would convert a parameter (a bind processor), render one into the
    SQL, or convert a column after those: such a statement is read through Core.
    """

    __slots__ = (
        "_compiled",
        "_expanding",
        "dialect",
        "direct",
        "options",
        "positional",
        "processors",
        "sql",
    )

    def __init__(
        self,
        statement: sa.Select[Any],
        dialect: sa.Dialect,
        options: Mapping[str, Any],
        width: int,
    ) -> None:
        self.dialect, self.options = dialect, options
        schema_map = options.get("schema_translate_map")
        compile_options: dict[str, Any] = {}
        if schema_map:
            compile_options = {"schema_translate_map": schema_map, "render_schema_translate": True}
        self._compiled = compiled = statement.compile(dialect=dialect, **compile_options)
        self.sql = compiled.string
        self.positional = compiled.positional
        binds = compiled.binds.values()
        self._expanding = any(bind.expanding for bind in binds)
        processors = tuple(
            (at, process)
            for at, column in enumerate(statement.selected_columns)
            if (process := column.type.dialect_impl(dialect).result_processor(dialect, None))
        )
        self.processors: Processors = tuple(pair for pair in processors if pair[0] < width)
        self.direct = len(self.processors) == len(processors) and not any(
            bind.literal_execute or bind.type.dialect_impl(dialect).bind_processor(dialect)
            for bind in binds
        )

    def arguments(
        self, parameters: Mapping[str, Any]
    ) -> tuple[str, Sequence[Any] | Mapping[str, Any]]:
        """The SQL and the driver's parameters, ``IN`` lists expanded as Core expands them."""
        compiled = self._compiled
        if self._expanding:
            expanded = compiled.construct_expanded_state(parameters)
            if compiled.positional:
                return expanded.statement, expanded.positional_parameters
            return expanded.statement, expanded.parameters
        if compiled.positional:
            return self.sql, tuple(map(parameters.__getitem__, compiled.positiontup or ()))
        return self.sql, parameters


def rendering(
    previous: Rendered | None,
    statement: sa.Select[Any],
    dialect: sa.Dialect,
    options: Mapping[str, Any],
    width: int,
) -> Rendered:
    """``previous`` if it was rendered for ``dialect`` and these execution options, else anew."""
    # Execution options are immutable: the same mapping means the same schema translation.
    if previous is not None and previous.options is options and previous.dialect is dialect:
        return previous
    return Rendered(statement, dialect, options, width)


def fetch_on_engine(
    engine: Engine,
    sql: str,
    parameters: Sequence[Any] | Mapping[str, Any],
    fetch: Callable[[Any], Fetched],
) -> Fetched:
    """``fetch`` of the cursor that ran ``sql`` on a connection checked out of the pool."""
    try:
        pooled = engine.raw_connection()
    except SQLAlchemyError as error:  # the pool's own refusals: exhausted, timed out
        raise unavailable(error) from error
    except engine.dialect.loaded_dbapi.Error as error:
        raise _failure(engine.dialect, error, None, lost=False)  # noqa: B904 - chained inside
    # On a server, one SELECT outside any transaction, as the repository's Core reads run:
    # psycopg would otherwise send BEGIN first, and the pool a ROLLBACK on return. pysqlite
    # opens no transaction for a SELECT and has no such switch.
    switch = getattr(pooled.dbapi_connection, "autocommit", None) is False
    try:
        return _fetch(
            engine.dialect, pooled, pooled.invalidate, sql, parameters, fetch=fetch, switch=switch
        )
    finally:
        pooled.close()


def fetch_on_connection(
    connection: Connection,
    sql: str,
    parameters: Sequence[Any] | Mapping[str, Any],
    fetch: Callable[[Any], Fetched],
) -> Fetched:
    """``fetch`` of the cursor that ran ``sql`` in ``connection``'s own transaction."""
    try:
        pooled = connection.connection
    except SQLAlchemyError as error:
        raise unavailable(error) from error
    # A dropped connection is invalidated through the host's Connection, as Core does.
    return _fetch(
        connection.dialect,
        pooled,
        connection.invalidate,
        sql,
        parameters,
        fetch=fetch,
        switch=False,
    )


def _fetch(
    dialect: sa.Dialect,
    pooled: sa.PoolProxiedConnection,
    invalidate: Callable[[BaseException], object],
    sql: str,
    parameters: Sequence[Any] | Mapping[str, Any],
    *,
    fetch: Callable[[Any], Fetched],
    switch: bool,
) -> Fetched:
    """
    ``fetch`` of the cursor, in autocommit for the statement if ``switch``.

    A driver failure becomes the library's error, without parameters.
    """
    driver_connection: Any = pooled.dbapi_connection
    try:
        if switch:
            # Refused by the driver inside a transaction, as SQLAlchemy's own switch would be.
            driver_connection.autocommit = True
        try:
            # Both drivers run a statement on the connection itself, on a cursor freed with its
            # result.
            return fetch(driver_connection.execute(sql, parameters))
        finally:
            if switch:
                driver_connection.autocommit = False
    except dialect.loaded_dbapi.Error as error:
        lost = dialect.is_disconnect(error, driver_connection, None)
        if lost:
            # As Core does: a connection the server dropped is not handed out again.
            invalidate(error)
        raise _failure(dialect, error, sql, lost=lost)  # noqa: B904 - chained inside


def _failure(
    dialect: sa.Dialect, error: Exception, sql: str | None, *, lost: bool
) -> StorageUnavailableError:
    """
    A driver failure as the library's error, chained to SQLAlchemy's wrapper as Core raises it.

    The wrapper holds the statement but no parameters, so no traceback shows a value.
    """
    wrapped = DBAPIError.instance(
        sql,
        None,
        error,
        dialect.loaded_dbapi.Error,
        hide_parameters=True,
        connection_invalidated=lost,
        dialect=dialect,
    )
    failure = unavailable(wrapped)
    failure.__cause__ = wrapped
    return failure

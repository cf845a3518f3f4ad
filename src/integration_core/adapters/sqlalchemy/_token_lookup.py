"""
The lookup by access-token digest, on the DBAPI cursor: the one read every API call makes.

SQLAlchemy Core's execution and result layers cost several times the driver's own
``SELECT`` of the row. This path renders the same statement once per dialect and schema
translation, runs it on the DBAPI connection (a pooled one, or the one under the caller's
SQLAlchemy ``Connection``), and decodes the tuple with the result processors SQLAlchemy
itself would apply, so both paths read identical values. A row equal, column for column,
to the last one decoded for the same digest is the same integration: it is returned
without decoding again.

It runs only where it is known to be equivalent: the pysqlite and psycopg drivers, no
statement logging (``echo`` or the ``sqlalchemy.engine`` logger at ``INFO``), no listener
on the engine's or connection's events (those hosts keep seeing the statement), and on a
host's ``Connection`` only inside its transaction; everywhere else the caller uses Core.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from integration_core.adapters.sqlalchemy._rows import DecodedRows, integration_from
from integration_core.adapters.sqlalchemy._schema import integrations, unavailable
from integration_core.errors import StorageUnavailableError
from integration_core.integrations import Integration

__all__ = ["TokenLookup"]

_DRIVERS = frozenset({("sqlite", "pysqlite"), ("postgresql", "psycopg")})
"""The (dialect, driver) pairs whose DBAPI behaviour this path is tested against."""


_STATEMENT = sa.select(integrations).where(
    integrations.c.access_token_digest == sa.bindparam("value")
)
_NAMES = tuple(column.name for column in integrations.columns)

Processors = tuple[tuple[int, Callable[[Any], Any]], ...]


class _Rendered:
    """The statement as one dialect's SQL text, its parameters' shape and the column processors."""

    __slots__ = ("dialect", "options", "positional", "processors", "sql")

    def __init__(self, dialect: sa.Dialect, options: Mapping[str, Any]) -> None:
        self.dialect, self.options = dialect, options
        schema_map = options.get("schema_translate_map")
        compile_options: dict[str, Any] = {}
        if schema_map:
            compile_options = {"schema_translate_map": schema_map, "render_schema_translate": True}
        compiled = _STATEMENT.compile(dialect=dialect, **compile_options)
        self.sql = compiled.string
        self.positional = compiled.positional
        self.processors: Processors = tuple(
            (at, process)
            for at, column in enumerate(integrations.columns)
            if (process := column.type.dialect_impl(dialect).result_processor(dialect, None))
        )

    def parameters(self, token_digest: str) -> tuple[str] | dict[str, str]:
        return (token_digest,) if self.positional else {"value": token_digest}


class TokenLookup:
    """Finds an integration by access-token digest on the DBAPI cursor, when that is equivalent."""

    def __init__(self) -> None:
        self._rendered: _Rendered | None = None
        self._memo = DecodedRows()

    @staticmethod
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

    def on_engine(self, engine: Engine, token_digest: str) -> Integration | None:
        """The integration holding ``token_digest``, read on a connection checked out of the pool."""
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
            return self._read(
                engine, engine, pooled, pooled.invalidate, token_digest, switch=switch
            )
        finally:
            pooled.close()

    def on_connection(self, connection: Connection, token_digest: str) -> Integration | None:
        """The integration holding ``token_digest``, read in ``connection``'s own transaction."""
        try:
            pooled = connection.connection
        except SQLAlchemyError as error:
            raise unavailable(error) from error
        # A dropped connection is invalidated through the host's Connection, as Core does.
        return self._read(
            connection.engine, connection, pooled, connection.invalidate, token_digest, switch=False
        )

    def _read(
        self,
        engine: Engine,
        bind: Engine | Connection,
        pooled: sa.PoolProxiedConnection,
        invalidate: Callable[[BaseException], object],
        token_digest: str,
        *,
        switch: bool,
    ) -> Integration | None:
        rendered = self._render(engine.dialect, bind.get_execution_options())
        row = _fetch(engine.dialect, pooled, invalidate, rendered, token_digest, switch=switch)
        if row is None:
            return None
        integration = self._memo.recall(token_digest, row)
        if integration is None:
            values = list(row)
            for at, process in rendered.processors:
                values[at] = process(values[at])
            integration = integration_from(dict(zip(_NAMES, values, strict=True)))
            self._memo.remember(token_digest, row, integration)
        return integration

    def _render(self, dialect: sa.Dialect, options: Mapping[str, Any]) -> _Rendered:
        """The statement for ``dialect`` and these execution options, rendered when they change."""
        rendered = self._rendered
        # Execution options are immutable: the same mapping means the same schema translation.
        if rendered is None or rendered.options is not options or rendered.dialect is not dialect:
            rendered = self._rendered = _Rendered(dialect, options)
        return rendered


def _fetch(
    dialect: sa.Dialect,
    pooled: sa.PoolProxiedConnection,
    invalidate: Callable[[BaseException], object],
    rendered: _Rendered,
    token_digest: str,
    *,
    switch: bool,
) -> tuple[Any, ...] | None:
    """
    The raw row, or ``None``, in autocommit for the statement if ``switch``.

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
            row: tuple[Any, ...] | None = driver_connection.execute(
                rendered.sql, rendered.parameters(token_digest)
            ).fetchone()
        finally:
            if switch:
                driver_connection.autocommit = False
    except dialect.loaded_dbapi.Error as error:
        lost = dialect.is_disconnect(error, driver_connection, None)
        if lost:
            # As Core does: a connection the server dropped is not handed out again.
            invalidate(error)
        raise _failure(dialect, error, rendered.sql, lost=lost)  # noqa: B904 - chained inside
    return row


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

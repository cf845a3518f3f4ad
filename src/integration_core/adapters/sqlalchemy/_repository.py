"""``SqlIntegrationRepository``: one row per integration, every write a compare-and-set."""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Iterator
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from integration_core.adapters.sqlalchemy._rows import integration_from, row_of
from integration_core.adapters.sqlalchemy._schema import (
    TABLE,
    first_line,
    integrations,
    unavailable,
)
from integration_core.adapters.sqlalchemy._token_lookup import TokenLookup
from integration_core.errors import (
    ConcurrencyConflictError,
    DuplicateIdentityError,
    DuplicateNameError,
    IntegrationCoreError,
    IntegrationNotFoundError,
)
from integration_core.integrations import (
    Integration,
    name_key,
)
from integration_core.ports import a_version, an_integration, storable

__all__ = ["SqlIntegrationRepository", "serializer"]


class SqlIntegrationRepository:
    """
    An :class:`~integration_core.IntegrationRepository` on an SQLAlchemy engine.

    Every write is one statement in one transaction: ``INSERT`` for :meth:`add`,
    ``UPDATE ... WHERE id = ? AND version = ?`` for :meth:`save`, ``DELETE`` likewise
    for :meth:`delete`. Unique indexes decide name and credential clashes, so
    concurrent writers on separate connections (or separate processes) never create
    two integrations under one name. Every database failure becomes one of the
    library's typed errors, and their messages never contain a secret.

    SQLite admits one writer at a time; the repository therefore serializes its own
    calls on a SQLite engine within the process (across processes, SQLite's busy
    timeout applies). An in-memory SQLite database lives in one connection: give it
    ``poolclass=sqlalchemy.pool.StaticPool``.

    Args:
        engine: Where the tables live (see :func:`create_tables` and :data:`metadata`).

    Example:
        >>> from sqlalchemy.pool import StaticPool
        >>> from integration_core.testing.builders import sample_integration
        >>> engine = sa.create_engine("sqlite://", poolclass=StaticPool)
        >>> from integration_core.adapters.sqlalchemy import create_tables
        >>> create_tables(engine)
        >>> repository = SqlIntegrationRepository(engine)
        >>> stored = repository.add(sample_integration("Shop Sync", access_token="t" * 32))
        >>> repository.find_by_access_token_digest(stored.access.token_digest) == stored
        True
        >>> repository
        <SqlIntegrationRepository: sqlite://>
        >>> engine.dispose()
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = serializer(engine)
        sqlite = engine.dialect.name == "sqlite"
        self._read_options: dict[str, str] = {} if sqlite else {"isolation_level": "AUTOCOMMIT"}
        self._tokens = TokenLookup()

    def __repr__(self) -> str:
        return f"<SqlIntegrationRepository: {self._engine.url.render_as_string()}>"

    def add(self, integration: Integration) -> Integration:
        """
        See :meth:`IntegrationRepository.add <integration_core.IntegrationRepository.add>`.

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> engine = sa.create_engine("sqlite://")
            >>> from integration_core.adapters.sqlalchemy import create_tables
            >>> create_tables(engine)
            >>> SqlIntegrationRepository(engine).add(sample_integration("Shop")).version
            1
        """
        stored = attrs.evolve(an_integration(integration), version=1)
        values = row_of(stored)
        with self._transaction() as connection:
            _execute(connection, stored, sa.insert(integrations).values(id=stored.id, **values))
        return stored

    def get(self, integration_id: str) -> Integration:
        """
        See :meth:`IntegrationRepository.get <integration_core.IntegrationRepository.get>`.

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> engine = sa.create_engine("sqlite://")
            >>> from integration_core.adapters.sqlalchemy import create_tables
            >>> create_tables(engine)
            >>> repository = SqlIntegrationRepository(engine)
            >>> stored = repository.add(sample_integration("Shop", access_token="t" * 32))
            >>> repository.get(stored.id) == stored
            True
        """
        found = self._one(integrations.c.id, integration_id)
        if found is None:
            raise IntegrationNotFoundError(integration_id)
        return found

    def get_by_name(self, name: str) -> Integration:
        """
        See :meth:`IntegrationRepository.get_by_name <integration_core.IntegrationRepository.get_by_name>`.

        Example:
            >>> engine = sa.create_engine("sqlite://")
            >>> from integration_core.adapters.sqlalchemy import create_tables
            >>> create_tables(engine)
            >>> SqlIntegrationRepository(engine).get_by_name("Shop")
            Traceback (most recent call last):
                ...
            integration_core.errors.IntegrationNotFoundError: The integration with name "Shop" doesn't exist.
        """
        found = self._one(integrations.c.name_key, name_key(name)) if storable(name) else None
        if found is None:
            raise IntegrationNotFoundError(name, field="name")
        return found

    def find_by_consumer_key(self, consumer_key: str) -> Integration | None:
        """
        See :meth:`IntegrationRepository.find_by_consumer_key <integration_core.IntegrationRepository.find_by_consumer_key>`.

        Example:
            >>> SqlIntegrationRepository(sa.create_engine("sqlite://")).find_by_consumer_key("k" * 32)
            Traceback (most recent call last):
                ...
            integration_core.errors.StorageUnavailableError: the integration database failed: no such table: integration_core_integration
        """
        return self._one(integrations.c.consumer_key, consumer_key)

    def find_by_access_token_digest(self, token_digest: str) -> Integration | None:
        """
        See :meth:`IntegrationRepository.find_by_access_token_digest <integration_core.IntegrationRepository.find_by_access_token_digest>`.

        Example:
            >>> engine = sa.create_engine("sqlite://")
            >>> from integration_core.adapters.sqlalchemy import create_tables
            >>> create_tables(engine)
            >>> print(SqlIntegrationRepository(engine).find_by_access_token_digest("0" * 64))
            None
        """
        # The hot path of every API call: read on the DBAPI cursor where that is equivalent.
        if not (storable(token_digest) and self._tokens.applies(self._engine)):
            return self._one(integrations.c.access_token_digest, token_digest)
        with self._lock:
            return self._tokens.on_engine(self._engine, token_digest)

    def save(self, integration: Integration) -> Integration:
        """
        See :meth:`IntegrationRepository.save <integration_core.IntegrationRepository.save>`.

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> engine = sa.create_engine("sqlite://")
            >>> from integration_core.adapters.sqlalchemy import create_tables
            >>> create_tables(engine)
            >>> mine, theirs = SqlIntegrationRepository(engine), SqlIntegrationRepository(engine)
            >>> stored = mine.add(sample_integration("Shop", integration_id="i1"))
            >>> mine.save(stored).version
            2
            >>> theirs.save(stored)
            Traceback (most recent call last):
                ...
            integration_core.errors.ConcurrencyConflictError: integration 'i1' was changed concurrently: expected version 1, found 2
        """
        an_integration(integration)
        if not storable(integration.id):
            raise IntegrationNotFoundError(integration.id)
        stored = attrs.evolve(integration, version=integration.version + 1)
        values = row_of(stored)
        statement = (
            sa.update(integrations)
            .where(integrations.c.id == integration.id)
            .where(integrations.c.version == integration.version)
            .values(**values)
        )
        with self._transaction() as connection:
            if _execute(connection, stored, statement).rowcount == 0:
                raise _refusal(connection, integration.id, integration.version)
        return stored

    def delete(self, integration_id: str, *, version: int) -> None:
        """
        See :meth:`IntegrationRepository.delete <integration_core.IntegrationRepository.delete>`.

        Example:
            >>> engine = sa.create_engine("sqlite://")
            >>> from integration_core.adapters.sqlalchemy import create_tables
            >>> create_tables(engine)
            >>> SqlIntegrationRepository(engine).delete("i1", version=1)
            Traceback (most recent call last):
                ...
            integration_core.errors.IntegrationNotFoundError: The integration with ID "i1" doesn't exist.
        """
        if not storable(integration_id):
            raise IntegrationNotFoundError(integration_id)
        statement = (
            sa.delete(integrations)
            .where(integrations.c.id == integration_id)
            .where(integrations.c.version == version)
        )
        with self._transaction() as connection:
            # A version that is no number matches no row (PostgreSQL would refuse the query).
            if not a_version(version) or connection.execute(statement).rowcount == 0:
                raise _refusal(connection, integration_id, version)

    def list(self) -> tuple[Integration, ...]:
        """
        See :meth:`IntegrationRepository.list <integration_core.IntegrationRepository.list>`.

        Example:
            >>> engine = sa.create_engine("sqlite://")
            >>> from integration_core.adapters.sqlalchemy import create_tables
            >>> create_tables(engine)
            >>> SqlIntegrationRepository(engine).list()
            ()
        """
        statement = sa.select(integrations).order_by(integrations.c.name_key, integrations.c.id)
        with self._transaction(read_only=True) as connection:
            rows = connection.execute(statement).mappings().all()
        return tuple(integration_from(row) for row in rows)

    def _one(self, column: sa.Column[str], value: object) -> Integration | None:
        # A key no row can hold is not looked up: finding nothing is the answer on every dialect.
        if not storable(value):
            return None
        with self._transaction(read_only=True) as connection:
            row = connection.execute(_SELECT_BY[column.name], {"value": value}).mappings().first()
        return None if row is None else integration_from(row)

    @contextlib.contextmanager
    def _transaction(self, *, read_only: bool = False) -> Iterator[Connection]:
        """
        One transaction, committed when the block ends; driver failures become typed errors.

        A read is one ``SELECT``, consistent on its own: on a server it runs in
        autocommit mode, which spares the ``BEGIN`` and ``ROLLBACK`` round trips
        (SQLite's driver opens no transaction for a ``SELECT`` anyway).
        """
        with self._lock:
            try:
                with self._engine.connect() as connection:
                    if read_only:
                        yield connection.execution_options(**self._read_options)
                    else:
                        with connection.begin():
                            yield connection
            except SQLAlchemyError as error:
                raise unavailable(error) from error


_SELECT_BY = {
    name: sa.select(integrations).where(integrations.c[name] == sa.bindparam("value"))
    for name in ("id", "name_key", "consumer_key", "access_token_digest")
}
"""The lookups, built once: the token lookup is on the hot path of every API call."""

_SQLITE_LOCKS: weakref.WeakKeyDictionary[sa.Pool, threading.Lock] = weakref.WeakKeyDictionary()
_SQLITE_LOCKS_GUARD = threading.Lock()


def serializer(engine: Engine) -> contextlib.AbstractContextManager[object]:
    """
    The lock every repository on this SQLite engine's connections shares; none for servers.

    It is kept per connection pool, which copies made by ``engine.execution_options()`` share.
    """
    if engine.dialect.name != "sqlite":
        return contextlib.nullcontext()
    with _SQLITE_LOCKS_GUARD:
        return _SQLITE_LOCKS.setdefault(engine.pool, threading.Lock())


def _execute(
    connection: Connection, stored: Integration, statement: sa.Executable
) -> sa.CursorResult[Any]:
    """Run a write; a unique index refusing it becomes the duplicate error it means."""
    try:
        return connection.execute(statement)
    except IntegrityError as error:
        raise _duplicate(error, stored) from error


def _refusal(connection: Connection, integration_id: str, version: int) -> IntegrationCoreError:
    """Why a write guarded by ``id`` and ``version`` matched no row: not found, or stale."""
    statement = sa.select(integrations.c.version).where(integrations.c.id == integration_id)
    actual = connection.execute(statement).scalar_one_or_none()
    if actual is None:
        return IntegrationNotFoundError(integration_id)
    return ConcurrencyConflictError(integration_id, expected_version=version, actual_version=actual)


_UNIQUE_INDEXES = (
    ("name", (f"uq_{TABLE}_name_key", f"{TABLE}.name_key")),
    ("consumer_key", (f"uq_{TABLE}_consumer_key", f"{TABLE}.consumer_key")),
    ("access_token", (f"uq_{TABLE}_access_token_digest", f"{TABLE}.access_token_digest")),
    ("id", (f"pk_{TABLE}", f"{TABLE}.id")),
)


def _duplicate(error: IntegrityError, stored: Integration) -> IntegrationCoreError:
    """
    The duplicate error an integrity violation means, told by the index it names.

    PostgreSQL names the index (``violates unique constraint "uq_..."``), SQLite the
    column (``UNIQUE constraint failed: table.column``); neither shows values in the
    first line of its message.
    """
    message = first_line(error)
    if "unique" in message.lower():
        for field, markers in _UNIQUE_INDEXES:
            if any(marker in message for marker in markers):
                if field == "name":
                    return DuplicateNameError(stored.name)
                return DuplicateIdentityError(
                    field, f"another integration has this {field.replace('_', ' ')}"
                )
    return unavailable(error)

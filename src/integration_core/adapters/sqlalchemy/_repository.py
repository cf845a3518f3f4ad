"""``SqlIntegrationRepository``: one row per integration, every write a compare-and-set."""

from __future__ import annotations

import contextlib
import functools
import threading
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from integration_core.adapters.sqlalchemy._page_reads import Page, PageReads
from integration_core.adapters.sqlalchemy._rows import DecodedRows, integration_from, row_of
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
    InvalidArgumentError,
)
from integration_core.integrations import (
    GridSort,
    Integration,
    IntegrationPage,
    IntegrationQuery,
    name_key,
)
from integration_core.ports import a_query, a_version, an_integration, storable

__all__ = ["SqlIntegrationRepository", "grid_statements", "serializer"]


class _Unit(threading.local):
    """This thread's open unit of work on an engine: the connection its calls share."""

    connection: Connection | None = None


class SqlIntegrationRepository:
    """
    An :class:`~integration_core.IntegrationRepository` on an SQLAlchemy engine, or in the host's transaction.

    Every write is one statement: ``INSERT`` for :meth:`add`,
    ``UPDATE ... WHERE id = ? AND version = ?`` for :meth:`save`, ``DELETE`` likewise
    for :meth:`delete`. Unique indexes decide name and credential clashes, so
    concurrent writers on separate connections (or separate processes) never create
    two integrations under one name. Every database failure becomes one of the
    library's typed errors, and their messages never contain a secret.

    **On an engine** (a small app), each write is its own transaction, committed by
    the repository, and :meth:`atomic` opens one connection and transaction that the
    calls inside it share. **In the host's unit of work** (a ``Connection`` or an ORM
    ``Session``), every call executes on the host's transaction and nothing is ever
    committed: the host's ``commit()`` stores the integrations together with its own
    rows (an audit entry, an outbox event), its ``rollback()`` drops them all. There,
    each write and each :meth:`atomic` block runs in a ``SAVEPOINT``, so a refused or
    failed write undoes only itself and the host's transaction stays usable (PostgreSQL
    would otherwise refuse every later statement of it).

    SQLite admits one writer at a time; on a SQLite engine the repository therefore
    serializes its own transactions within the process (across processes, SQLite's
    busy timeout applies) and begins them with ``BEGIN IMMEDIATE``. The host's
    transaction is the host's to serialize. An in-memory SQLite database lives in one
    connection: give it ``poolclass=sqlalchemy.pool.StaticPool``.

    Args:
        bind: An ``Engine``, or the host's ``Connection`` or ``Session``, on a database
            with the tables (see :func:`create_tables` and :data:`metadata`).

    Raises:
        InvalidArgumentError: ``bind`` is none of these (``field == "bind"``).

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

        In the host's transaction, committed or rolled back with the host's own rows:

        >>> from sqlalchemy.orm import Session
        >>> with Session(engine) as session:
        ...     hosted = SqlIntegrationRepository(session)
        ...     _ = hosted.add(sample_integration("Audited"))
        ...     session.rollback()
        >>> [integration.name for integration in repository.list()]
        ['Shop Sync']
        >>> engine.dispose()
    """

    def __init__(self, bind: Engine | Connection | Session) -> None:
        self._host: Callable[[], Connection] | None
        if isinstance(bind, Engine):
            engine, self._host, shown = bind, None, ""
        elif isinstance(bind, Connection):
            engine, self._host, shown = bind.engine, lambda: bind, " (the host's Connection)"
        elif isinstance(bind, Session):
            engine, self._host, shown = _bound(bind), bind.connection, " (the host's Session)"
        else:
            raise InvalidArgumentError(
                "bind", f"expected an Engine, a Connection or a Session, got {type(bind).__name__}"
            )
        self._engine = engine
        self._shown = engine.url.render_as_string() + shown
        self._lock = serializer(engine)
        self._unit = _Unit()
        sqlite = engine.dialect.name == "sqlite"
        self._read_options: dict[str, str] = {} if sqlite else {"isolation_level": "AUTOCOMMIT"}
        self._tokens = TokenLookup()
        self._decoded_rows = DecodedRows()
        self._pages = PageReads(self._decoded_rows)

    def __repr__(self) -> str:
        return f"<SqlIntegrationRepository: {self._shown}>"

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
        # The hot path of every API call: read on the DBAPI cursor where that is equivalent,
        # on the shared transaction's connection when there is one.
        if not storable(token_digest):
            return None
        try:
            shared = self._shared()
        except SQLAlchemyError as error:
            raise unavailable(error) from error
        if shared is not None and self._tokens.applies(shared):
            return self._tokens.on_connection(shared, token_digest)
        if shared is None and self._tokens.applies(self._engine):
            with self._lock:
                return self._tokens.on_engine(self._engine, token_digest)
        return self._one(integrations.c.access_token_digest, token_digest)

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

    def query(self, query: IntegrationQuery) -> IntegrationPage:
        """
        See :meth:`IntegrationRepository.query <integration_core.IntegrationRepository.query>`.

        One ``SELECT`` reads the page and, in a subquery of the same statement, the total;
        only a page past the end costs a second statement, to count. The name filter is a
        ``LIKE`` on the stored search key with ``%``, ``_`` and the escape character escaped.

        Example:
            >>> from integration_core.integrations import IntegrationQuery
            >>> from integration_core.testing.builders import sample_integration
            >>> engine = sa.create_engine("sqlite://")
            >>> from integration_core.adapters.sqlalchemy import create_tables
            >>> create_tables(engine)
            >>> repository = SqlIntegrationRepository(engine)
            >>> for name in ("100% Shop", "100 Shops", "ERP"):
            ...     _ = repository.add(sample_integration(name))
            >>> page = repository.query(IntegrationQuery(name_contains="100%"))
            >>> [integration.name for integration in page.items], page.total
            (['100% Shop'], 1)
        """
        a_query(query)
        page, count = grid_statements(query)
        parameters = _grid_parameters(query)
        items, total = self._page_on_cursor(page, parameters) or self._page_on_core(
            page, parameters
        )
        if total is None:
            # No row to carry the total: a page past the end, counted on its own.
            with self._transaction(read_only=True) as connection:
                total = connection.execute(count, parameters).scalar_one()
        return IntegrationPage(items=items, total=total, query=query)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        """
        See :meth:`IntegrationRepository.atomic <integration_core.IntegrationRepository.atomic>`.

        On an engine, one connection and transaction, committed when the block ends
        (a unit inside it is a ``SAVEPOINT``); in the host's transaction, a
        ``SAVEPOINT`` released into it, which the host still commits or rolls back.

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> engine = sa.create_engine("sqlite://")
            >>> from integration_core.adapters.sqlalchemy import create_tables
            >>> create_tables(engine)
            >>> repository = SqlIntegrationRepository(engine)
            >>> with repository.atomic():
            ...     first = repository.add(sample_integration("First"))
            ...     second = repository.add(sample_integration("Second"))
            >>> repository.list() == (first, second)
            True
        """
        with self._transaction() as connection:
            outer, self._unit.connection = self._unit.connection, connection
            try:
                yield
            finally:
                self._unit.connection = outer

    def _page_on_cursor(self, page: sa.Select[Any], parameters: dict[str, Any]) -> Page | None:
        """A grid page read on the DBAPI cursor, or ``None`` where Core must read it."""
        try:
            shared = self._shared()
        except SQLAlchemyError as error:
            raise unavailable(error) from error
        rendered = self._pages.rendered(shared or self._engine, page)
        if rendered is None:
            return None
        if shared is not None:
            return self._pages.on_connection(shared, rendered, parameters)
        with self._lock:
            return self._pages.on_engine(self._engine, rendered, parameters)

    def _page_on_core(self, page: sa.Select[Any], parameters: dict[str, Any]) -> Page:
        """A grid page read through Core."""
        with self._transaction(read_only=True) as connection:
            rows = connection.execute(page, parameters).all()
        return tuple(map(self._decoded_rows.integration, rows)), (rows[0].total if rows else None)

    def _one(self, column: sa.Column[str], value: object) -> Integration | None:
        # A key no row can hold is not looked up: finding nothing is the answer on every dialect.
        if not storable(value):
            return None
        with self._transaction(read_only=True) as connection:
            row = connection.execute(_SELECT_BY[column.name], {"value": value}).mappings().first()
        return None if row is None else integration_from(row)

    def _shared(self) -> Connection | None:
        """The connection of the shared transaction (the host's, or this thread's unit), if any."""
        return self._unit.connection or (self._host and self._host())

    @contextlib.contextmanager
    def _transaction(self, *, read_only: bool = False) -> Iterator[Connection]:
        """
        Where a call runs; driver failures become typed errors.

        In a shared transaction (the host's, or this thread's unit of work) a read runs
        as it is and a write in a ``SAVEPOINT``. Otherwise a write is a transaction of
        its own, committed when the block ends, and a read is one ``SELECT``, consistent
        on its own: on a server it runs in autocommit mode, which spares the ``BEGIN``
        and ``ROLLBACK`` round trips (SQLite's driver opens no transaction for a
        ``SELECT`` anyway).
        """
        try:
            shared = self._shared()
            if shared is not None:
                if read_only:
                    yield shared
                else:
                    with _begun(shared).begin_nested():
                        yield shared
                return
            with self._lock, self._engine.connect() as connection:
                if read_only:
                    yield connection.execution_options(**self._read_options)
                else:
                    with connection.begin():
                        yield _begun(connection)
        except SQLAlchemyError as error:
            raise unavailable(error) from error


_SELECT_BY = {
    name: sa.select(integrations).where(integrations.c[name] == sa.bindparam("value"))
    for name in ("id", "name_key", "consumer_key", "access_token_digest")
}
"""The lookups, built once: the token lookup is on the hot path of every API call."""

_SORT_COLUMNS = {
    GridSort.NAME: integrations.c.name_search_key,
    GridSort.STATUS: integrations.c.status,
    GridSort.CREATED_AT: integrations.c.created_at,
}


@functools.cache
def _grid_statements(
    sort: GridSort, *, descending: bool, by_name: bool, by_status: bool, by_setup_type: bool
) -> tuple[sa.Select[Any], sa.Select[Any]]:
    """
    The page (with the total in a subquery) and the count of one shape of query, built once.

    Values are bound parameters (see :func:`_grid_parameters`): 48 shapes in all.
    """
    filters: list[sa.ColumnElement[bool]] = []
    if by_name:
        filters.append(integrations.c.name_search_key.like(sa.bindparam("pattern"), escape="/"))
    if by_status:
        filters.append(integrations.c.status.in_(sa.bindparam("statuses", expanding=True)))
    if by_setup_type:
        filters.append(integrations.c.setup_type.in_(sa.bindparam("setup_types", expanding=True)))
    columns = [_SORT_COLUMNS[sort], integrations.c.name_search_key, integrations.c.id]
    if sort is GridSort.NAME:
        del columns[1]
    count = sa.select(sa.func.count()).select_from(integrations).where(*filters)
    page = (
        sa.select(integrations, count.scalar_subquery().label("total"))
        .where(*filters)
        .order_by(*(column.desc() if descending else column.asc() for column in columns))
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
    )
    return page, count


def grid_statements(query: IntegrationQuery) -> tuple[sa.Select[Any], sa.Select[Any]]:
    """The page and count statements of ``query``'s shape."""
    return _grid_statements(
        query.sort,
        descending=query.descending,
        by_name=bool(query.name_search_key),
        by_status=bool(query.statuses),
        by_setup_type=bool(query.setup_types),
    )


def _grid_parameters(query: IntegrationQuery) -> dict[str, object]:
    """The values of ``query`` for its statements: the search key as a ``LIKE`` pattern, escaped."""
    escaped = query.name_search_key.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return {
        "pattern": f"%{escaped}%",
        "statuses": sorted(status.value for status in query.statuses),
        "setup_types": sorted(setup_type.value for setup_type in query.setup_types),
        "limit": query.page_size,
        "offset": query.offset,
    }


_SQLITE_LOCKS: weakref.WeakKeyDictionary[sa.Pool, threading.RLock] = weakref.WeakKeyDictionary()
_SQLITE_LOCKS_GUARD = threading.Lock()


def serializer(engine: Engine) -> contextlib.AbstractContextManager[object]:
    """
    The lock every repository on this SQLite engine's connections shares; none for servers.

    It is kept per connection pool, which copies made by ``engine.execution_options()`` share.
    Reentrant, so that a call on another repository inside a unit of work does not wait
    for itself.
    """
    if engine.dialect.name != "sqlite":
        return contextlib.nullcontext()
    with _SQLITE_LOCKS_GUARD:
        return _SQLITE_LOCKS.setdefault(engine.pool, threading.RLock())


def _bound(session: Session) -> Engine:
    """The engine a session's integrations live on; a session bound to none is refused."""
    try:
        return session.get_bind().engine
    except SQLAlchemyError:
        raise InvalidArgumentError("bind", "the Session is bound to no engine") from None


def _begun(connection: Connection) -> Connection:
    """
    ``connection``, with SQLite's transaction begun if its driver has not begun it yet.

    The ``sqlite3`` driver sends ``BEGIN`` only before the first write, so a
    ``SAVEPOINT`` sent first would open the transaction itself and its release
    would commit; ``IMMEDIATE`` takes the write lock at once, so two units never
    deadlock upgrading a read lock.
    """
    dbapi_connection = connection.connection.dbapi_connection
    if connection.dialect.name == "sqlite" and not getattr(
        dbapi_connection, "in_transaction", True
    ):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    return connection


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

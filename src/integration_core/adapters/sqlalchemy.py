"""
Integrations stored in an SQL database through SQLAlchemy 2: SQLite by default, PostgreSQL at scale.

An optional module: install the ``sqlalchemy`` extra (``postgres`` adds the psycopg
driver). The core never imports it, and ``import integration_core`` does not import
SQLAlchemy.

One integration is one row of :data:`integrations`, declared on :data:`metadata`:
hand that to your Alembic ``env.py`` (``target_metadata``) or call
:func:`create_tables`. The database itself enforces what the contract promises:
a unique index on the normalized name, unique consumer keys and access-token
digests, and a ``version`` column that every write compares and sets.

Example:
    >>> import sqlalchemy
    >>> from sqlalchemy.pool import StaticPool
    >>> from integration_core.testing.builders import sample_integration
    >>> engine = sqlalchemy.create_engine("sqlite://", poolclass=StaticPool)
    >>> create_tables(engine)
    >>> repository = SqlIntegrationRepository(engine)
    >>> stored = repository.add(sample_integration("Shop Sync"))
    >>> repository.get_by_name("SHOP SYNC") == stored
    True
    >>> engine.dispose()

    The tables, for Alembic:

    >>> sorted(metadata.tables), integrations.c.name.type.length
    (['integration_core_integration'], 255)
    >>> sorted(index.name for index in integrations.indexes if index.unique)
    ['uq_integration_core_integration_access_token_digest', 'uq_integration_core_integration_consumer_key', 'uq_integration_core_integration_name_key']
"""

from __future__ import annotations

import contextlib
import functools
import json
import threading
import weakref
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import attrs
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, RowMapping
from sqlalchemy.exc import IntegrityError, SQLAlchemyError, StatementError

from integration_core.credentials import ConsumerCredentials, SealedSecret, StoredToken
from integration_core.errors import (
    ConcurrencyConflictError,
    DuplicateIdentityError,
    DuplicateNameError,
    IntegrationCoreError,
    IntegrationNotFoundError,
    IntegrationValidationError,
    Problem,
    StorageUnavailableError,
    StoredDataError,
)
from integration_core.integrations import (
    Integration,
    IntegrationStatus,
    PendingExchange,
    SetupType,
    name_key,
)
from integration_core.ports import a_version, an_integration, storable
from integration_core.selection import ResourceSelection

__all__ = ["SqlIntegrationRepository", "create_tables", "integrations", "metadata"]

_TABLE = "integration_core_integration"

_ID_LENGTH = 64
_TEXT_LENGTH = 255  # Magento's varchar(255): name, email, endpoint, identity_link_url
_NAME_KEY_BYTES = 1020  # NFKC and casefolding may lengthen a name; well under a btree entry
_CREDENTIAL_LENGTH = 32  # Magento's keys, secrets and verifiers
_DIGEST_LENGTH = 64  # SHA-256 hex: tokens and verifiers are stored only as digests
_SEALED_LENGTH = 255  # a key id and the base64 of nonce, 32 sealed characters and tag


class _UtcDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware timestamp, stored in UTC, read back aware in UTC on every dialect."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self,
        value: datetime | None,
        dialect: sa.Dialect,  # noqa: ARG002 - SQLAlchemy's signature
    ) -> datetime | None:
        return None if value is None else value.astimezone(UTC)

    def process_result_value(
        self,
        value: datetime | None,
        dialect: sa.Dialect,  # noqa: ARG002 - SQLAlchemy's signature
    ) -> datetime | None:
        # SQLite keeps no zone (the value was stored in UTC); PostgreSQL returns an aware value.
        return None if value is None else value.replace(tzinfo=value.tzinfo or UTC).astimezone(UTC)

    def result_processor(self, dialect: sa.Dialect, coltype: object) -> Any:
        process = super().result_processor(dialect, coltype)

        def guarded(value: object) -> object:
            # SQLite parses its text while the row is fetched, before the row is decoded: a value
            # it cannot parse is handed on as unreadable, for the decoder to name its column.
            try:
                return process(value) if process is not None else value
            except (ValueError, TypeError, OverflowError):
                return _UNREADABLE

        return guarded


_UNREADABLE: Any = object()
"""What a stored timestamp that cannot be parsed reads as: refused when the row is decoded."""


def _ordered(length: int) -> sa.String:
    """A string compared by code point, as Python compares ``str`` (SQLite's default)."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


metadata = sa.MetaData()
"""
The :class:`sqlalchemy.MetaData` holding :data:`integrations`: give it to Alembic.

In your Alembic ``env.py``, list it next to your own metadata so that
``alembic revision --autogenerate`` writes the migration that creates the table::

    from integration_core.adapters.sqlalchemy import metadata as integration_core_metadata
    target_metadata = [Base.metadata, integration_core_metadata]

It holds one table, :data:`integrations`.

Example:
    >>> engine = sa.create_engine("sqlite://")
    >>> metadata.create_all(engine)
    >>> list(metadata.tables) == sa.inspect(engine).get_table_names() == [integrations.name]
    True
"""

integrations = sa.Table(
    _TABLE,
    metadata,
    sa.Column("id", _ordered(_ID_LENGTH), nullable=False),
    sa.Column("name", sa.String(_TEXT_LENGTH), nullable=False),
    sa.Column("name_key", _ordered(_NAME_KEY_BYTES), nullable=False),
    sa.Column("email", sa.String(_TEXT_LENGTH)),
    sa.Column("callback_url", sa.String(_TEXT_LENGTH)),
    sa.Column("identity_link_url", sa.String(_TEXT_LENGTH)),
    sa.Column("status", sa.SmallInteger, nullable=False),
    sa.Column("setup_type", sa.SmallInteger, nullable=False),
    sa.Column("selection", sa.Text, nullable=False),
    sa.Column("consumer_key", sa.String(_CREDENTIAL_LENGTH), nullable=False),
    sa.Column("consumer_secret_sealed", sa.String(_SEALED_LENGTH), nullable=False),
    sa.Column("access_token_digest", sa.String(_DIGEST_LENGTH)),
    sa.Column("access_secret_sealed", sa.String(_SEALED_LENGTH)),
    sa.Column("exchange_verifier_digest", sa.String(_DIGEST_LENGTH)),
    sa.Column("exchange_started_at", _UtcDateTime()),
    sa.Column("exchange_failed_attempts", sa.Integer),
    sa.Column("request_token_digest", sa.String(_DIGEST_LENGTH)),
    sa.Column("request_secret_sealed", sa.String(_SEALED_LENGTH)),
    sa.Column("request_token_issued_at", _UtcDateTime()),
    sa.Column("created_at", _UtcDateTime(), nullable=False),
    sa.Column("updated_at", _UtcDateTime(), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("id", name=f"pk_{_TABLE}"),
    sa.Index(f"uq_{_TABLE}_name_key", "name_key", unique=True),
    sa.Index(f"uq_{_TABLE}_consumer_key", "consumer_key", unique=True),
    sa.Index(f"uq_{_TABLE}_access_token_digest", "access_token_digest", unique=True),
)
"""
The table of integrations: one row each, credentials and selection included.

Columns are sized as Magento sizes them (``name``, ``email``, ``callback_url`` and
``identity_link_url`` 255 characters; the consumer key, secret and verifier 32);
tokens are kept only as 64-character SHA-256 digests. ``name_key`` holds
:func:`~integration_core.name_key` of the name under a unique index, ``selection``
the canonical JSON text of :meth:`ResourceSelection.to_data
<integration_core.ResourceSelection.to_data>`, and ``version`` the optimistic
concurrency counter. Its unique indexes are named ``uq_integration_core_integration_<column>``
and its primary key ``pk_integration_core_integration``.

Example:
    >>> integrations.name, integrations.c.consumer_key.type.length
    ('integration_core_integration', 32)
    >>> integrations.primary_key.name, [column.name for column in integrations.primary_key]
    ('pk_integration_core_integration', ['id'])
"""


def create_tables(engine: Engine) -> None:
    """
    Create the tables that do not exist yet: for small apps and tests (use Alembic otherwise).

    Raises:
        StorageUnavailableError: The database failed.

    Example:
        >>> engine = sa.create_engine("sqlite://")
        >>> create_tables(engine)
        >>> sa.inspect(engine).get_table_names()
        ['integration_core_integration']
        >>> engine.dispose()
    """
    try:
        metadata.create_all(engine)
    except SQLAlchemyError as error:
        raise _unavailable(error) from error


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
        self._lock = _serializer(engine)
        sqlite = engine.dialect.name == "sqlite"
        self._read_options: dict[str, str] = {} if sqlite else {"isolation_level": "AUTOCOMMIT"}

    def __repr__(self) -> str:
        return f"<SqlIntegrationRepository: {self._engine.url.render_as_string()}>"

    def add(self, integration: Integration) -> Integration:
        """
        See :meth:`IntegrationRepository.add <integration_core.IntegrationRepository.add>`.

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> engine = sa.create_engine("sqlite://")
            >>> create_tables(engine)
            >>> SqlIntegrationRepository(engine).add(sample_integration("Shop")).version
            1
        """
        stored = attrs.evolve(an_integration(integration), version=1)
        values = _columns(stored)
        with self._transaction() as connection:
            _execute(connection, stored, sa.insert(integrations).values(id=stored.id, **values))
        return stored

    def get(self, integration_id: str) -> Integration:
        """
        See :meth:`IntegrationRepository.get <integration_core.IntegrationRepository.get>`.

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> engine = sa.create_engine("sqlite://")
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
            >>> create_tables(engine)
            >>> print(SqlIntegrationRepository(engine).find_by_access_token_digest("0" * 64))
            None
        """
        return self._one(integrations.c.access_token_digest, token_digest)

    def save(self, integration: Integration) -> Integration:
        """
        See :meth:`IntegrationRepository.save <integration_core.IntegrationRepository.save>`.

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> engine = sa.create_engine("sqlite://")
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
        values = _columns(stored)
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
            >>> create_tables(engine)
            >>> SqlIntegrationRepository(engine).list()
            ()
        """
        statement = sa.select(integrations).order_by(integrations.c.name_key, integrations.c.id)
        with self._transaction(read_only=True) as connection:
            rows = connection.execute(statement).mappings().all()
        return tuple(_integration(row) for row in rows)

    def _one(self, column: sa.Column[str], value: object) -> Integration | None:
        # A key no row can hold is not looked up: finding nothing is the answer on every dialect.
        if not storable(value):
            return None
        with self._transaction(read_only=True) as connection:
            row = connection.execute(_SELECT_BY[column.name], {"value": value}).mappings().first()
        return None if row is None else _integration(row)

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
                raise _unavailable(error) from error


_SELECT_BY = {
    name: sa.select(integrations).where(integrations.c[name] == sa.bindparam("value"))
    for name in ("id", "name_key", "consumer_key", "access_token_digest")
}
"""The lookups, built once: the token lookup is on the hot path of every API call."""

_SQLITE_LOCKS: weakref.WeakKeyDictionary[sa.Pool, threading.Lock] = weakref.WeakKeyDictionary()
_SQLITE_LOCKS_GUARD = threading.Lock()


def _serializer(engine: Engine) -> contextlib.AbstractContextManager[object]:
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
    ("name", (f"uq_{_TABLE}_name_key", f"{_TABLE}.name_key")),
    ("consumer_key", (f"uq_{_TABLE}_consumer_key", f"{_TABLE}.consumer_key")),
    ("access_token", (f"uq_{_TABLE}_access_token_digest", f"{_TABLE}.access_token_digest")),
    ("id", (f"pk_{_TABLE}", f"{_TABLE}.id")),
)


def _duplicate(error: IntegrityError, stored: Integration) -> IntegrationCoreError:
    """
    The duplicate error an integrity violation means, told by the index it names.

    PostgreSQL names the index (``violates unique constraint "uq_..."``), SQLite the
    column (``UNIQUE constraint failed: table.column``); neither shows values in the
    first line of its message.
    """
    message = _first_line(error)
    if "unique" in message.lower():
        for field, markers in _UNIQUE_INDEXES:
            if any(marker in message for marker in markers):
                if field == "name":
                    return DuplicateNameError(stored.name)
                return DuplicateIdentityError(
                    field, f"another integration has this {field.replace('_', ' ')}"
                )
    return _unavailable(error)


def _unavailable(error: SQLAlchemyError) -> StorageUnavailableError:
    """A driver failure as the library's error, without the statement's parameters (secrets)."""
    if isinstance(error, StatementError):
        error.hide_parameters = True
    return StorageUnavailableError(f"the integration database failed: {_first_line(error)}")


def _first_line(error: SQLAlchemyError) -> str:
    """The driver's own message, first line only: no SQL, no parameters, no detail with values."""
    text = str(error.orig) if isinstance(error, StatementError) else str(error)
    return (text.strip().splitlines() or [type(error).__name__])[0]


def _columns(integration: Integration) -> dict[str, Any]:
    """The row of ``integration`` (all but the id), after checking that every value fits."""
    access = integration.access
    exchange = integration.exchange
    request = None if exchange is None else exchange.request_token
    values = {
        "name": integration.name,
        "name_key": integration.name_key,
        "email": integration.email,
        "callback_url": integration.callback_url,
        "identity_link_url": integration.identity_link_url,
        "status": integration.status.value,
        "setup_type": integration.setup_type.value,
        "selection": json.dumps(
            integration.selection.to_data(), sort_keys=True, separators=(",", ":")
        ),
        "consumer_key": integration.consumer.key,
        "consumer_secret_sealed": integration.consumer.secret.sealed,
        "access_token_digest": None if access is None else access.token_digest,
        "access_secret_sealed": None if access is None else access.secret.sealed,
        "exchange_verifier_digest": None if exchange is None else exchange.verifier_digest,
        "exchange_started_at": None if exchange is None else exchange.started_at,
        "exchange_failed_attempts": None if exchange is None else exchange.failed_attempts,
        "request_token_digest": None if request is None else request.token_digest,
        "request_secret_sealed": None if request is None else request.secret.sealed,
        "request_token_issued_at": None if exchange is None else exchange.request_token_issued_at,
        "created_at": integration.created_at,
        "updated_at": integration.updated_at,
        "version": integration.version,
    }
    _check_fits({"id": integration.id, **values})
    return values


_SIZED = tuple(
    (column.name, column.type.length)
    for column in integrations.columns
    if isinstance(column.type, sa.String) and column.type.length and column.name != "name_key"
)
_TIMESTAMPS = tuple(
    column.name for column in integrations.columns if isinstance(column.type, _UtcDateTime)
)


def _check_fits(row: dict[str, Any]) -> None:
    """
    Refuse values the columns cannot hold, the same way on every dialect, naming the columns.

    SQLite would store an over-long value and PostgreSQL refuse it; a naive datetime
    would read back shifted. Both are refused here, before any write; messages give
    lengths, never values (some are secrets).
    """
    problems = [
        Problem(name, "unstorable_text", f"{name} must be valid Unicode without NUL characters")
        for name, value in row.items()
        if isinstance(value, str) and not storable(value)
    ]
    problems.extend(
        Problem(
            name, "too_long", f"{name} must be at most {limit} characters, got {len(row[name])}"
        )
        for name, limit in _SIZED
        if row[name] is not None and len(row[name]) > limit
    )
    key_bytes = len(row["name_key"].encode("utf-8", "surrogatepass"))
    if key_bytes > _NAME_KEY_BYTES:
        problems.append(
            Problem(
                "name",
                "too_long",
                f"name's normalized form must be at most {_NAME_KEY_BYTES} bytes, got {key_bytes}",
            )
        )
    problems.extend(
        Problem(name, "naive_datetime", f"{name} must be timezone-aware")
        for name in _TIMESTAMPS
        if row[name] is not None and row[name].utcoffset() is None
    )
    if problems:
        raise IntegrationValidationError(problems)


@functools.lru_cache(maxsize=1024)
def _selection(text: str) -> ResourceSelection:
    """The selection stored as ``text``; selections are immutable, so equal texts share one."""
    return ResourceSelection.from_data(json.loads(text))


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _stored_selection(value: object) -> ResourceSelection:
    return _selection(_text(value))


def _timestamp(value: object) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError("not a timestamp")
    return value


def _optional_timestamp(value: object) -> datetime | None:
    return None if value is None else _timestamp(value)


def _version(value: object) -> int:
    if a_version(value) and value >= 1:
        return value
    raise ValueError("not a stored version (an integer of at least 1)")


def _optional_count(value: object) -> int | None:
    if value is None or (a_version(value) and value >= 0):
        return value
    raise ValueError("not a count (an integer of at least 0)")


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "id": _text,
    "name": _text,
    "email": _optional_text,
    "callback_url": _optional_text,
    "identity_link_url": _optional_text,
    "status": IntegrationStatus,
    "setup_type": SetupType,
    "selection": _stored_selection,
    "consumer_key": _text,
    "consumer_secret_sealed": _text,
    "access_token_digest": _optional_text,
    "access_secret_sealed": _optional_text,
    "exchange_verifier_digest": _optional_text,
    "exchange_started_at": _optional_timestamp,
    "exchange_failed_attempts": _optional_count,
    "request_token_digest": _optional_text,
    "request_secret_sealed": _optional_text,
    "request_token_issued_at": _optional_timestamp,
    "created_at": _timestamp,
    "updated_at": _timestamp,
    "version": _version,
}
"""How each column is read back, refusing what this adapter never writes."""


def _decoded(row: RowMapping) -> dict[str, Any]:
    """Every column of ``row`` decoded, or :class:`StoredDataError` naming the first that is not."""
    integration_id = row["id"] if isinstance(row["id"], str) else repr(row["id"])
    values: dict[str, Any] = {}
    for column, decode in _DECODERS.items():
        try:
            values[column] = decode(row[column])
        except (ValueError, TypeError, IntegrationCoreError) as error:
            reason = "not a timestamp" if row[column] is _UNREADABLE else str(error)
            raise StoredDataError(integration_id, column, reason) from None
    return values


def _present(values: dict[str, Any], column: str) -> Any:
    """A column that must be set when its companion is: a token's secret, an exchange's start."""
    if values[column] is None:
        raise StoredDataError(values["id"], column, "missing while its companion column is set")
    return values[column]


def _integration(row: RowMapping) -> Integration:
    """The integration a row holds."""
    values = _decoded(row)
    access = None
    if values["access_token_digest"] is not None:
        access = StoredToken(
            token_digest=values["access_token_digest"],
            secret=SealedSecret(_present(values, "access_secret_sealed")),
        )
    exchange = None
    if values["exchange_verifier_digest"] is not None:
        request, issued_at = None, None
        if values["request_token_digest"] is not None:
            request = StoredToken(
                token_digest=values["request_token_digest"],
                secret=SealedSecret(_present(values, "request_secret_sealed")),
            )
            issued_at = _present(values, "request_token_issued_at")
        exchange = PendingExchange(
            verifier_digest=values["exchange_verifier_digest"],
            started_at=_present(values, "exchange_started_at"),
            request_token=request,
            request_token_issued_at=issued_at,
            failed_attempts=_present(values, "exchange_failed_attempts"),
        )
    return Integration(
        id=values["id"],
        name=values["name"],
        email=values["email"],
        callback_url=values["callback_url"],
        identity_link_url=values["identity_link_url"],
        status=values["status"],
        setup_type=values["setup_type"],
        selection=values["selection"],
        consumer=ConsumerCredentials(
            values["consumer_key"], SealedSecret(values["consumer_secret_sealed"])
        ),
        created_at=values["created_at"],
        updated_at=values["updated_at"],
        access=access,
        exchange=exchange,
        version=values["version"],
    )

"""``SqlNonceStore``: the nonces of signed requests in one table, made unique by its key."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from integration_core.adapters.sqlalchemy._repository import serializer
from integration_core.adapters.sqlalchemy._schema import NONCE_LENGTH, nonces, unavailable
from integration_core.credentials import digest
from integration_core.ports import storable

__all__ = ["SqlNonceStore"]


class SqlNonceStore:
    """
    A :class:`~integration_core.ports.NonceStore` in :data:`nonces`: one ``INSERT`` per use.

    The table's primary key (consumer key, nonce) makes the database itself decide a
    race: of concurrent uses of one nonce, one insert succeeds and every other fails
    on the key, on SQLite and PostgreSQL alike. A nonce no column can hold (longer than
    255 characters, a NUL, a lone surrogate) is refused as used, so it never passes.

    Example:
        >>> import sqlalchemy
        >>> from integration_core.adapters.sqlalchemy import create_tables
        >>> engine = sqlalchemy.create_engine("sqlite://", poolclass=sqlalchemy.pool.StaticPool)
        >>> create_tables(engine)
        >>> store = SqlNonceStore(engine)
        >>> store.use("k" * 32, "n-1", 1700000000), store.use("k" * 32, "n-1", 1700000000)
        (True, False)
        >>> store.purge(older_than=1700000001)
        1
        >>> engine.dispose()
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = serializer(engine)
        # One INSERT needs no transaction around it on a server: autocommit spares BEGIN and
        # COMMIT, and the primary key still decides a race. SQLite's driver begins implicitly.
        sqlite = engine.dialect.name == "sqlite"
        self._options: dict[str, str] = {} if sqlite else {"isolation_level": "AUTOCOMMIT"}

    def __repr__(self) -> str:
        return f"<SqlNonceStore: {self._engine.url.render_as_string()}>"

    def use(
        self, consumer_key: str, nonce: str, timestamp: int, *, token: str | None = None
    ) -> bool:
        r"""
        See :meth:`NonceStore.use <integration_core.ports.NonceStore.use>`.

        Example:
            >>> import sqlalchemy
            >>> from integration_core.adapters.sqlalchemy import create_tables
            >>> engine = sqlalchemy.create_engine("sqlite://", poolclass=sqlalchemy.pool.StaticPool)
            >>> create_tables(engine)
            >>> SqlNonceStore(engine).use("k" * 32, "\x00", 1)
            False
            >>> engine.dispose()
        """
        if not (storable(nonce) and storable(consumer_key) and len(nonce) <= NONCE_LENGTH):
            return False
        row = {
            "consumer_key": consumer_key,
            "nonce": nonce,
            # A digest only: the access token must not be readable from the nonce table.
            "token_digest": None if token is None else digest(token),
            "timestamp": timestamp,
        }
        with self._lock:
            try:
                with self._engine.connect() as connection:
                    connection.execution_options(**self._options).execute(sa.insert(nonces), row)
                    connection.commit()
            except IntegrityError:
                return False
            except SQLAlchemyError as error:
                raise unavailable(error) from error
        return True

    def purge(self, older_than: int) -> int:
        """
        See :meth:`NonceStore.purge <integration_core.ports.NonceStore.purge>`.

        Example:
            >>> import sqlalchemy
            >>> from integration_core.adapters.sqlalchemy import create_tables
            >>> engine = sqlalchemy.create_engine("sqlite://", poolclass=sqlalchemy.pool.StaticPool)
            >>> create_tables(engine)
            >>> SqlNonceStore(engine).purge(older_than=0)
            0
            >>> engine.dispose()
        """
        with self._lock:
            try:
                with self._engine.begin() as connection:
                    result = connection.execute(
                        sa.delete(nonces).where(nonces.c.timestamp < older_than)
                    )
            except SQLAlchemyError as error:
                raise unavailable(error) from error
        return int(result.rowcount)

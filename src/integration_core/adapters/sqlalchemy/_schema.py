"""The tables: integrations, and the nonces of signed requests; their column types."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError, StatementError

from integration_core.errors import StorageUnavailableError

__all__ = [
    "NAME_KEY_BYTES",
    "NONCE_LENGTH",
    "NONCE_TABLE",
    "TABLE",
    "UNREADABLE",
    "UtcDateTime",
    "create_tables",
    "first_line",
    "integrations",
    "metadata",
    "nonces",
    "unavailable",
]

TABLE = "integration_core_integration"
NONCE_TABLE = "integration_core_oauth_nonce"
NONCE_LENGTH = 255  # oauth_nonce is any string the client picks; longer ones are refused

_ID_LENGTH = 64
_TEXT_LENGTH = 255  # Magento's varchar(255): name, email, endpoint, identity_link_url
NAME_KEY_BYTES = 1020  # NFKC and casefolding may lengthen a name; well under a btree entry
_CREDENTIAL_LENGTH = 32  # Magento's keys, secrets and verifiers
_DIGEST_LENGTH = 64  # SHA-256 hex: tokens and verifiers are stored only as digests
_SEALED_LENGTH = 255  # a key id and the base64 of nonce, 32 sealed characters and tag


class UtcDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware timestamp, stored in UTC, read back aware in UTC on every dialect."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self,
        value: datetime | None,
        dialect: sa.Dialect,  # noqa: ARG002 - SQLAlchemy's signature
    ) -> datetime | None:
        return None if value is None else value.astimezone(UTC)

    def result_processor(self, dialect: sa.Dialect, coltype: object) -> Any:
        parse = self.impl_instance.dialect_impl(dialect).result_processor(dialect, coltype)

        def read(value: Any) -> object:
            # SQLite keeps no zone (the value was stored in UTC); PostgreSQL returns an aware
            # value. SQLite parses its text while the row is fetched, before the row is decoded:
            # a value it cannot parse is handed on as unreadable, for the decoder to name its column.
            try:
                if parse is not None:
                    value = parse(value)
                if value is None:
                    return None
                return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
            except (ValueError, TypeError, OverflowError):
                return UNREADABLE

        return read


UNREADABLE: Any = object()
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

It holds two tables, :data:`integrations` and :data:`nonces`.

Example:
    >>> engine = sa.create_engine("sqlite://")
    >>> metadata.create_all(engine)
    >>> list(metadata.tables) == sa.inspect(engine).get_table_names() == [integrations.name, nonces.name]
    True
"""

integrations = sa.Table(
    TABLE,
    metadata,
    sa.Column("id", _ordered(_ID_LENGTH), nullable=False),
    sa.Column("name", sa.String(_TEXT_LENGTH), nullable=False),
    sa.Column("name_key", _ordered(NAME_KEY_BYTES), nullable=False),
    sa.Column("name_search_key", _ordered(NAME_KEY_BYTES), nullable=False),
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
    sa.Column("exchange_started_at", UtcDateTime()),
    sa.Column("exchange_failed_attempts", sa.Integer),
    sa.Column("request_token_digest", sa.String(_DIGEST_LENGTH)),
    sa.Column("request_secret_sealed", sa.String(_SEALED_LENGTH)),
    sa.Column("request_token_issued_at", UtcDateTime()),
    sa.Column("created_at", UtcDateTime(), nullable=False),
    sa.Column("updated_at", UtcDateTime(), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.PrimaryKeyConstraint("id", name=f"pk_{TABLE}"),
    sa.Index(f"uq_{TABLE}_name_key", "name_key", unique=True),
    sa.Index(f"uq_{TABLE}_consumer_key", "consumer_key", unique=True),
    sa.Index(f"uq_{TABLE}_access_token_digest", "access_token_digest", unique=True),
    # The grid's orders: each sort column, then the name's search key and the id (see query()).
    sa.Index(f"ix_{TABLE}_name_search_key", "name_search_key", "id"),
    sa.Index(f"ix_{TABLE}_status", "status", "name_search_key", "id"),
    sa.Index(f"ix_{TABLE}_setup_type", "setup_type", "name_search_key", "id"),
    sa.Index(f"ix_{TABLE}_created_at", "created_at", "name_search_key", "id"),
)
"""
The table of integrations: one row each, credentials and selection included.

Columns are sized as Magento sizes them (``name``, ``email``, ``callback_url`` and
``identity_link_url`` 255 characters; the consumer key, secret and verifier 32);
tokens are kept only as 64-character SHA-256 digests. ``name_key`` holds
:func:`~integration_core.name_key` of the name under a unique index, ``name_search_key``
:func:`~integration_core.integrations.name_search_key` of the name for the grid's search
and sort, ``selection`` the canonical JSON text of :meth:`ResourceSelection.to_data
<integration_core.ResourceSelection.to_data>`, and ``version`` the optimistic
concurrency counter. Its unique indexes are named ``uq_integration_core_integration_<column>``
and its primary key ``pk_integration_core_integration``; the grid's indexes
(``ix_integration_core_integration_<column>``) lead with ``name_search_key``, ``status``,
``setup_type`` and ``created_at``, each followed by ``name_search_key`` and ``id``.

Example:
    >>> integrations.name, integrations.c.consumer_key.type.length
    ('integration_core_integration', 32)
    >>> integrations.primary_key.name, [column.name for column in integrations.primary_key]
    ('pk_integration_core_integration', ['id'])
"""


nonces = sa.Table(
    NONCE_TABLE,
    metadata,
    sa.Column("consumer_key", sa.String(_CREDENTIAL_LENGTH), nullable=False),
    sa.Column("nonce", sa.String(NONCE_LENGTH), nullable=False),
    sa.Column("token_digest", sa.String(_DIGEST_LENGTH)),
    sa.Column("timestamp", sa.BigInteger, nullable=False),
    sa.PrimaryKeyConstraint("consumer_key", "nonce", name=f"pk_{NONCE_TABLE}"),
    sa.Index(f"ix_{NONCE_TABLE}_timestamp", "timestamp"),
)

"""
The nonces of signed requests, one row per (consumer key, nonce): the key makes a reuse fail.

The timestamp index serves the purge of nonces older than the timestamp window.

Example:
    >>> [column.name for column in nonces.primary_key]
    ['consumer_key', 'nonce']
"""


def unavailable(error: SQLAlchemyError) -> StorageUnavailableError:
    """A driver failure as the library's error, without the statement's parameters (secrets)."""
    if isinstance(error, StatementError):
        error.hide_parameters = True
    return StorageUnavailableError(f"the integration database failed: {first_line(error)}")


def first_line(error: SQLAlchemyError) -> str:
    """The driver's own message, first line only: no SQL, no parameters, no detail with values."""
    text = str(error.orig) if isinstance(error, StatementError) else str(error)
    return (text.strip().splitlines() or [type(error).__name__])[0]


def create_tables(engine: Engine) -> None:
    """
    Create the tables that do not exist yet: for small apps and tests (use Alembic otherwise).

    Raises:
        StorageUnavailableError: The database failed.

    Example:
        >>> engine = sa.create_engine("sqlite://")
        >>> create_tables(engine)
        >>> sa.inspect(engine).get_table_names()
        ['integration_core_integration', 'integration_core_oauth_nonce']
        >>> engine.dispose()
    """
    try:
        metadata.create_all(engine)
    except SQLAlchemyError as error:
        raise unavailable(error) from error

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
    (['integration_core_integration', 'integration_core_oauth_nonce'], 255)
    >>> sorted(index.name for index in integrations.indexes if index.unique)
    ['uq_integration_core_integration_access_token_digest', 'uq_integration_core_integration_consumer_key', 'uq_integration_core_integration_name_key']
"""

from integration_core.adapters.sqlalchemy._nonces import SqlNonceStore
from integration_core.adapters.sqlalchemy._repository import SqlIntegrationRepository
from integration_core.adapters.sqlalchemy._schema import (
    create_tables,
    integrations,
    metadata,
    nonces,
)

__all__ = [
    "SqlIntegrationRepository",
    "SqlNonceStore",
    "create_tables",
    "integrations",
    "metadata",
    "nonces",
]

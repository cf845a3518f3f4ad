"""The nonce stores pass the contract kit: in memory, and in SQL on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from integration_core.adapters import InMemoryNonceStore
from integration_core.adapters.sqlalchemy import SqlNonceStore, create_tables
from integration_core.errors import StorageUnavailableError
from integration_core.ports import NonceStore
from integration_core.testing.nonces import NonceStoreContract
from tests.adapters.test_sqlalchemy import (
    EngineOwner,
    file_engine,
    memory_engine,
    needs_postgres,
    postgres_engine,
)


class TestInMemory(NonceStoreContract):
    def make_store(self) -> NonceStore:
        return InMemoryNonceStore()


class SqlStores(EngineOwner):
    def store_on(self, make_engine: Callable[[], sa.Engine]) -> SqlNonceStore:
        engine = make_engine()
        self.engines.append(engine)
        create_tables(engine)
        return SqlNonceStore(engine)


class TestSqliteInMemory(SqlStores, NonceStoreContract):
    def make_store(self) -> NonceStore:
        return self.store_on(memory_engine)


class TestSqliteOnFile(SqlStores, NonceStoreContract):
    def make_store(self) -> NonceStore:
        return self.store_on(lambda: file_engine(self.directory))


@needs_postgres
class TestPostgres(SqlStores, NonceStoreContract):
    def make_store(self) -> NonceStore:
        return self.store_on(postgres_engine)


def test_a_store_without_its_table_raises_storage_unavailable() -> None:
    engine = memory_engine()
    store = SqlNonceStore(engine)
    with pytest.raises(StorageUnavailableError, match="no such table"):
        store.use("k" * 32, "n", 1)
    with pytest.raises(StorageUnavailableError, match="no such table"):
        store.purge(older_than=1)
    assert repr(store) == "<SqlNonceStore: sqlite://>"
    assert repr(InMemoryNonceStore()) == "<InMemoryNonceStore: 0 nonces>"
    engine.dispose()

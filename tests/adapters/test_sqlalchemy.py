from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import StaticPool

from integration_core import (
    AclTree,
    InMemoryIntegrationRepository,
    IntegrationRepository,
    ResourceSelection,
)
from integration_core.adapters.sqlalchemy import (
    SqlIntegrationRepository,
    create_tables,
    integrations,
    metadata,
)
from integration_core.adapters.sqlalchemy._repository import _duplicate
from integration_core.credentials import SealedSecret, StoredToken, digest
from integration_core.errors import (
    ConcurrencyConflictError,
    DuplicateIdentityError,
    DuplicateNameError,
    IntegrationValidationError,
    StorageUnavailableError,
    StoredDataError,
)
from integration_core.integrations import (
    IntegrationQuery,
    PendingExchange,
    name_key,
    name_search_key,
)
from integration_core.testing.builders import sample_integration, sample_issuer
from integration_core.testing.contract import IntegrationRepositoryContract

POSTGRES_URL = os.environ.get("INTEGRATION_CORE_TEST_POSTGRES_URL")
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL,
    reason="INTEGRATION_CORE_TEST_POSTGRES_URL is not set (scripts/postgres sets it)",
)


def memory_engine() -> sa.Engine:
    return sa.create_engine(
        "sqlite://", poolclass=StaticPool, connect_args={"check_same_thread": False}
    )


def file_engine(directory: Path) -> sa.Engine:
    """A SQLite file as a host keeps one: write-ahead log, synced at checkpoints, not each commit."""
    engine = sa.create_engine(f"sqlite:///{directory / 'integrations.sqlite'}")
    sa.event.listen(engine, "connect", _write_ahead)
    return engine


def _write_ahead(connection: sqlite3.Connection, _record: object) -> None:
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")


def postgres_engine() -> sa.Engine:
    assert POSTGRES_URL is not None
    engine = sa.create_engine(POSTGRES_URL)
    metadata.drop_all(engine)
    return engine


class EngineOwner:
    """Creates engines for a test and disposes of them afterwards."""

    @pytest.fixture(autouse=True)
    def _engines(self, tmp_path: Path) -> Iterator[None]:
        self.directory = tmp_path
        self.engines: list[sa.Engine] = []
        yield
        for engine in self.engines:
            engine.dispose()

    def repository_on(self, make_engine: Callable[[], sa.Engine]) -> SqlIntegrationRepository:
        engine = make_engine()
        self.engines.append(engine)
        create_tables(engine)
        return SqlIntegrationRepository(engine)

    def tableless_on(self, make_engine: Callable[[], sa.Engine]) -> SqlIntegrationRepository:
        """A repository on a database whose table was never created (or cannot be)."""
        engine = make_engine()
        self.engines.append(engine)
        return SqlIntegrationRepository(engine)


class TestSqliteInMemory(EngineOwner, IntegrationRepositoryContract):
    def make_repository(self) -> IntegrationRepository:
        return self.repository_on(memory_engine)

    def make_unavailable_repository(self) -> IntegrationRepository:
        return self.tableless_on(memory_engine)


class TestSqliteOnFile(EngineOwner, IntegrationRepositoryContract):
    def make_repository(self) -> IntegrationRepository:
        return self.repository_on(lambda: file_engine(self.directory))

    def make_unavailable_repository(self) -> IntegrationRepository:
        return self.tableless_on(lambda: file_engine(self.directory / "missing-directory"))


@needs_postgres
class TestPostgres(EngineOwner, IntegrationRepositoryContract):
    def make_repository(self) -> IntegrationRepository:
        return self.repository_on(postgres_engine)

    def make_unavailable_repository(self) -> IntegrationRepository:
        return self.tableless_on(postgres_engine)


BACKENDS = [
    pytest.param("sqlite-memory", id="sqlite-memory"),
    pytest.param("sqlite-file", id="sqlite-file"),
    pytest.param("postgres", id="postgres", marks=needs_postgres),
]


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    made = {
        "sqlite-memory": memory_engine,
        "sqlite-file": lambda: file_engine(tmp_path),
        "postgres": postgres_engine,
    }[request.param]()
    create_tables(made)
    yield made
    made.dispose()


@pytest.fixture
def repository(engine: sa.Engine) -> SqlIntegrationRepository:
    return SqlIntegrationRepository(engine)


@pytest.mark.skipif(not os.environ.get("CI"), reason="only CI promises a PostgreSQL server")
def test_ci_always_configures_a_postgres_database() -> None:
    assert POSTGRES_URL, "CI runs the tests through scripts/postgres, which sets the URL"


def test_importing_the_package_does_not_import_sqlalchemy() -> None:
    code = "import sys, integration_core; print('sqlalchemy' in sys.modules)"
    completed = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert completed.stdout.strip() == "False"


def test_the_repository_satisfies_the_protocol(repository: SqlIntegrationRepository) -> None:
    assert isinstance(repository, IntegrationRepository)


def test_columns_are_sized_as_magento_sizes_them() -> None:
    lengths = {
        column.name: column.type.length
        for column in integrations.columns
        if isinstance(column.type, sa.String)
    }
    assert lengths == {
        "id": 64,
        "name": 255,
        "name_key": 1020,
        "name_search_key": 1020,
        "email": 255,
        "callback_url": 255,
        "identity_link_url": 255,
        "consumer_key": 32,
        "consumer_secret_sealed": 255,
        "access_token_digest": 64,
        "access_secret_sealed": 255,
        "exchange_verifier_digest": 64,
        "request_token_digest": 64,
        "request_secret_sealed": 255,
        "selection": None,
    }


def test_the_name_key_consumer_key_and_token_digest_have_unique_indexes() -> None:
    unique = {
        tuple(column.name for column in index.columns)
        for index in integrations.indexes
        if index.unique
    }
    assert unique == {("name_key",), ("consumer_key",), ("access_token_digest",)}


def test_the_token_lookup_uses_the_digest_index(engine: sa.Engine) -> None:
    query = sa.select(integrations).where(integrations.c.access_token_digest == "d" * 64)
    compiled = query.compile(engine, compile_kwargs={"literal_binds": True})
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
        else:
            connection.exec_driver_sql("SET enable_seqscan = off")
            plan = connection.exec_driver_sql(f"EXPLAIN {compiled}").all()
    assert "uq_integration_core_integration_access_token_digest" in str(plan)


def test_the_selection_is_stored_as_canonical_json(
    engine: sa.Engine, repository: SqlIntegrationRepository
) -> None:
    stored = repository.add(sample_integration("Shop"))
    with engine.connect() as connection:
        text = connection.execute(sa.select(integrations.c.selection)).scalar_one()
    assert text == '{"mode":"all"}'
    assert stored.selection.to_data() == {"mode": "all"}


def test_timestamps_in_any_zone_read_back_equal_and_in_utc(
    repository: SqlIntegrationRepository,
) -> None:
    zone = timezone(timedelta(hours=-7, minutes=-30))
    when = datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=zone)
    integration = attrs.evolve(
        sample_integration("Zoned"),
        created_at=when,
        updated_at=when,
        exchange=PendingExchange(digest("v" * 32), when),
    )
    read = repository.get(repository.add(integration).id)
    assert attrs.evolve(integration, version=1) == read
    assert (read.created_at.tzinfo, read.exchange and read.exchange.started_at.tzinfo) == (UTC, UTC)


def test_a_custom_selection_round_trips(repository: SqlIntegrationRepository) -> None:
    tree = AclTree.from_data([{"id": "sales", "children": [{"id": "orders"}, {"id": "cancel"}]}])
    selection = ResourceSelection.custom(tree, allow=["sales"], deny=["cancel"])
    integration = attrs.evolve(sample_integration("Custom"), selection=selection)
    repository.add(integration)
    assert selection == repository.get(integration.id).selection


def test_save_taking_another_integrations_consumer_key_raises_naming_it(
    repository: SqlIntegrationRepository,
) -> None:
    first = repository.add(sample_integration("First"))
    second = repository.add(sample_integration("Second"))
    with pytest.raises(DuplicateIdentityError) as raised:
        repository.save(attrs.evolve(second, consumer=first.consumer))
    assert raised.value.field == "consumer_key"
    assert (first, second) == repository.list()


def test_a_stale_save_that_would_also_clash_reports_the_conflict(
    repository: SqlIntegrationRepository,
) -> None:
    first = repository.add(sample_integration("First"))
    second = repository.add(sample_integration("Second"))
    current = repository.save(second)
    with pytest.raises(ConcurrencyConflictError):
        repository.save(attrs.evolve(second, name="FIRST"))
    assert (first, current) == repository.list()


def test_a_pending_exchange_without_request_token_round_trips(
    repository: SqlIntegrationRepository,
) -> None:
    when = datetime(2024, 1, 1, tzinfo=UTC)
    integration = attrs.evolve(
        sample_integration("Pending"), exchange=PendingExchange(digest("v" * 32), when)
    )
    repository.add(integration)
    assert attrs.evolve(integration, version=1) == repository.get(integration.id)


def test_over_long_values_are_refused_naming_each_field_and_nothing_is_stored(
    repository: SqlIntegrationRepository,
) -> None:
    long_token = StoredToken(token_digest="t" * 65, secret=SealedSecret("s" * 256))
    integration = attrs.evolve(
        sample_integration("n" * 256, integration_id="i" * 65, consumer_key="k" * 33),
        email="e" * 256,
        callback_url="https://" + "c" * 248,
        identity_link_url="https://" + "l" * 248,
        access=long_token,
        exchange=PendingExchange(
            "v" * 65, datetime(2024, 1, 1, tzinfo=UTC), long_token, datetime(2024, 1, 1, tzinfo=UTC)
        ),
    )
    with pytest.raises(IntegrationValidationError) as raised:
        repository.add(integration)
    assert raised.value.fields == (
        "id",
        "name",
        "email",
        "callback_url",
        "identity_link_url",
        "consumer_key",
        "access_token_digest",
        "access_secret_sealed",
        "exchange_verifier_digest",
        "request_token_digest",
        "request_secret_sealed",
    )
    assert {"too_long"} == {problem.code for problem in raised.value.problems}
    assert repository.list() == ()


def test_an_over_long_sealed_consumer_secret_is_refused_without_showing_it(
    repository: SqlIntegrationRepository,
) -> None:
    sealed = "s" * 256
    integration = attrs.evolve(
        sample_integration("Shop"),
        consumer=attrs.evolve(sample_integration().consumer, secret=SealedSecret(sealed)),
    )
    with pytest.raises(IntegrationValidationError) as raised:
        repository.add(integration)
    assert raised.value.fields == ("consumer_secret_sealed",)
    assert sealed not in str(raised.value)


def test_a_name_whose_normalized_form_is_too_long_is_refused_on_save_too(
    repository: SqlIntegrationRepository,
) -> None:
    stored = repository.add(sample_integration("Short"))
    expanding = "\ufdfa" * 100  # NFKC turns each of these into 18 characters
    assert len(name_key(expanding).encode("utf-8")) > 1020
    with pytest.raises(IntegrationValidationError) as raised:
        repository.save(attrs.evolve(stored, name=expanding))
    assert raised.value.fields == ("name",)
    assert (stored,) == repository.list()


def test_a_name_whose_search_form_is_too_long_is_refused_though_its_key_fits(
    repository: SqlIntegrationRepository,
) -> None:
    primes = "\u2057" * 255  # QUADRUPLE PRIME: four primes to search, one look-alike for the key
    assert len(name_key(primes).encode("utf-8")) <= 1020 < len(name_search_key(primes).encode())
    with pytest.raises(IntegrationValidationError) as raised:
        repository.add(sample_integration(primes))
    assert raised.value.fields == ("name",)
    assert "got 3060" in str(raised.value)
    assert repository.list() == ()


def test_naive_timestamps_are_refused(repository: SqlIntegrationRepository) -> None:
    naive = datetime(2024, 1, 1)  # noqa: DTZ001 - the point of the test
    integration = attrs.evolve(
        sample_integration("Naive"),
        created_at=naive,
        updated_at=naive,
        exchange=PendingExchange(digest("v" * 32), naive),
    )
    with pytest.raises(IntegrationValidationError) as raised:
        repository.add(integration)
    assert raised.value.fields == ("exchange_started_at", "created_at", "updated_at")
    assert {"naive_datetime"} == {problem.code for problem in raised.value.problems}


def test_list_orders_by_code_point_like_the_in_memory_reference(
    repository: SqlIntegrationRepository,
) -> None:
    reference = InMemoryIntegrationRepository()
    for name in ["b", "Z", "_x", "\u00e9t\u00e9", "\u00e4", "a b", "a-b", "10", "9"]:
        integration = sample_integration(name)
        repository.add(integration)
        reference.add(integration)
    assert [i.name for i in reference.list()] == [i.name for i in repository.list()]


def test_repositories_on_one_sqlite_engine_and_its_copies_share_one_lock() -> None:
    engine = memory_engine()
    copy = engine.execution_options(logging_token="copy")
    assert SqlIntegrationRepository(engine)._lock is SqlIntegrationRepository(copy)._lock
    other = memory_engine()
    assert SqlIntegrationRepository(engine)._lock is not SqlIntegrationRepository(other)._lock
    engine.dispose()
    other.dispose()


def test_the_repr_names_the_database_without_its_password() -> None:
    engine = sa.create_engine("postgresql+psycopg://shop:hunter2@db.example/shop")
    text = repr(SqlIntegrationRepository(engine))
    assert text == "<SqlIntegrationRepository: postgresql+psycopg://shop:***@db.example/shop>"


OPERATIONS: list[Callable[[SqlIntegrationRepository], object]] = [
    lambda repository: repository.add(sample_integration("Shop")),
    lambda repository: repository.get("some-id"),
    lambda repository: repository.get_by_name("Shop"),
    lambda repository: repository.find_by_consumer_key("k" * 32),
    lambda repository: repository.find_by_access_token_digest("d" * 64),
    lambda repository: repository.save(attrs.evolve(sample_integration("Shop"), version=1)),
    lambda repository: repository.delete("some-id", version=1),
    lambda repository: repository.list(),
    lambda repository: repository.query(IntegrationQuery()),
]


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////nonexistent-directory/for/integrations.sqlite",
        "postgresql+psycopg://nobody@127.0.0.1:1/nothing?connect_timeout=5",
    ],
)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_dead_database_raises_storage_unavailable(
    url: str, operation: Callable[[SqlIntegrationRepository], object]
) -> None:
    engine = sa.create_engine(url)
    with pytest.raises(StorageUnavailableError) as raised:
        operation(SqlIntegrationRepository(engine))
    assert str(raised.value).startswith("the integration database failed: ")
    engine.dispose()


def test_creating_tables_on_a_dead_database_raises_storage_unavailable() -> None:
    engine = sa.create_engine("sqlite:////nonexistent-directory/for/integrations.sqlite")
    with pytest.raises(StorageUnavailableError, match="unable to open database file"):
        create_tables(engine)
    engine.dispose()


def test_a_failure_shows_no_secret_even_in_its_traceback() -> None:
    engine = memory_engine()  # no tables created
    integration = sample_integration("Shop")
    with pytest.raises(StorageUnavailableError, match="no such table") as raised:
        SqlIntegrationRepository(engine).add(integration)
    shown = "".join(traceback.format_exception(raised.value))
    assert "INSERT INTO integration_core_integration" in shown
    assert sample_issuer().consumer_secret(integration.consumer).reveal() not in shown
    engine.dispose()


def test_an_exhausted_connection_pool_raises_storage_unavailable(tmp_path: Path) -> None:
    engine = sa.create_engine(
        f"sqlite:///{tmp_path / 'pool.sqlite'}", pool_size=1, max_overflow=0, pool_timeout=0.01
    )
    create_tables(engine)
    with engine.connect(), pytest.raises(StorageUnavailableError, match="QueuePool limit"):
        SqlIntegrationRepository(engine).list()
    engine.dispose()


def test_a_unique_index_the_host_added_raises_storage_unavailable(
    engine: sa.Engine, repository: SqlIntegrationRepository
) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE UNIQUE INDEX host_unique_email ON integration_core_integration (email)"
        )
    repository.add(sample_integration("One"))
    with pytest.raises(StorageUnavailableError, match=r"host_unique_email|email"):
        repository.add(sample_integration("Two"))


def test_an_integrity_error_that_is_no_unique_violation_raises_storage_unavailable() -> None:
    error = IntegrityError("INSERT", {}, Exception("NOT NULL constraint failed: x.name_key"))
    assert isinstance(_duplicate(error, sample_integration()), StorageUnavailableError)


def test_an_error_without_a_message_is_named_by_its_type() -> None:
    error = IntegrityError("INSERT", {}, Exception())
    assert (
        str(_duplicate(error, sample_integration()))
        == "the integration database failed: IntegrityError"
    )


NAMES = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=20
)


@pytest.mark.law
@settings(max_examples=25)
@given(names=st.lists(NAMES, min_size=1, max_size=8))
def test_the_sqlite_adapter_agrees_with_the_in_memory_reference(names: list[str]) -> None:
    """
    Rule: the SQLite adapter stores, refuses as duplicates and finds any names exactly as the
    in-memory reference does.
    """
    engine = memory_engine()
    create_tables(engine)
    repository = SqlIntegrationRepository(engine)
    reference = InMemoryIntegrationRepository()
    for name in names:
        integration = sample_integration(name)
        outcomes: list[object] = []
        for store in (repository, reference):
            try:
                outcomes.append(store.add(integration))
            except DuplicateNameError as error:
                outcomes.append(error.name)
        assert outcomes[0] == outcomes[1]
    assert reference.list() == repository.list()
    for name in names:
        assert reference.get_by_name(name) == repository.get_by_name(name)
    engine.dispose()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("status", 9),
        ("status", "x"),
        ("setup_type", 7),
        ("created_at", "garbage"),
        ("updated_at", "2024-13-45 99:99:99"),
        ("selection", "not json"),
        ("selection", '{"mode": "some"}'),
        ("selection", 5),
        ("name", b"Shop"),
        ("email", b"\xff"),
        ("consumer_secret_sealed", b"s"),
        ("version", "x"),
        ("version", 0),
        ("exchange_started_at", "garbage"),
        ("exchange_failed_attempts", -1),
        ("exchange_failed_attempts", "x"),
    ],
)
def test_a_corrupt_row_is_reported_naming_the_integration_and_the_column(
    column: str, value: object
) -> None:
    # Only SQLite lets a column hold a value of another type: PostgreSQL's types refuse it.
    engine = memory_engine()
    create_tables(engine)
    repository = SqlIntegrationRepository(engine)
    stored = repository.add(sample_integration("Shop", access_token="t" * 32))
    with engine.begin() as connection:
        # A text column with TEXT affinity still keeps a BLOB as a BLOB.
        connection.exec_driver_sql(f"UPDATE {integrations.name} SET {column} = ?", (value,))  # noqa: S608 - a column name of ours
    reads = (
        lambda: repository.get(stored.id),
        lambda: repository.get_by_name("Shop"),
        lambda: repository.find_by_consumer_key(stored.consumer.key),
        repository.list,
        # The reads on the driver's cursor decode the same way.
        lambda: repository.find_by_access_token_digest(digest("t" * 32)),
        lambda: repository.query(IntegrationQuery()),
    )
    for read in reads:
        with pytest.raises(StoredDataError) as raised:
            read()
        assert (stored.id, column) == (raised.value.integration_id, raised.value.column)
        assert isinstance(raised.value, StorageUnavailableError)
        assert raised.value.__cause__ is None


def test_a_token_digest_without_its_sealed_secret_is_a_corrupt_row(engine: sa.Engine) -> None:
    repository = SqlIntegrationRepository(engine)
    stored = repository.add(sample_integration("Shop", access_token="t" * 32))
    with engine.begin() as connection:
        connection.execute(sa.update(integrations).values(access_secret_sealed=None))
    with pytest.raises(StoredDataError) as raised:
        repository.get(stored.id)
    assert raised.value.column == "access_secret_sealed"


@pytest.mark.parametrize("text", ["Sh\x00op", "Sh\ud800op"])
def test_text_no_database_can_hold_is_refused_before_any_write_naming_the_column(
    repository: SqlIntegrationRepository, text: str
) -> None:
    with pytest.raises(IntegrationValidationError) as raised:
        repository.add(attrs.evolve(sample_integration("Shop"), email=text))
    assert [(p.field, p.code) for p in raised.value.problems] == [("email", "unstorable_text")]
    assert repository.list() == ()

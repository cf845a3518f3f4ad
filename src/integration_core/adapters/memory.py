"""
A thread-safe in-memory repository: a real implementation for tests and small apps.

Example:
    >>> from integration_core.testing.builders import sample_integration
    >>> repository = InMemoryIntegrationRepository()
    >>> repository.add(sample_integration("Shop")).version
    1
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import attrs

from integration_core.errors import (
    ConcurrencyConflictError,
    DuplicateIdentityError,
    DuplicateNameError,
    IntegrationNotFoundError,
)
from integration_core.integrations import Integration, IntegrationPage, IntegrationQuery, name_key
from integration_core.ports import a_query, a_version, an_integration, storable

__all__ = ["InMemoryIntegrationRepository", "InMemoryNonceStore"]


class InMemoryIntegrationRepository:
    """
    Integrations kept in process memory, guarded by one lock.

    It honours the whole :class:`~integration_core.IntegrationRepository` contract,
    indexes by name key, consumer key and access-token digest, and passes the
    contract kit, including its concurrency tests. A unit of work (:meth:`atomic`)
    holds the lock until it ends, so other threads wait for it rather than see part
    of it; it keeps an undo log of its writes and replays it backwards if it raises.

    Example:
        >>> from integration_core.testing.builders import sample_integration
        >>> repository = InMemoryIntegrationRepository()
        >>> stored = repository.add(sample_integration(name="Shop Sync"))
        >>> stored.version, repository.get_by_name("SHOP SYNC") == stored
        (1, True)
    """

    def __init__(self) -> None:
        # Reentrant: a unit of work holds it while the calls inside take it again.
        self._lock = threading.RLock()
        self._undo: list[tuple[Integration | None, Integration | None]] | None = None
        self._by_id: dict[str, Integration] = {}
        self._by_name: dict[str, str] = {}
        self._by_consumer_key: dict[str, str] = {}
        self._by_token_digest: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"<InMemoryIntegrationRepository: {len(self._by_id)} integrations>"

    def add(self, integration: Integration) -> Integration:
        """
        See :meth:`IntegrationRepository.add <integration_core.IntegrationRepository.add>`.

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> InMemoryIntegrationRepository().add(sample_integration("Shop")).version
            1
        """
        stored = attrs.evolve(an_integration(integration), version=1)
        with self._lock:
            if stored.id in self._by_id:
                raise DuplicateIdentityError("id", f"an integration with id {stored.id!r} exists")
            self._check_unique(stored)
            self._index(stored)
            self._logged(None, stored)
        return stored

    def get(self, integration_id: str) -> Integration:
        """
        See :meth:`IntegrationRepository.get <integration_core.IntegrationRepository.get>`.

        Example:
            >>> InMemoryIntegrationRepository().get("i1")
            Traceback (most recent call last):
                ...
            integration_core.errors.IntegrationNotFoundError: The integration with ID "i1" doesn't exist.
        """
        with self._lock:
            found = self._with_id(integration_id)
        if found is None:
            raise IntegrationNotFoundError(integration_id)
        return found

    def get_by_name(self, name: str) -> Integration:
        """
        See :meth:`IntegrationRepository.get_by_name <integration_core.IntegrationRepository.get_by_name>`.

        Example:
            >>> InMemoryIntegrationRepository().get_by_name("Shop")
            Traceback (most recent call last):
                ...
            integration_core.errors.IntegrationNotFoundError: The integration with name "Shop" doesn't exist.
        """
        with self._lock:
            found = self._lookup(self._by_name, name_key(name)) if storable(name) else None
        if found is None:
            raise IntegrationNotFoundError(name, field="name")
        return found

    def find_by_consumer_key(self, consumer_key: str) -> Integration | None:
        """
        See :meth:`IntegrationRepository.find_by_consumer_key <integration_core.IntegrationRepository.find_by_consumer_key>`.

        Example:
            >>> print(InMemoryIntegrationRepository().find_by_consumer_key("k" * 32))
            None
        """
        with self._lock:
            return self._lookup(self._by_consumer_key, consumer_key)

    def find_by_access_token_digest(self, token_digest: str) -> Integration | None:
        """
        See :meth:`IntegrationRepository.find_by_access_token_digest <integration_core.IntegrationRepository.find_by_access_token_digest>`.

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> repository = InMemoryIntegrationRepository()
            >>> active = repository.add(sample_integration("Shop", access_token="t" * 32))
            >>> repository.find_by_access_token_digest(active.access.token_digest).name
            'Shop'
        """
        with self._lock:
            return self._lookup(self._by_token_digest, token_digest)

    def save(self, integration: Integration) -> Integration:
        """
        See :meth:`IntegrationRepository.save <integration_core.IntegrationRepository.save>`.

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> repository = InMemoryIntegrationRepository()
            >>> stored = repository.add(sample_integration("Shop"))
            >>> repository.save(attrs.evolve(stored, email="erp@example.com")).email
            'erp@example.com'
        """
        an_integration(integration)
        with self._lock:
            current = self._current(integration.id, integration.version)
            stored = attrs.evolve(integration, version=current.version + 1)
            self._check_unique(stored)
            self._unindex(current)
            self._index(stored)
            self._logged(current, stored)
        return stored

    def delete(self, integration_id: str, *, version: int) -> None:
        """
        See :meth:`IntegrationRepository.delete <integration_core.IntegrationRepository.delete>`.

        Example:
            >>> InMemoryIntegrationRepository().delete("i1", version=1)
            Traceback (most recent call last):
                ...
            integration_core.errors.IntegrationNotFoundError: The integration with ID "i1" doesn't exist.
        """
        with self._lock:
            current = self._current(integration_id, version)
            self._unindex(current)
            self._logged(current, None)

    def list(self) -> tuple[Integration, ...]:
        """
        See :meth:`IntegrationRepository.list <integration_core.IntegrationRepository.list>`.

        Example:
            >>> InMemoryIntegrationRepository().list()
            ()
        """
        with self._lock:
            values = list(self._by_id.values())
        return tuple(sorted(values, key=lambda integration: (integration.name_key, integration.id)))

    def query(self, query: IntegrationQuery) -> IntegrationPage:
        """
        See :meth:`IntegrationRepository.query <integration_core.IntegrationRepository.query>`.

        It filters and sorts a snapshot of every integration, outside the lock.

        Example:
            >>> from integration_core.integrations import IntegrationQuery
            >>> InMemoryIntegrationRepository().query(IntegrationQuery()).total
            0
        """
        a_query(query)
        with self._lock:
            values = list(self._by_id.values())
        return query.page_of(values)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[None]:
        """
        See :meth:`IntegrationRepository.atomic <integration_core.IntegrationRepository.atomic>`.

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> repository = InMemoryIntegrationRepository()
            >>> with repository.atomic():
            ...     first = repository.add(sample_integration("First"))
            ...     second = repository.add(sample_integration("Second"))
            >>> repository.list() == (first, second)
            True
        """
        with self._lock:
            outermost = self._undo is None
            undo = self._undo = [] if self._undo is None else self._undo
            mark = len(undo)
            try:
                yield
            except BaseException:
                while len(undo) > mark:
                    before, after = undo.pop()
                    if after is not None:
                        self._unindex(after)
                    if before is not None:
                        self._index(before)
                raise
            finally:
                if outermost:
                    self._undo = None

    def _with_id(self, integration_id: object) -> Integration | None:
        """The integration with this id: none for an id no store could hold, of any type."""
        return self._by_id.get(integration_id) if storable(integration_id) else None

    def _lookup(self, index: dict[str, str], key: object) -> Integration | None:
        """The integration under ``key`` in ``index``: none for a key no store could hold."""
        integration_id = index.get(key) if storable(key) else None
        return None if integration_id is None else self._by_id[integration_id]

    def _current(self, integration_id: str, version: int) -> Integration:
        current = self._with_id(integration_id)
        if current is None:
            raise IntegrationNotFoundError(integration_id)
        if not a_version(version) or current.version != version:
            raise ConcurrencyConflictError(
                integration_id, expected_version=version, actual_version=current.version
            )
        return current

    def _check_unique(self, candidate: Integration) -> None:
        """Raise if another integration holds one of ``candidate``'s unique keys."""
        holder = self._by_name.get(candidate.name_key)
        if holder not in {None, candidate.id}:
            raise DuplicateNameError(candidate.name)
        holder = self._by_consumer_key.get(candidate.consumer.key)
        if holder not in {None, candidate.id}:
            raise DuplicateIdentityError(
                "consumer_key", "another integration has this consumer key"
            )
        if candidate.access is not None:
            holder = self._by_token_digest.get(candidate.access.token_digest)
            if holder not in {None, candidate.id}:
                raise DuplicateIdentityError(
                    "access_token", "another integration has this access token"
                )

    def _logged(self, before: Integration | None, after: Integration | None) -> None:
        """Remember a write of the open unit of work, if any, to undo it should the unit fail."""
        if self._undo is not None:
            self._undo.append((before, after))

    def _index(self, integration: Integration) -> None:
        self._by_id[integration.id] = integration
        self._by_name[integration.name_key] = integration.id
        self._by_consumer_key[integration.consumer.key] = integration.id
        if integration.access is not None:
            self._by_token_digest[integration.access.token_digest] = integration.id

    def _unindex(self, integration: Integration) -> None:
        del self._by_id[integration.id]
        del self._by_name[integration.name_key]
        del self._by_consumer_key[integration.consumer.key]
        if integration.access is not None:
            del self._by_token_digest[integration.access.token_digest]


class InMemoryNonceStore:
    """
    A thread-safe in-memory :class:`~integration_core.ports.NonceStore`, for one process.

    Example:
        >>> store = InMemoryNonceStore()
        >>> store.use("k" * 32, "n-1", 1700000000), store.use("k" * 32, "n-1", 1700000000)
        (True, False)
        >>> store.use("j" * 32, "n-1", 1700000000)  # another consumer's nonce space
        True
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._used: dict[tuple[str, str], int] = {}

    def __repr__(self) -> str:
        return f"<InMemoryNonceStore: {len(self._used)} nonces>"

    def use(
        self, consumer_key: str, nonce: str, timestamp: int, *, token: str | None = None
    ) -> bool:
        """
        See :meth:`NonceStore.use <integration_core.ports.NonceStore.use>`.

        Example:
            >>> InMemoryNonceStore().use("k" * 32, "n", 1, token=None)
            True
        """
        del token  # the key is (consumer, nonce); a SQL store keeps the token's digest, for audits
        key = (consumer_key, nonce)
        with self._lock:
            if key in self._used:
                return False
            self._used[key] = timestamp
            return True

    def purge(self, older_than: int) -> int:
        """
        See :meth:`NonceStore.purge <integration_core.ports.NonceStore.purge>`.

        Example:
            >>> store = InMemoryNonceStore()
            >>> _ = store.use("k" * 32, "n", 5)
            >>> store.purge(older_than=5), store.purge(older_than=6)
            (0, 1)
        """
        with self._lock:
            old = [key for key, timestamp in self._used.items() if timestamp < older_than]
            for key in old:
                del self._used[key]
            return len(old)

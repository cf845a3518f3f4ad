"""
The ports a host implements: storage and time (credentials come from a generator).

The core never performs I/O; a host plugs storage in by implementing
:class:`IntegrationRepository` and proving it with the contract kit in
:mod:`integration_core.testing.contract`, and passes in a :class:`Clock`. The
credential generator port is :class:`~integration_core.credentials.CredentialGenerator`.

Example:
    >>> from integration_core.adapters import InMemoryIntegrationRepository, SystemClock
    >>> isinstance(InMemoryIntegrationRepository(), IntegrationRepository)
    True
    >>> isinstance(SystemClock(), Clock)
    True
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import Protocol, TypeGuard, runtime_checkable

from integration_core.errors import InvalidArgumentError
from integration_core.integrations import Integration, IntegrationPage, IntegrationQuery

__all__ = [
    "Clock",
    "IntegrationRepository",
    "NonceStore",
    "a_query",
    "a_version",
    "an_integration",
    "storable",
]


@runtime_checkable
class IntegrationRepository(Protocol):
    """
    Storage for integrations together with their credentials.

    The contract (checked by :class:`~integration_core.testing.contract.IntegrationRepositoryContract`):

    - **Values, not references.** Integrations are immutable values; a repository
      keeps the value it was given (an SQL adapter keeps its columns) and returns
      values equal to it, with timezone-aware datetimes and every field intact.
      What a caller does with a value after storing it never changes what is stored.
    - **Versions.** :meth:`add` stores version 1; each :meth:`save` stores the
      stored version plus one and returns that value. A :meth:`save` or
      :meth:`delete` based on a version other than the stored one raises
      :class:`~integration_core.errors.ConcurrencyConflictError` and changes
      nothing. Each write is atomic: check and write happen as one step (an SQL
      adapter uses ``UPDATE ... WHERE id = ? AND version = ?`` in one transaction).
    - **Uniqueness.** Names are unique by
      :func:`~integration_core.name_key` (NFKC + casefold + confusable skeleton): a second name with
      the same key raises :class:`~integration_core.errors.DuplicateNameError`
      and changes nothing; an integration may be saved under a case variant of
      its own name. Ids, consumer keys and access-token digests are unique too
      (:class:`~integration_core.errors.DuplicateIdentityError` naming the field).
      Uniqueness holds under concurrent writers (an SQL adapter stores the name
      key in a column with a unique index).
    - **Secrets.** The access token and its secret are held only as digests
      (:class:`~integration_core.StoredToken`); the adapter stores what it is given
      and never derives or keeps anything else. The consumer secret and a pending
      exchange's verifier are stored as given (an adapter may encrypt them at rest).
    - **Failures.** Driver and connection failures raise
      :class:`~integration_core.errors.StorageUnavailableError`; no other driver
      exception escapes.
    - **Units of work.** The writes made inside :meth:`atomic` on one thread are stored
      together when the block ends, or none of them when it raises; a write refused
      inside it changes nothing and leaves the unit usable. Other threads never see
      part of a unit.
    - **Thread safety.** Methods may be called from several threads at once.

    Example:
        >>> from integration_core import InMemoryIntegrationRepository
        >>> isinstance(InMemoryIntegrationRepository(), IntegrationRepository)
        True
    """

    def add(self, integration: Integration) -> Integration:
        """
        Store a new integration.

        Args:
            integration: The new value; its ``version`` is ignored.

        Returns:
            The stored value: ``integration`` with ``version`` 1.

        Raises:
            DuplicateNameError: Another integration has the same name key.
            DuplicateIdentityError: Another integration has the same ``id``, consumer
                key or access-token digest (``field`` says which).
            StorageUnavailableError: The storage failed.

        Example:
            >>> from integration_core.adapters import InMemoryIntegrationRepository
            >>> from integration_core.testing.builders import sample_integration
            >>> repository = InMemoryIntegrationRepository()
            >>> repository.add(sample_integration("Shop")).version
            1
            >>> repository.add(sample_integration("SHOP"))
            Traceback (most recent call last):
                ...
            integration_core.errors.DuplicateNameError: name: The integration with name "SHOP" exists.
        """
        ...

    def get(self, integration_id: str) -> Integration:
        """
        The integration with this id.

        Raises:
            IntegrationNotFoundError: There is none (``field == "id"``).
            StorageUnavailableError: The storage failed.

        Example:
            >>> from integration_core.adapters import InMemoryIntegrationRepository
            >>> from integration_core.testing.builders import sample_integration
            >>> repository = InMemoryIntegrationRepository()
            >>> stored = repository.add(sample_integration("Shop", integration_id="i1"))
            >>> repository.get("i1") == stored
            True
            >>> repository.get("i2")
            Traceback (most recent call last):
                ...
            integration_core.errors.IntegrationNotFoundError: The integration with ID "i2" doesn't exist.
        """
        ...

    def get_by_name(self, name: str) -> Integration:
        """
        The integration whose name has the same :func:`name_key` as ``name``.

        Raises:
            IntegrationNotFoundError: There is none (``field == "name"``).
            StorageUnavailableError: The storage failed.

        Example:
            >>> from integration_core.adapters import InMemoryIntegrationRepository
            >>> from integration_core.testing.builders import sample_integration
            >>> repository = InMemoryIntegrationRepository()
            >>> stored = repository.add(sample_integration("Shop Sync"))
            >>> repository.get_by_name("shop SYNC") == stored
            True
        """
        ...

    def find_by_consumer_key(self, consumer_key: str) -> Integration | None:
        """
        The integration with this OAuth consumer key, or ``None``.

        Raises:
            StorageUnavailableError: The storage failed.

        Example:
            >>> from integration_core.adapters import InMemoryIntegrationRepository
            >>> from integration_core.testing.builders import sample_integration
            >>> repository = InMemoryIntegrationRepository()
            >>> stored = repository.add(sample_integration("Shop", consumer_key="k" * 32))
            >>> repository.find_by_consumer_key("k" * 32) == stored, repository.find_by_consumer_key("x")
            (True, None)
        """
        ...

    def find_by_access_token_digest(self, token_digest: str) -> Integration | None:
        """
        The integration whose stored access token has this SHA-256 hex digest, or ``None``.

        This is on the hot path of every authorized API call: index it.

        Raises:
            StorageUnavailableError: The storage failed.

        Example:
            >>> from integration_core.adapters import InMemoryIntegrationRepository
            >>> from integration_core.testing.builders import sample_integration
            >>> repository = InMemoryIntegrationRepository()
            >>> stored = repository.add(sample_integration("Shop", access_token="t" * 32))
            >>> repository.find_by_access_token_digest(stored.access.token_digest) == stored
            True
        """
        ...

    def save(self, integration: Integration) -> Integration:
        """
        Replace the stored integration with the same id, if its version is still the stored one.

        Args:
            integration: The changed value, carrying the version it was read at.

        Returns:
            The stored value: ``integration`` with ``version`` one more.

        Raises:
            IntegrationNotFoundError: No integration has this id.
            ConcurrencyConflictError: ``integration.version`` is not the stored version;
                nothing was changed.
            DuplicateNameError: Another integration has the same name key; nothing was changed.
            DuplicateIdentityError: Another integration has the same consumer key or
                access-token digest; nothing was changed.
            StorageUnavailableError: The storage failed.

        Example:
            >>> from integration_core.adapters import InMemoryIntegrationRepository
            >>> from integration_core.testing.builders import sample_integration
            >>> repository = InMemoryIntegrationRepository()
            >>> import attrs
            >>> stored = repository.add(sample_integration("Shop", integration_id="i1"))
            >>> repository.save(attrs.evolve(stored, name="Shop Sync")).version
            2
            >>> repository.save(stored)
            Traceback (most recent call last):
                ...
            integration_core.errors.ConcurrencyConflictError: integration 'i1' was changed concurrently: expected version 1, found 2
        """
        ...

    def delete(self, integration_id: str, *, version: int) -> None:
        """
        Remove the integration and all its credentials, if ``version`` is still the stored one.

        Afterwards its id, name, consumer key and access-token digest find nothing
        and may be used again.

        Raises:
            IntegrationNotFoundError: No integration has this id.
            ConcurrencyConflictError: ``version`` is stale; nothing was removed.
            StorageUnavailableError: The storage failed.

        Example:
            >>> from integration_core.adapters import InMemoryIntegrationRepository
            >>> from integration_core.testing.builders import sample_integration
            >>> repository = InMemoryIntegrationRepository()
            >>> stored = repository.add(sample_integration("Shop"))
            >>> repository.delete(stored.id, version=stored.version)
            >>> repository.find_by_consumer_key(stored.consumer.key), repository.list()
            (None, ())
        """
        ...

    def list(self) -> tuple[Integration, ...]:
        """
        Every integration, ordered by name key, then id.

        Raises:
            StorageUnavailableError: The storage failed.

        Example:
            >>> from integration_core.adapters import InMemoryIntegrationRepository
            >>> from integration_core.testing.builders import sample_integration
            >>> repository = InMemoryIntegrationRepository()
            >>> for name in ("beta", "Alpha", "gamma"):
            ...     _ = repository.add(sample_integration(name))
            >>> [integration.name for integration in repository.list()]
            ['Alpha', 'beta', 'gamma']
        """
        ...

    def query(self, query: IntegrationQuery) -> IntegrationPage:
        """
        One page of the integrations grid: filtered, sorted in a total order, and counted.

        The answer equals ``query.page_of(self.list())`` (see
        :meth:`IntegrationQuery.page_of <integration_core.integrations.IntegrationQuery.page_of>`):
        names match by :func:`~integration_core.integrations.name_search_key`, ties are broken
        by the name's search key, then the id, and ``total`` counts the matches on all pages.
        An SQL adapter indexes each sort order, the status and the setup type.

        Raises:
            InvalidArgumentError: ``query`` is not an
                :class:`~integration_core.integrations.IntegrationQuery` (``field == "query"``).
            StorageUnavailableError: The storage failed.

        Example:
            >>> from integration_core.adapters import InMemoryIntegrationRepository
            >>> from integration_core.integrations import IntegrationQuery
            >>> from integration_core.testing.builders import sample_integration
            >>> repository = InMemoryIntegrationRepository()
            >>> for name in ("Shop Sync", "ERP", "SHOP Feed"):
            ...     _ = repository.add(sample_integration(name))
            >>> page = repository.query(IntegrationQuery(name_contains="shop", page_size=1))
            >>> [integration.name for integration in page.items], page.total, page.pages
            (['SHOP Feed'], 2, 2)
        """
        ...

    def atomic(self) -> contextlib.AbstractContextManager[None]:
        """
        A unit of work: the writes inside the block are stored together, or not at all.

        Calls made in the block on the same thread read what the unit wrote; when the
        block ends they are stored as one change, and when it raises none of them is.
        A unit inside a unit is undone alone when it raises, and stored with the outer
        one. Commands that write more than once (a configuration sync) run in one unit.

        Raises:
            StorageUnavailableError: The storage failed to begin or to store the unit;
                nothing of it was stored.

        Example:
            >>> from integration_core.adapters import InMemoryIntegrationRepository
            >>> from integration_core.testing.builders import sample_integration
            >>> repository = InMemoryIntegrationRepository()
            >>> try:
            ...     with repository.atomic():
            ...         _ = repository.add(sample_integration("Shop"))
            ...         _ = repository.add(sample_integration("SHOP"))
            ... except Exception as error:
            ...     print(type(error).__name__)
            DuplicateNameError
            >>> repository.list()
            ()
        """
        ...


@runtime_checkable
class Clock(Protocol):
    """
    Tells the time: :meth:`now` returns a timezone-aware :class:`~datetime.datetime`.

    Example:
        >>> from datetime import UTC
        >>> from integration_core.adapters import ManualClock
        >>> isinstance(ManualClock(datetime(2024, 1, 1, tzinfo=UTC)), Clock)
        True
    """

    def now(self) -> datetime:
        """
        The current time, timezone-aware.

        Example:
            >>> from datetime import UTC
            >>> from integration_core.adapters import ManualClock
            >>> ManualClock(datetime(2024, 1, 1, tzinfo=UTC)).now().isoformat()
            '2024-01-01T00:00:00+00:00'
        """
        ...


@runtime_checkable
class NonceStore(Protocol):
    """
    The nonces of signed OAuth 1.0a requests: each one usable once per consumer.

    :meth:`use` is one atomic operation — of any number of callers presenting the
    same consumer key and nonce at once, exactly one is told ``True``. Entries older
    than the timestamp window are of no further use (such requests are refused on
    their timestamp) and :meth:`purge` drops them; run it from a periodic job, not on
    every request (Magento's per-request cleanup deadlocked under load, #10346).

    Example:
        >>> from integration_core.adapters import InMemoryNonceStore
        >>> store = InMemoryNonceStore()
        >>> isinstance(store, NonceStore)
        True
        >>> store.use("k" * 32, "n-1", 1700000000), store.use("k" * 32, "n-1", 1700000001)
        (True, False)
    """

    def use(
        self, consumer_key: str, nonce: str, timestamp: int, *, token: str | None = None
    ) -> bool:
        """
        Record ``nonce`` for ``consumer_key``: ``True`` the first time, ``False`` ever after.

        Raises:
            StorageUnavailableError: The storage failed; the nonce counts as not recorded.

        Example:
            >>> from integration_core.adapters import InMemoryNonceStore
            >>> InMemoryNonceStore().use("k" * 32, "n-1", 1700000000, token="t" * 32)
            True
        """
        ...

    def purge(self, older_than: int) -> int:
        """
        Forget nonces whose timestamp is before ``older_than`` (Unix seconds); how many.

        Example:
            >>> from integration_core.adapters import InMemoryNonceStore
            >>> store = InMemoryNonceStore()
            >>> store.use("k" * 32, "old", 100), store.purge(older_than=200), store.use("k" * 32, "old", 100)
            (True, 1, True)
        """
        ...


# -- what every repository checks of its arguments, one answer for every adapter --------------


def a_version(value: object) -> TypeGuard[int]:
    """
    Whether ``value`` can be a stored version: an ``int`` (``True`` and ``1.0`` are not).

    A write based on anything else is stale, whatever the repository holds.

    Example:
        >>> a_version(3), a_version(True), a_version("3")
        (True, False, False)
    """
    return isinstance(value, int) and not isinstance(value, bool)


def a_query(value: object) -> IntegrationQuery:
    """
    ``value``, refused unless it is an :class:`~integration_core.integrations.IntegrationQuery`.

    Example:
        >>> a_query({"page": 1})
        Traceback (most recent call last):
            ...
        integration_core.errors.InvalidArgumentError: query: expected an IntegrationQuery, got dict
    """
    if not isinstance(value, IntegrationQuery):
        raise InvalidArgumentError(
            "query", f"expected an IntegrationQuery, got {type(value).__name__}"
        )
    return value


def an_integration(value: object) -> Integration:
    """
    ``value``, refused unless it is an :class:`~integration_core.Integration`.

    Example:
        >>> an_integration({"name": "Shop"})
        Traceback (most recent call last):
            ...
        integration_core.errors.InvalidArgumentError: integration: expected an Integration, got dict
    """
    if not isinstance(value, Integration):
        raise InvalidArgumentError(
            "integration", f"expected an Integration, got {type(value).__name__}"
        )
    return value


def storable(value: object) -> TypeGuard[str]:
    r"""
    Whether ``value`` is a ``str`` every store holds unchanged: valid UTF-8 and no NUL.

    A lone surrogate cannot be encoded, and PostgreSQL refuses NUL in text; a lookup
    by such a key finds nothing in any repository, and no integration holds one.

    Example:
        >>> storable("Shop"), storable("\ud800"), storable("a\x00b"), storable(["a"])
        (True, False, False, False)
    """
    if not isinstance(value, str) or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True

"""
A repository whose storage fails at a chosen write: commands failing half-way, on demand.

Example:
    >>> from integration_core import InMemoryIntegrationRepository
    >>> from integration_core.testing.builders import sample_integration
    >>> failing = FailingWrites(InMemoryIntegrationRepository(), fail_at=2)
    >>> failing.add(sample_integration("First")).version
    1
    >>> failing.add(sample_integration("Second"))
    Traceback (most recent call last):
        ...
    integration_core.errors.StorageUnavailableError: the storage failed at write 2, as asked
    >>> failing
    <FailingWrites at write 2 of <InMemoryIntegrationRepository: 1 integrations>>
"""

from __future__ import annotations

import contextlib
import threading

from integration_core.errors import StorageUnavailableError
from integration_core.integrations import Integration, IntegrationPage, IntegrationQuery
from integration_core.ports import IntegrationRepository

__all__ = ["FailingWrites"]


class FailingWrites:
    """
    Wraps a repository and fails its ``fail_at``-th write, as a store going down would.

    Reads and units of work (:meth:`atomic`) go to the wrapped repository unchanged, and
    so does every write but one: the ``fail_at``-th :meth:`add`, :meth:`save` or
    :meth:`delete` (counted from 1 since the wrapper was made) raises
    :class:`~integration_core.errors.StorageUnavailableError` without reaching it. Put
    a service over the wrapper to see what a command leaves behind when its storage
    fails in the middle: the contract kit does so for every repository.

    Attributes:
        repository: The wrapped repository.
        fail_at: Which write fails; ``None`` for none.
        writes: How many writes were attempted, the failed one included.

    Example:
        >>> from integration_core import InMemoryIntegrationRepository
        >>> from integration_core.testing.builders import sample_integration
        >>> stored = InMemoryIntegrationRepository()
        >>> failing = FailingWrites(stored, fail_at=1)
        >>> with failing.atomic():  # doctest: +IGNORE_EXCEPTION_DETAIL
        ...     _ = failing.add(sample_integration("Shop"))
        Traceback (most recent call last):
            ...
        integration_core.errors.StorageUnavailableError: ...
        >>> failing.writes, stored.list(), failing.add(sample_integration("Shop")).name
        (1, (), 'Shop')
    """

    def __init__(self, repository: IntegrationRepository, *, fail_at: int | None = None) -> None:
        self.repository = repository
        self.fail_at = fail_at
        self.writes = 0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<FailingWrites at write {self.fail_at} of {self.repository!r}>"

    def add(self, integration: Integration) -> Integration:
        """
        The wrapped :meth:`~integration_core.IntegrationRepository.add`, unless this write fails.

        Example:
            >>> from integration_core import InMemoryIntegrationRepository
            >>> from integration_core.testing.builders import sample_integration
            >>> FailingWrites(InMemoryIntegrationRepository()).add(sample_integration()).version
            1
        """
        self._write()
        return self.repository.add(integration)

    def save(self, integration: Integration) -> Integration:
        """
        The wrapped :meth:`~integration_core.IntegrationRepository.save`, unless this write fails.

        Example:
            >>> from integration_core import InMemoryIntegrationRepository
            >>> from integration_core.testing.builders import sample_integration
            >>> failing = FailingWrites(InMemoryIntegrationRepository())
            >>> failing.save(failing.add(sample_integration())).version
            2
        """
        self._write()
        return self.repository.save(integration)

    def delete(self, integration_id: str, *, version: int) -> None:
        """
        The wrapped :meth:`~integration_core.IntegrationRepository.delete`, unless this write fails.

        Example:
            >>> from integration_core import InMemoryIntegrationRepository
            >>> from integration_core.testing.builders import sample_integration
            >>> failing = FailingWrites(InMemoryIntegrationRepository())
            >>> stored = failing.add(sample_integration())
            >>> failing.delete(stored.id, version=stored.version)
            >>> failing.list()
            ()
        """
        self._write()
        self.repository.delete(integration_id, version=version)

    def get(self, integration_id: str) -> Integration:
        """
        The wrapped :meth:`~integration_core.IntegrationRepository.get`.

        Example:
            >>> from integration_core import InMemoryIntegrationRepository
            >>> from integration_core.testing.builders import sample_integration
            >>> failing = FailingWrites(InMemoryIntegrationRepository())
            >>> failing.get(failing.add(sample_integration("Shop")).id).name
            'Shop'
        """
        return self.repository.get(integration_id)

    def get_by_name(self, name: str) -> Integration:
        """
        The wrapped :meth:`~integration_core.IntegrationRepository.get_by_name`.

        Example:
            >>> from integration_core import InMemoryIntegrationRepository
            >>> from integration_core.testing.builders import sample_integration
            >>> failing = FailingWrites(InMemoryIntegrationRepository())
            >>> failing.get_by_name(failing.add(sample_integration("Shop")).name).name
            'Shop'
        """
        return self.repository.get_by_name(name)

    def find_by_consumer_key(self, consumer_key: str) -> Integration | None:
        """
        The wrapped :meth:`~integration_core.IntegrationRepository.find_by_consumer_key`.

        Example:
            >>> from integration_core import InMemoryIntegrationRepository
            >>> print(FailingWrites(InMemoryIntegrationRepository()).find_by_consumer_key("k"))
            None
        """
        return self.repository.find_by_consumer_key(consumer_key)

    def find_by_access_token_digest(self, token_digest: str) -> Integration | None:
        """
        The wrapped :meth:`~integration_core.IntegrationRepository.find_by_access_token_digest`.

        Example:
            >>> from integration_core import InMemoryIntegrationRepository
            >>> print(FailingWrites(InMemoryIntegrationRepository()).find_by_access_token_digest("0"))
            None
        """
        return self.repository.find_by_access_token_digest(token_digest)

    def list(self) -> tuple[Integration, ...]:
        """
        The wrapped :meth:`~integration_core.IntegrationRepository.list`.

        Example:
            >>> from integration_core import InMemoryIntegrationRepository
            >>> FailingWrites(InMemoryIntegrationRepository()).list()
            ()
        """
        return self.repository.list()

    def query(self, query: IntegrationQuery) -> IntegrationPage:
        """
        The wrapped :meth:`~integration_core.IntegrationRepository.query`.

        Example:
            >>> from integration_core import InMemoryIntegrationRepository
            >>> from integration_core.integrations import IntegrationQuery
            >>> FailingWrites(InMemoryIntegrationRepository()).query(IntegrationQuery()).total
            0
        """
        return self.repository.query(query)

    def atomic(self) -> contextlib.AbstractContextManager[None]:
        """
        The wrapped :meth:`~integration_core.IntegrationRepository.atomic`.

        Example:
            >>> from integration_core import InMemoryIntegrationRepository
            >>> from integration_core.testing.builders import sample_integration
            >>> failing = FailingWrites(InMemoryIntegrationRepository(), fail_at=2)
            >>> try:
            ...     with failing.atomic():
            ...         _ = failing.add(sample_integration("First"))
            ...         _ = failing.add(sample_integration("Second"))
            ... except Exception as error:
            ...     print(error)
            the storage failed at write 2, as asked
            >>> failing.list()
            ()
        """
        return self.repository.atomic()

    def _write(self) -> None:
        with self._lock:
            self.writes += 1
            count = self.writes
        if count == self.fail_at:
            raise StorageUnavailableError(f"the storage failed at write {count}, as asked")

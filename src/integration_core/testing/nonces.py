"""
The nonce store contract kit: subclass :class:`NonceStoreContract` to prove a nonce store.

Example:
    A host's test module (pytest collects the class and runs every check)::

        from integration_core.adapters import InMemoryNonceStore
        from integration_core.testing.nonces import NonceStoreContract

        class TestMyNonceStore(NonceStoreContract):
            def make_store(self):
                return InMemoryNonceStore()

    >>> sorted(name for name in dir(NonceStoreContract) if name.startswith("test_"))[:2]
    ['test_a_nonce_is_used_once_per_consumer', 'test_a_nonce_no_store_can_hold_never_passes']
"""

# ruff: noqa: S101, D102 - a test kit: its methods are pytest tests

from __future__ import annotations

import abc
import threading

import pytest

from integration_core.ports import NonceStore
from integration_core.testing._threads import race

__all__ = ["NonceStoreContract"]

_KEY, _OTHER = "k" * 32, "j" * 32
_RACERS = 50


class NonceStoreContract(abc.ABC):
    """
    Every rule a :class:`~integration_core.ports.NonceStore` honours, as pytest tests.

    Example:
        >>> from integration_core.adapters import InMemoryNonceStore
        >>> class Proven(NonceStoreContract):
        ...     def make_store(self) -> NonceStore:
        ...         return InMemoryNonceStore()
        >>> isinstance(Proven().make_store(), NonceStore)
        True
    """

    @abc.abstractmethod
    def make_store(self) -> NonceStore:
        """
        Return a new, empty store of the adapter under test.

        Example:
            >>> from integration_core.adapters import InMemoryNonceStore
            >>> class Proven(NonceStoreContract):
            ...     def make_store(self) -> NonceStore:
            ...         return InMemoryNonceStore()
            >>> Proven().make_store().use("k" * 32, "n", 1)
            True
        """

    def test_a_nonce_is_used_once_per_consumer(self) -> None:
        store = self.make_store()
        assert store.use(_KEY, "n-1", 1_700_000_000, token="t" * 32)
        assert not store.use(_KEY, "n-1", 1_700_000_000, token="t" * 32)
        assert not store.use(_KEY, "n-1", 1_700_000_300)  # another timestamp, same nonce
        assert not store.use(_KEY, "n-1", 1_700_000_000, token="u" * 32)  # another token
        assert store.use(_OTHER, "n-1", 1_700_000_000)  # another consumer's nonce space
        assert store.use(_KEY, "n-2", 1_700_000_000)

    def test_a_purged_nonce_may_be_used_again(self) -> None:
        store = self.make_store()
        assert store.use(_KEY, "old", 100)
        assert store.use(_KEY, "new", 300)
        assert store.purge(older_than=200) == 1
        assert store.purge(older_than=200) == 0
        assert store.use(_KEY, "old", 100)
        assert not store.use(_KEY, "new", 300)

    def test_odd_and_long_nonces_are_used_once_too(self) -> None:
        store = self.make_store()
        for nonce in ("x" * 255, "é-ñ-\U0001f6d2", "a b", "=&?"):
            assert store.use(_KEY, nonce, 1)
            assert not store.use(_KEY, nonce, 1)

    @pytest.mark.parametrize("nonce", ["\x00", "\ud800", "x" * 256])
    def test_a_nonce_no_store_can_hold_never_passes(self, nonce: str) -> None:
        store = self.make_store()
        first = store.use(_KEY, nonce, 1)
        assert not (first and store.use(_KEY, nonce, 1))

    def test_racing_uses_of_one_nonce_accept_exactly_one(self) -> None:
        store = self.make_store()
        accepted: list[bool] = []
        lock = threading.Lock()

        def present() -> None:
            result = store.use(_KEY, "raced", 1_700_000_000)
            with lock:
                accepted.append(result)

        race(*[present] * _RACERS)
        assert sorted(accepted) == [False] * (_RACERS - 1) + [True]

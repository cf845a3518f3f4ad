"""
OAuth credentials: secrets that never print, their generation and their digests.

Magento's keys, secrets, tokens, token secrets and verifiers are all 32 characters of
``[0-9a-z]``. They come from an injectable :class:`CredentialGenerator`; the default
draws from :mod:`secrets`. Access tokens are stored only as SHA-256 digests.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import Protocol, runtime_checkable

import attrs

from integration_core.errors import CredentialFormatError

__all__ = [
    "ALPHABET",
    "LENGTH",
    "ConsumerCredentials",
    "CredentialGenerator",
    "IssuedToken",
    "Secret",
    "SecretsGenerator",
    "StoredToken",
    "digest",
    "new_credential",
]

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
"""The characters of every generated credential, as in Magento's OAuth helper."""

LENGTH = 32
"""The length of every generated credential, as in Magento's OAuth helper."""

_FORMAT = re.compile(r"[0-9a-z]{32}")
_MASK = "********"


@runtime_checkable
class CredentialGenerator(Protocol):
    """
    Produces one fresh credential per call: 32 characters of ``[0-9a-z]``.

    Inject a deterministic one in tests; production code keeps the default
    :class:`SecretsGenerator`.

    Example:
        >>> import itertools
        >>> class Counting:
        ...     def __init__(self) -> None:
        ...         self.counter = itertools.count()
        ...     def __call__(self) -> str:
        ...         return f"{next(self.counter):032d}"
        >>> isinstance(Counting(), CredentialGenerator)
        True
        >>> Counting()()
        '00000000000000000000000000000000'
    """

    def __call__(self) -> str:
        """Return a new credential."""
        ...


@attrs.frozen
class SecretsGenerator:
    """
    The default generator: 32 characters drawn with :func:`secrets.choice`.

    Example:
        >>> value = SecretsGenerator()()
        >>> len(value), set(value) <= set(ALPHABET)
        (32, True)
    """

    def __call__(self) -> str:
        """Return a new credential from the operating system's CSPRNG."""
        return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def new_credential(generator: CredentialGenerator) -> Secret:
    """
    Draw a credential from ``generator`` and check its format.

    Raises:
        CredentialFormatError: The generator broke its contract; the value is not shown.

    Example:
        >>> new_credential(lambda: "a" * 32)
        Secret('********')
        >>> new_credential(lambda: "A" * 32)
        Traceback (most recent call last):
            ...
        integration_core.errors.CredentialFormatError: generated credential must be 32 characters of [0-9a-z], got 32 characters
    """
    value = generator()
    if _FORMAT.fullmatch(value) is None:
        raise CredentialFormatError(len(value))
    return Secret(value)


def _octets(value: str) -> bytes:
    # A presented token may hold a lone surrogate: encoded losslessly, it simply matches nothing.
    return value.encode("utf-8", "surrogatepass")


def digest(value: str) -> str:
    r"""
    The SHA-256 hex digest under which a token is stored and looked up.

    Any string has one, even one that is not valid Unicode (it matches no token).

    Example:
        >>> digest("a" * 32)[:16]
        '3ba3f5f43b926026'
        >>> len(digest("\ud800"))
        64
    """
    return hashlib.sha256(_octets(value)).hexdigest()


@attrs.frozen(eq=False, repr=False)
class Secret:
    """
    A secret string that never shows itself in ``repr``, ``str`` or formatted messages.

    Equality is constant-time (:func:`hmac.compare_digest`); call :meth:`reveal` to
    get the value, once, where it must be shown or sent.

    Example:
        >>> secret = Secret("s3cr3t")
        >>> secret, str(secret), f"{secret}"
        (Secret('********'), '********', '********')
        >>> secret.reveal()
        's3cr3t'
        >>> secret == Secret("s3cr3t"), secret.matches("guess")
        (True, False)
    """

    _value: str = attrs.field(alias="value")

    def reveal(self) -> str:
        """
        The secret value.

        Example:
            >>> Secret("x").reveal()
            'x'
        """
        return self._value

    def matches(self, candidate: object) -> bool:
        """
        Whether ``candidate`` is this secret, compared in constant time (never, if not a string).

        Example:
            >>> Secret("x").matches("x")
            True
        """
        if not isinstance(candidate, str):
            return False
        return hmac.compare_digest(_octets(self._value), _octets(candidate))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return self.matches(other._value)

    def __hash__(self) -> int:
        return hash(digest(self._value))

    def __repr__(self) -> str:
        return f"Secret({_MASK!r})"

    def __str__(self) -> str:
        return _MASK

    def __format__(self, format_spec: str) -> str:
        return format(_MASK, format_spec)


@attrs.frozen
class ConsumerCredentials:
    """
    An integration's OAuth consumer: a public key and a secret.

    The key identifies the consumer (it travels in the identity-link URL); the
    secret never prints.

    Example:
        >>> consumer = ConsumerCredentials.generate(lambda: "k" * 32)
        >>> consumer
        ConsumerCredentials(key='kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk', secret=Secret('********'))
    """

    key: str
    secret: Secret

    @classmethod
    def generate(cls, generator: CredentialGenerator) -> ConsumerCredentials:
        """
        A new key and secret from ``generator``.

        Example:
            >>> ConsumerCredentials.generate(SecretsGenerator()).secret
            Secret('********')
        """
        return cls(new_credential(generator).reveal(), new_credential(generator))


@attrs.frozen
class IssuedToken:
    """
    A token and its secret as issued: shown once, never stored in this form.

    Example:
        >>> issued = IssuedToken.generate(lambda: "t" * 32)
        >>> issued
        IssuedToken(token=Secret('********'), token_secret=Secret('********'))
        >>> issued.stored().token_digest == digest("t" * 32)
        True
    """

    token: Secret
    token_secret: Secret

    @classmethod
    def generate(cls, generator: CredentialGenerator) -> IssuedToken:
        """
        A new token and token secret from ``generator``.

        Example:
            >>> IssuedToken.generate(SecretsGenerator()).token
            Secret('********')
        """
        return cls(new_credential(generator), new_credential(generator))

    def stored(self) -> StoredToken:
        """
        The form in which a repository keeps these credentials: digests only.

        Example:
            >>> IssuedToken(Secret("a"), Secret("b")).stored().secret_digest == digest("b")
            True
        """
        return StoredToken(
            token_digest=digest(self.token.reveal()),
            secret_digest=digest(self.token_secret.reveal()),
        )


@attrs.frozen
class StoredToken:
    """
    What is kept of an issued token: SHA-256 digests of the token and its secret.

    A leaked repository therefore leaks no bearer credential.

    Example:
        >>> stored = StoredToken(token_digest=digest("t"), secret_digest=digest("s"))
        >>> stored.matches("t"), stored.matches("s")
        (True, False)
    """

    token_digest: str
    secret_digest: str

    def matches(self, presented_token: object) -> bool:
        """
        Whether ``presented_token`` is this token, compared in constant time (never, if not a string).

        Example:
            >>> StoredToken(token_digest=digest("t"), secret_digest="").matches("t")
            True
        """
        if not isinstance(presented_token, str):
            return False
        return hmac.compare_digest(self.token_digest, digest(presented_token))

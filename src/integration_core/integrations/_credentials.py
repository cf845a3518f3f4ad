"""
OAuth credentials: secrets that never print, their generation, sealing and digests.

Magento's keys, secrets, tokens, token secrets and verifiers are all 32 characters of
``[0-9a-z]``. They come from an injectable :class:`CredentialGenerator`; the default
draws from :mod:`secrets`. What is stored is useless without the host's key: tokens and
verifiers as SHA-256 digests (they are looked up by digest), the consumer secret and
token secrets sealed by the host's :class:`SecretSealer` (the OAuth 1.0a signature
needs them back), each bound to what it belongs to.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import NoReturn, Protocol, runtime_checkable

import attrs

from integration_core.errors import CredentialFormatError

__all__ = [
    "ALPHABET",
    "LENGTH",
    "ConsumerCredentials",
    "CredentialGenerator",
    "CredentialIssuer",
    "IssuedToken",
    "SealedSecret",
    "Secret",
    "SecretSealer",
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


class Secret:
    """
    A secret string that never shows itself in ``repr``, ``str``, formatted messages or pickles.

    Equality is constant-time (:func:`hmac.compare_digest`); call :meth:`reveal` to
    get the value, once, where it must be shown or sent. It is a plain object rather
    than an attrs class, so :func:`attrs.asdict` of a value holding one keeps the
    ``Secret`` itself (masked); pickling one is refused (store it sealed instead), and
    copying one returns it.

    Example:
        >>> secret = Secret("s3cr3t")
        >>> secret, str(secret), f"{secret}"
        (Secret('********'), '********', '********')
        >>> secret.reveal()
        's3cr3t'
        >>> secret == Secret("s3cr3t"), secret.matches("guess")
        (True, False)
    """

    __slots__ = ("_value",)

    _value: str

    def __init__(self, value: str) -> None:
        object.__setattr__(self, "_value", value)

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

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("a Secret is immutable")

    def __reduce__(self) -> NoReturn:
        raise TypeError("a Secret is never pickled: keep it sealed (SealedSecret) instead")

    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, _memo: object) -> Secret:
        return self


@runtime_checkable
class SecretSealer(Protocol):
    """
    The host's key, as a port: seals secrets for storage and opens them again.

    ``context`` names what the secret belongs to (such as ``"consumer:<key>"``); an
    implementation binds the sealed value to it (authenticated data), so a sealed value
    copied to another row does not open. A missing or wrong key raises
    :class:`~integration_core.errors.SealingError`. The default implementation is
    :class:`~integration_core.adapters.sealing.AesGcmSealer`.

    Example:
        >>> from integration_core.adapters.sealing import AesGcmSealer
        >>> isinstance(AesGcmSealer({"k1": bytes(32)}, current="k1"), SecretSealer)
        True
    """

    def seal(self, secret: str, *, context: str) -> str:
        """
        Seal ``secret`` with the current key, bound to ``context``.

        Example:
            >>> from integration_core.testing.builders import sample_sealer
            >>> "s3cr3t" in sample_sealer().seal("s3cr3t", context="consumer:k")
            False
        """
        ...

    def open(self, sealed: str, *, context: str) -> str:
        """
        Open what :meth:`seal` returned for the same ``context``.

        Example:
            >>> from integration_core.testing.builders import sample_sealer
            >>> sealer = sample_sealer()
            >>> sealer.open(sealer.seal("s3cr3t", context="consumer:k"), context="consumer:k")
            's3cr3t'
        """
        ...


@attrs.frozen
class SealedSecret:
    """
    A secret as stored: sealed by the host's :class:`SecretSealer`, useless without its key.

    Attributes:
        sealed: The sealed text (it names the key that sealed it, never the secret).

    Example:
        >>> SealedSecret("k1.AAAA")
        SealedSecret(sealed='k1.AAAA')
    """

    sealed: str


@attrs.frozen
class ConsumerCredentials:
    """
    An integration's OAuth consumer: a public key and its secret, sealed.

    The key identifies the consumer (it travels in the identity-link URL); the secret
    is opened only to sign the exchange's callback post and to check signatures.

    Example:
        >>> ConsumerCredentials("k" * 32, SealedSecret("k1.AAAA")).key == "k" * 32
        True
    """

    key: str
    secret: SealedSecret


@attrs.frozen
class IssuedToken:
    """
    A token and its secret as issued: shown once, never stored in this form.

    Example:
        >>> IssuedToken.generate(lambda: "t" * 32)
        IssuedToken(token=Secret('********'), token_secret=Secret('********'))
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


@attrs.frozen
class StoredToken:
    """
    What is kept of an issued token: the digest of the token, its secret sealed.

    The token is looked up by digest; the secret is opened only to check a signature.

    Example:
        >>> stored = StoredToken(token_digest=digest("t"), secret=SealedSecret("k1.AAAA"))
        >>> stored.matches("t"), stored.matches("s")
        (True, False)
    """

    token_digest: str
    secret: SealedSecret

    def matches(self, presented_token: object) -> bool:
        """
        Whether ``presented_token`` is this token, compared in constant time (never, if not a string).

        Example:
            >>> StoredToken(token_digest=digest("t"), secret=SealedSecret("")).matches("t")
            True
        """
        if not isinstance(presented_token, str):
            return False
        return hmac.compare_digest(digest(presented_token), self.token_digest)


@attrs.frozen
class CredentialIssuer:
    """
    Issues, seals and opens an integration's credentials: the generator and the host's key.

    Sealed values are bound to what they belong to: a consumer secret to its consumer
    key, a token secret to its token's digest.

    Example:
        >>> from integration_core.adapters.sealing import AesGcmSealer
        >>> issuer = CredentialIssuer(SecretsGenerator(), AesGcmSealer({"k1": bytes(32)}, current="k1"))
        >>> consumer = issuer.consumer()
        >>> len(issuer.consumer_secret(consumer).reveal())
        32
        >>> issued = issuer.token()
        >>> issuer.token_secret(issuer.store(issued)) == issued.token_secret
        True
    """

    generator: CredentialGenerator
    sealer: SecretSealer

    def credential(self) -> Secret:
        """
        One fresh credential (a verifier, an id).

        Example:
            >>> from integration_core.testing.builders import sample_sealer
            >>> CredentialIssuer(lambda: "v" * 32, sample_sealer()).credential().reveal() == "v" * 32
            True
        """
        return new_credential(self.generator)

    def consumer(self, key: str | None = None) -> ConsumerCredentials:
        """
        A new consumer secret, sealed, for a new key (or for ``key``, in tests).

        Example:
            >>> from integration_core.adapters.sealing import AesGcmSealer
            >>> issuer = CredentialIssuer(SecretsGenerator(), AesGcmSealer({"k1": bytes(32)}, current="k1"))
            >>> issuer.consumer().secret.sealed.startswith("k1.")
            True
        """
        if key is None:
            key = new_credential(self.generator).reveal()
        secret = new_credential(self.generator).reveal()
        return ConsumerCredentials(key, self._seal(secret, _consumer_context(key)))

    def consumer_secret(self, consumer: ConsumerCredentials) -> Secret:
        """
        The consumer secret, opened.

        Raises:
            SealingError: The key that sealed it is missing or wrong.

        Example:
            >>> from integration_core.adapters.sealing import AesGcmSealer
            >>> issuer = CredentialIssuer(SecretsGenerator(), AesGcmSealer({"k1": bytes(32)}, current="k1"))
            >>> issuer.consumer_secret(issuer.consumer())
            Secret('********')
        """
        return Secret(
            self.sealer.open(consumer.secret.sealed, context=_consumer_context(consumer.key))
        )

    def token(self) -> IssuedToken:
        """
        A new token and token secret.

        Example:
            >>> from integration_core.testing.builders import sample_sealer
            >>> CredentialIssuer(lambda: "t" * 32, sample_sealer()).token().token.reveal() == "t" * 32
            True
        """
        return IssuedToken.generate(self.generator)

    def store(self, issued: IssuedToken) -> StoredToken:
        """
        What a repository keeps of ``issued``: the token's digest and its secret sealed.

        Example:
            >>> from integration_core.adapters.sealing import AesGcmSealer
            >>> issuer = CredentialIssuer(SecretsGenerator(), AesGcmSealer({"k1": bytes(32)}, current="k1"))
            >>> stored = issuer.store(IssuedToken(Secret("t" * 32), Secret("s" * 32)))
            >>> stored.matches("t" * 32), "s" * 32 in stored.secret.sealed
            (True, False)
        """
        token_digest = digest(issued.token.reveal())
        sealed = self._seal(issued.token_secret.reveal(), _token_context(token_digest))
        return StoredToken(token_digest=token_digest, secret=sealed)

    def token_secret(self, stored: StoredToken) -> Secret:
        """
        The secret of a stored token, opened.

        Raises:
            SealingError: The key that sealed it is missing or wrong.

        Example:
            >>> from integration_core.adapters.sealing import AesGcmSealer
            >>> issuer = CredentialIssuer(SecretsGenerator(), AesGcmSealer({"k1": bytes(32)}, current="k1"))
            >>> issuer.token_secret(issuer.store(issuer.token()))
            Secret('********')
        """
        context = _token_context(stored.token_digest)
        return Secret(self.sealer.open(stored.secret.sealed, context=context))

    def _seal(self, secret: str, context: str) -> SealedSecret:
        return SealedSecret(self.sealer.seal(secret, context=context))


def _consumer_context(consumer_key: str) -> str:
    return f"consumer:{consumer_key}"


def _token_context(token_digest: str) -> str:
    return f"token:{token_digest}"

"""
Sealing secrets with the host's keys: AES-256-GCM from ``cryptography``, keys that rotate.

The one adapter between integration-core and ``cryptography``. A sealed value reads
``<key id>.<base64url(nonce + ciphertext + tag)>``: the key id says which key opens
it, so keys rotate — new secrets are sealed with the current key, older ones still
open with theirs, and :meth:`AesGcmSealer.reseal` moves one to the current key. Each
value is bound to its context (authenticated data), so it opens nowhere else. The keys
are given by the host; the library never reads them from the environment.

Example:
    >>> sealer = AesGcmSealer({"2024-01": AesGcmSealer.generate_key()}, current="2024-01")
    >>> sealed = sealer.seal("s" * 32, context="consumer:abc")
    >>> sealed.startswith("2024-01."), "s" * 32 in sealed
    (True, False)
    >>> sealer.open(sealed, context="consumer:abc") == "s" * 32
    True
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from typing import Final, cast

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from integration_core.errors import InvalidArgumentError, SealingError

__all__ = ["AesGcmSealer"]

_NONCE_BYTES: Final = 12
_KEY_ID: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")


class AesGcmSealer:
    """
    A :class:`~integration_core.credentials.SecretSealer` with AES-256-GCM and rotating keys.

    Args:
        keys: Every key that may have sealed a stored value, by id (letters, digits,
            ``-`` and ``_``, at most 64); each 32 random bytes.
        current: The id of the key new secrets are sealed with.

    Raises:
        InvalidArgumentError: A key id or key of the wrong form, or ``current`` not
            among ``keys``; the message never shows a key.

    Example:
        >>> old, new = AesGcmSealer.generate_key(), AesGcmSealer.generate_key()
        >>> before = AesGcmSealer({"a": old}, current="a").seal("secret", context="c")
        >>> rotated = AesGcmSealer({"a": old, "b": new}, current="b")
        >>> rotated.open(before, context="c"), rotated.needs_reseal(before)
        ('secret', True)
        >>> rotated.reseal(before, context="c").startswith("b.")
        True
    """

    __slots__ = ("_current", "_keys")

    def __init__(self, keys: Mapping[str, bytes], *, current: str) -> None:
        given: object = keys
        if not isinstance(given, Mapping):
            raise InvalidArgumentError("keys", "expected a mapping of key ids to 32-byte keys")
        ciphers: dict[str, AESGCM] = {}
        for key_id, key in cast("Mapping[object, object]", given).items():
            if not (isinstance(key_id, str) and _KEY_ID.fullmatch(key_id)):
                raise InvalidArgumentError(
                    "keys", f"key id {key_id!r} must be 1-64 letters, digits, '-' or '_'"
                )
            if not (isinstance(key, bytes) and len(key) == 32):  # noqa: PLR2004  # AES-256
                raise InvalidArgumentError("keys", f"key {key_id!r} must be 32 bytes")
            ciphers[key_id] = AESGCM(key)
        if current not in ciphers:
            raise InvalidArgumentError("current", f"no key with id {current!r} among the keys")
        self._keys = ciphers
        self._current = current

    @staticmethod
    def generate_key() -> bytes:
        """
        A new random 256-bit key, for hosts creating their first key or rotating.

        Example:
            >>> len(AesGcmSealer.generate_key())
            32
        """
        return AESGCM.generate_key(bit_length=256)

    def seal(self, secret: str, *, context: str) -> str:
        """
        Seal ``secret`` with the current key, bound to ``context``.

        Example:
            >>> sealer = AesGcmSealer({"k": bytes(32)}, current="k")
            >>> sealer.seal("x", context="c") != sealer.seal("x", context="c")  # a fresh nonce each time
            True
        """
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._keys[self._current].encrypt(
            nonce, secret.encode("utf-8"), context.encode("utf-8")
        )
        return f"{self._current}.{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"

    def open(self, sealed: str, *, context: str) -> str:
        """
        Open a sealed value with the key it names, for the context it was sealed for.

        Raises:
            SealingError: No key with the id it names, or a wrong key, context or
                tampered value; nothing in the message reveals the secret.

        Example:
            >>> sealer = AesGcmSealer({"k": bytes(32)}, current="k")
            >>> sealer.open(sealer.seal("x", context="c"), context="other")
            Traceback (most recent call last):
                ...
            integration_core.errors.SealingError: sealed secret (key 'k'): wrong key, context or tampered value
        """
        text: object = sealed
        key_id, _, payload = text.partition(".") if isinstance(text, str) else ("", "", "")
        cipher = self._keys.get(key_id)
        if cipher is None:
            raise SealingError("no key with the id it names", key_id=key_id or None)
        try:
            raw = base64.urlsafe_b64decode(payload.encode("ascii"))
            opened = cipher.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode("utf-8"))
        except (InvalidTag, ValueError, binascii.Error, UnicodeEncodeError):
            raise SealingError("wrong key, context or tampered value", key_id=key_id) from None
        return opened.decode("utf-8")

    def needs_reseal(self, sealed: str) -> bool:
        """
        Whether ``sealed`` was sealed with another key than the current one.

        Example:
            >>> AesGcmSealer({"k": bytes(32)}, current="k").needs_reseal("old.AAAA")
            True
        """
        return sealed.partition(".")[0] != self._current

    def reseal(self, sealed: str, *, context: str) -> str:
        """
        The same secret sealed with the current key: for hosts moving off an old key.

        Raises:
            SealingError: As :meth:`open`.

        Example:
            >>> sealer = AesGcmSealer({"k": bytes(32)}, current="k")
            >>> sealer.open(sealer.reseal(sealer.seal("x", context="c"), context="c"), context="c")
            'x'
        """
        return self.seal(self.open(sealed, context=context), context=context)

    def __repr__(self) -> str:
        return f"<AesGcmSealer current={self._current!r} keys={sorted(self._keys)!r}>"

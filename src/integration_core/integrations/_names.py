"""How integration names compare for uniqueness, and which characters a name may not hold."""

from __future__ import annotations

import unicodedata
from typing import Final

from integration_core.integrations._confusables import skeleton

__all__ = ["name_key"]

_ROUNDS: Final = 3
"""Skeleton then folding, this many times: every code point reaches its fixed point in two."""


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def name_key(name: str) -> str:
    r"""
    The form in which names are compared for uniqueness: look-alikes share one key.

    NFKC and casefolding, as Magento's case-insensitive collation compares names and
    extended to full-width and compatibility characters, then the confusable skeleton
    of Unicode TR #39 (Cyrillic "\u0405" is "S", "rn" is "m", "0" is "O") and folding
    again, until nothing changes.

    Example:
        >>> name_key("Shop Sync") == name_key("SHOP sync") == name_key("\uff33hop \uff33ync")
        True
        >>> name_key("Straße") == name_key("STRASSE")
        True
        >>> name_key("Shop Sync") == name_key("\u0405hop Sync")  # CYRILLIC CAPITAL LETTER DZE
        True
        >>> name_key("Shop Sync") == name_key("Shop Sink")
        False
    """
    key = _folded(name)
    for _ in range(_ROUNDS):
        key = _folded(skeleton(key))
    return key

"""How integration names compare: for uniqueness, and when a merchant searches for one."""

from __future__ import annotations

import unicodedata
from typing import Final

from integration_core.integrations._confusables import skeleton

__all__ = ["name_key", "name_search_key"]

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


def name_search_key(name: str) -> str:
    r"""
    The form in which names are searched and sorted: NFKC and casefolding, no skeleton.

    Case and width variants share one search key, as they share one :func:`name_key`;
    look-alikes do not: a merchant typing "rn" looks for an "rn", not for every "m".
    Two stored names never share a search key, since equal search keys mean equal name keys.

    Example:
        >>> name_search_key("\uff33hop Stra\u00dfe")
        'shop strasse'
        >>> name_search_key("\u0405hop") == name_search_key("Shop")  # CYRILLIC CAPITAL LETTER DZE
        False
    """
    return _folded(name)

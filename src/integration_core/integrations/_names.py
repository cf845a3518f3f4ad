"""How integration names compare for uniqueness."""

from __future__ import annotations

import unicodedata

__all__ = ["name_key"]


def name_key(name: str) -> str:
    r"""
    The form in which names are compared for uniqueness: NFKC, casefolded, NFKC again.

    This is how Magento's case-insensitive database collation effectively compares
    names, extended to full-width and compatibility characters.

    Example:
        >>> name_key("Shop Sync") == name_key("SHOP sync") == name_key("\uff33hop \uff33ync")
        True
        >>> name_key("Straße") == name_key("STRASSE")
        True
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())

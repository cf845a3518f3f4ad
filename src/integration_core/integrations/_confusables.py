"""
The one adapter around Unicode's confusables data (UTS #39, "Unicode Security Mechanisms").

The data is Unicode's ``confusables.txt``, reduced to its mappings in ``confusables.txt``
beside this module by ``scripts/confusables_table.py`` (the file keeps Unicode's version,
date and terms of use). No package on the index fits: one keeps only pairs without their
direction, so no skeleton can be computed from it; another ships the file but installs a
top-level ``tests`` package and loads a large table at import. The table is read on first
use, not at import.
"""

from __future__ import annotations

import functools
import unicodedata
from importlib import resources

__all__ = ["skeleton"]


@functools.cache
def _prototypes() -> dict[int, str]:
    """Each confusable code point with its prototype, for :meth:`str.translate`."""
    text = resources.files(__package__).joinpath("confusables.txt").read_text(encoding="utf-8")
    table: dict[int, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            source, *prototype = line.split()
            table[int(source, 16)] = "".join(chr(int(point, 16)) for point in prototype)
    return table


def skeleton(text: str) -> str:
    r"""
    The confusable skeleton of ``text`` (UTS #39 section 4): NFD, prototypes, NFD again.

    Two strings an eye cannot tell apart have the same skeleton.

    Example:
        >>> skeleton("\u0405hop") == skeleton("Shop")  # CYRILLIC CAPITAL LETTER DZE
        True
        >>> skeleton("paypal") == skeleton("\u0440aypal")  # CYRILLIC SMALL LETTER ER
        True
        >>> skeleton("rn") == skeleton("m")
        True
    """
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFD", decomposed.translate(_prototypes()))

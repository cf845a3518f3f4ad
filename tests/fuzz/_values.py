"""Values a host might pass by mistake: any JSON, wrong types, odd and hostile Unicode."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from integration_core.acl import MAGENTO_ADMIN, MAGENTO_ALL

ODD_CHARACTERS = st.sampled_from(
    ["\x00", "\ud800", "\udfff", "\u200b", "\u202e", "\u3164", "\ufeff", "\uff33", "\u0405", "\n"]
)
"""NUL, lone surrogates, invisible and bidirectional controls, fillers, width and look-alikes."""

ODD_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=12),
    st.lists(ODD_CHARACTERS | st.sampled_from(["a", "Shop", " ", "::"]), max_size=6).map("".join),
    st.sampled_from([MAGENTO_ALL, MAGENTO_ADMIN, "", " ", "x" * 300]),
)
"""Text of any code point, surrogates included, and the characters that broke things before."""

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    ODD_TEXT,
    st.binary(max_size=8),
)

ANY: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(ODD_TEXT, inner, max_size=4),
        st.frozensets(st.one_of(st.none(), st.integers(), ODD_TEXT), max_size=3),
    ),
    max_leaves=12,
)
"""Any JSON-shaped value (and tuples, bytes and sets, which JSON decoders do not make)."""


def with_ids(ids: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """Either a real id of the tree or any value, so that calls reach past their first check."""
    if not ids:
        return ANY
    return st.sampled_from(ids) | ANY

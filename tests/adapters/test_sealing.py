"""Sealing with the host's keys: AES-256-GCM, bound to a context, keys that rotate."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from integration_core.adapters.sealing import AesGcmSealer
from integration_core.credentials import SecretSealer
from integration_core.errors import InvalidArgumentError, SealingError

KEY, OTHER = bytes(range(32)), bytes(range(1, 33))


@pytest.mark.law
@given(st.text(min_size=8), st.text(), st.text())
def test_a_sealed_secret_opens_only_for_its_own_context(
    secret: str, context: str, other: str
) -> None:
    """
    Rule: a sealed secret opens back to itself with the key that sealed it and its own context,
    never for another context, and the sealed text does not contain it.
    """
    sealer = AesGcmSealer({"k": KEY}, current="k")
    try:
        sealed = sealer.seal(secret, context=context)
    except UnicodeEncodeError:
        pytest.skip("a lone surrogate is no secret a generator produces")
    assert secret not in sealed
    assert sealer.open(sealed, context=context) == secret
    if other != context:
        with pytest.raises(SealingError, match="wrong key, context or tampered value"):
            sealer.open(sealed, context=other)


def test_keys_rotate_older_values_still_open_and_reseal_moves_them() -> None:
    old = AesGcmSealer({"2024": KEY}, current="2024")
    sealed = old.seal("hunter2-xyz", context="c")
    rotated = AesGcmSealer({"2024": KEY, "2025": OTHER}, current="2025")
    assert isinstance(rotated, SecretSealer)
    assert (rotated.open(sealed, context="c"), rotated.needs_reseal(sealed)) == (
        "hunter2-xyz",
        True,
    )
    moved = rotated.reseal(sealed, context="c")
    assert moved.startswith("2025.")
    assert not rotated.needs_reseal(moved)
    retired = AesGcmSealer({"2025": OTHER}, current="2025")
    assert retired.open(moved, context="c") == "hunter2-xyz"
    with pytest.raises(SealingError) as raised:
        retired.open(sealed, context="c")
    assert raised.value.key_id == "2024"
    assert "hunter2-xyz" not in str(raised.value)


@pytest.mark.parametrize(
    "sealed",
    ["k.", "k.!!!", "k.AAAA", "no-dot", "", "k." + "A" * 80],
)
def test_a_wrong_key_or_tampered_value_is_a_typed_error(sealed: str) -> None:
    sealer = AesGcmSealer({"k": KEY}, current="k")
    with pytest.raises(SealingError):
        sealer.open(sealed, context="c")
    wrong = AesGcmSealer({"k": OTHER}, current="k")
    with pytest.raises(SealingError, match="sealed secret \\(key 'k'\\)"):
        wrong.open(sealer.seal("x", context="c"), context="c")
    with pytest.raises(SealingError, match="no key with the id it names"):
        sealer.open(123, context="c")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("keys", "current", "field"),
    [
        ([("k", KEY)], "k", "keys"),
        ({"": KEY}, "", "keys"),
        ({"with space": KEY}, "with space", "keys"),
        ({7: KEY}, "k", "keys"),
        ({"k": b"short"}, "k", "keys"),
        ({"k": "x" * 32}, "k", "keys"),
        ({"k": KEY}, "other", "current"),
    ],
)
def test_keys_of_the_wrong_form_are_refused_without_showing_them(
    keys: object, current: str, field: str
) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        AesGcmSealer(keys, current=current)  # type: ignore[arg-type]
    assert raised.value.field == field
    assert repr(KEY) not in str(raised.value)


def test_the_repr_names_the_key_ids_never_the_keys() -> None:
    sealer = AesGcmSealer({"b": KEY, "a": OTHER}, current="b")
    assert repr(sealer) == "<AesGcmSealer current='b' keys=['a', 'b']>"
    assert len(AesGcmSealer.generate_key()) == 32

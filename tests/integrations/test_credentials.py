"""Credentials: format, generation, secrecy, digests."""

from __future__ import annotations

import copy
import hashlib
import itertools
import pickle
import re

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from integration_core import Secret
from integration_core.credentials import (
    ConsumerCredentials,
    CredentialIssuer,
    IssuedToken,
    SecretsGenerator,
)
from integration_core.errors import CredentialFormatError, SealingError
from integration_core.integrations._credentials import digest, new_credential
from integration_core.testing.builders import sample_issuer, sample_sealer


def test_the_default_generator_draws_32_characters_of_digits_and_lowercase() -> None:
    values = {SecretsGenerator()() for _ in range(20)}
    assert len(values) == 20
    assert all(re.fullmatch(r"[0-9a-z]{32}", value) for value in values)


@pytest.mark.parametrize("bad", ["", "a" * 31, "a" * 33, "A" * 32, "-" * 32, "a" * 31 + "\n"])
def test_a_generator_breaking_the_format_is_refused_without_showing_the_value(bad: str) -> None:
    with pytest.raises(CredentialFormatError) as raised:
        new_credential(lambda: bad)
    assert len(bad) == raised.value.length
    assert bad.strip() == "" or bad not in str(raised.value)


@pytest.mark.law
@given(st.text(min_size=1))
def test_a_secret_never_shows_its_value(value: str) -> None:
    """
    Rule: a secret never shows its value in ``repr``, ``str`` or a format; only ``reveal``
    returns it.
    """
    secret = Secret(value)
    shown = [repr(secret), str(secret), f"{secret}", f"{secret:>20}", repr([secret])]
    assert all("********" in text for text in shown)
    assert value == secret.reveal()


@pytest.mark.law
@given(st.text(), st.text())
def test_secrets_are_equal_exactly_when_their_values_are(first: str, second: str) -> None:
    """
    Rule: two secrets are equal, and a secret matches a candidate, exactly when the values are;
    equal secrets hash alike.
    """
    assert (first == second) == (Secret(first) == Secret(second))
    assert (first == second) == Secret(first).matches(second)
    if first == second:
        assert hash(Secret(first)) == hash(Secret(second))


def test_a_secret_is_never_equal_to_its_plain_value() -> None:
    assert Secret("x") != "x"


@pytest.mark.law
@given(st.text(), st.text())
def test_a_stored_token_matches_exactly_its_own_token(token: str, presented: str) -> None:
    """
    Rule: a stored token matches exactly the token it was stored from, and holds only its
    digest and its secret sealed.
    """
    stored = sample_issuer().store(IssuedToken(Secret(token), Secret("s")))
    assert (token == presented) == stored.matches(presented)
    assert stored.token_digest == digest(token)
    assert sample_issuer().token_secret(stored) == Secret("s")


@pytest.mark.law
@given(st.text(alphabet="0123456789abcdefghijklmnopqrstuvwxyz", min_size=32, max_size=32))
def test_only_the_digest_of_an_issued_token_is_kept(token: str) -> None:
    """
    Rule: tokens are stored as SHA-256 digests and their secrets sealed; neither shows in the
    stored value.
    """
    stored = sample_issuer().store(IssuedToken(Secret(token), Secret(token[::-1])))
    assert token not in repr(stored)
    assert token[::-1] not in repr(stored)
    assert digest(token) == stored.token_digest


def test_consumer_credentials_show_the_key_but_not_the_secret() -> None:
    values = iter(["k" * 32, "s" * 32])
    consumer = CredentialIssuer(lambda: next(values), sample_sealer()).consumer()
    assert "k" * 32 in repr(consumer)
    assert "s" * 32 not in repr(consumer)


def test_a_secret_is_immutable_never_pickled_and_copies_as_itself() -> None:
    secret = Secret("s3cr3t")
    with pytest.raises(AttributeError, match="immutable"):
        secret._value = "other"
    with pytest.raises(TypeError, match="never pickled"):
        pickle.dumps(secret)
    assert copy.copy(secret) is secret
    assert copy.deepcopy(secret) is secret
    assert not secret.matches(None)
    assert not sample_issuer().store(IssuedToken(secret, secret)).matches(b"s3cr3t")


def test_asdict_of_issued_credentials_keeps_each_secret_masked() -> None:
    issued = IssuedToken(Secret("t" * 32), Secret("s" * 32))
    shown = repr(attrs.asdict(issued)) + repr(attrs.astuple(issued))
    assert "t" * 32 not in shown
    assert "s" * 32 not in shown
    assert shown.count("Secret('********')") == 4


def test_a_secret_formats_its_mask_with_the_format_spec() -> None:
    secret = Secret("s3cr3t")
    assert f"{secret:>10}" == "  ********"
    assert f"{secret:-<12}|{secret:^12}" == "********----|  ********  "


def test_distinct_secrets_hash_by_their_digest() -> None:
    values = [f"value-{number}" for number in range(64)]
    assert all(hash(Secret(value)) == hash(digest(value)) for value in values)
    assert len({hash(Secret(value)) for value in values}) == len(values)


def test_a_lone_surrogate_is_digested_and_compared_losslessly() -> None:
    assert digest("\ud800") == hashlib.sha256(b"\xed\xa0\x80").hexdigest()
    assert Secret("\ud800").matches("\ud800")
    assert not Secret("\ud800").matches("\ud801")
    stored = sample_issuer().store(IssuedToken(Secret("\udfff"), Secret("s")))
    assert stored.matches("\udfff")
    assert not stored.matches("\udffe")


def test_pickling_a_secret_is_refused_with_the_whole_reason() -> None:
    message = "a Secret is never pickled: keep it sealed (SealedSecret) instead"
    with pytest.raises(TypeError, match=f"^{re.escape(message)}$"):
        pickle.dumps(Secret("s3cr3t"))


def counting_issuer() -> CredentialIssuer:
    counter = itertools.count()
    return CredentialIssuer(lambda: f"{next(counter):032d}", sample_sealer())


def test_an_issued_token_draws_its_token_then_its_secret_each_checked() -> None:
    issued = IssuedToken.generate(iter(["t" * 32, "s" * 32]).__next__)
    assert (issued.token.reveal(), issued.token_secret.reveal()) == ("t" * 32, "s" * 32)
    with pytest.raises(CredentialFormatError) as raised:
        IssuedToken.generate(iter(["t" * 32, "S" * 31]).__next__)
    assert raised.value.length == 31
    token = counting_issuer().token()
    assert (token.token.reveal(), token.token_secret.reveal()) == (f"{0:032d}", f"{1:032d}")


def test_the_issuer_draws_each_credential_from_its_generator() -> None:
    issuer = counting_issuer()
    assert [issuer.credential().reveal() for _ in range(2)] == [f"{0:032d}", f"{1:032d}"]
    with pytest.raises(CredentialFormatError):
        CredentialIssuer(lambda: "short", sample_sealer()).credential()


def test_a_consumer_secret_is_sealed_to_its_own_key_and_opens_again() -> None:
    sealer = sample_sealer()
    issuer = CredentialIssuer(iter(["k" * 32, "s" * 32, "t" * 32]).__next__, sealer)
    consumer = issuer.consumer()
    assert consumer.key == "k" * 32
    assert issuer.consumer_secret(consumer) == Secret("s" * 32)
    assert sealer.open(consumer.secret.sealed, context="consumer:" + "k" * 32) == "s" * 32
    with pytest.raises(SealingError):
        sealer.open(consumer.secret.sealed, context="consumer:None")
    given_key = issuer.consumer("given")
    assert given_key.key == "given"
    assert issuer.consumer_secret(given_key) == Secret("t" * 32)
    moved = ConsumerCredentials("other", consumer.secret)
    with pytest.raises(SealingError):
        issuer.consumer_secret(moved)

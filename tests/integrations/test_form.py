"""The integration form and the integration value."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from integration_core import IntegrationForm, IntegrationStatus, ResourceSelection, SetupType
from integration_core.errors import IntegrationValidationError
from integration_core.integrations import name_key
from integration_core.integrations._form import clean_form
from integration_core.testing.builders import sample_integration, sample_issuer
from tests.lifecycle_support import TREE


def test_none_and_blank_optional_fields_mean_the_same() -> None:
    assert IntegrationForm(name="A", email=None) == IntegrationForm(name="A", email="")


def test_configuration_forms_need_an_email_and_a_two_character_name() -> None:
    _, problems = clean_form(IntegrationForm(name="A"), TREE, setup_type=SetupType.CONFIG)
    assert [(p.field, p.code) for p in problems] == [("name", "too_short"), ("email", "required")]


def test_a_selection_naming_resources_outside_the_tree_is_a_problem_of_the_form() -> None:
    foreign = ResourceSelection.from_data(
        {"mode": "custom", "allow": ["Vendor_X::y"], "deny": [], "reviewed": {"Vendor_X::y": None}}
    )
    _, problems = clean_form(IntegrationForm(name="A", selection=foreign), TREE, prefix="p.")
    assert [(p.field, p.code) for p in problems] == [("p.selection", "unknown_resource")]
    assert problems[0].message == "Unknown resources: 'Vendor_X::y'."


def test_the_email_domain_is_lowercased_and_the_local_part_kept() -> None:
    clean, _ = clean_form(IntegrationForm(name="A", email=" Ops.Team@Example.COM "), TREE)
    assert clean.email == "Ops.Team@example.com"


def test_the_stored_selection_is_the_canonical_one() -> None:
    redundant = ResourceSelection.custom(
        TREE, allow=["Magento_Sales::sales", "Magento_Sales::invoice"]
    )
    clean, _ = clean_form(IntegrationForm(name="A", selection=redundant), TREE)
    assert redundant.canonical(TREE) == clean.selection


@pytest.mark.law
@given(st.text(max_size=20))
def test_name_keys_are_idempotent_and_ignore_case_and_width(name: str) -> None:
    """
    Rule: names are unique by ``name_key`` (NFKC + casefold): the key is idempotent and ignores
    case and width.
    """
    key = name_key(name)
    assert key == name_key(key)
    assert key == name_key(name.casefold())
    assert key == name_key(unicodedata.normalize("NFKC", name))


def test_statuses_carry_magentos_values_and_labels() -> None:
    assert [(status.value, status.label) for status in IntegrationStatus] == [
        (0, "Inactive"),
        (1, "Active"),
        (2, "Reset"),
    ]


@pytest.mark.law
@given(
    st.sampled_from([None, "http://a.example/", "https://a.example/", "HTTP://A.EXAMPLE/"]),
    st.sampled_from([None, "http://b.example/", "https://b.example/"]),
)
def test_an_integration_is_not_secure_exactly_when_a_set_url_uses_http(
    callback: str | None, identity: str | None
) -> None:
    """
    Rule: an integration is ``not_secure`` exactly when a URL it sets uses http (not for empty
    URLs), and uses the token exchange exactly when both URLs are set.
    """
    integration = sample_integration(callback_url=callback, identity_link_url=identity)
    expected = any(u is not None and u.lower().startswith("http:") for u in (callback, identity))
    assert expected == integration.not_secure
    assert bool(callback and identity) == integration.uses_token_exchange


def test_an_integration_prints_no_secret() -> None:
    integration = attrs.evolve(
        sample_integration(access_token="t" * 32), created_at=datetime(2024, 1, 1, tzinfo=UTC)
    )
    assert sample_issuer().consumer_secret(integration.consumer).reveal() not in repr(integration)
    assert "t" * 32 not in repr(integration)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"name": 123}, "name"),
        ({"name": "Shop", "email": ["a@b.example"]}, "email"),
        ({"name": "Shop", "callback_url": 1.5}, "callback_url"),
        ({"name": "Shop", "identity_link_url": b"https://x.example"}, "identity_link_url"),
        ({"name": "Shop", "selection": {"mode": "all"}}, "selection"),
        ({"name": "Shop", "selection": "all"}, "selection"),
    ],
)
def test_a_field_of_the_wrong_type_is_refused_when_the_form_is_built(
    arguments: dict[str, Any], field: str
) -> None:
    with pytest.raises(IntegrationValidationError) as raised:
        IntegrationForm(**arguments)
    assert [(field, "invalid_type")] == [(p.field, p.code) for p in raised.value.problems]

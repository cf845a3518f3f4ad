"""Authorizing API calls: the hot path."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from integration_core import (
    AuthorizationDecision,
    InMemoryIntegrationRepository,
    IntegrationStatus,
    ResourceSelection,
)
from integration_core.errors import UnknownResourceError
from integration_core.service import DenialReason
from integration_core.service._authorization import CallAuthorizer
from integration_core.testing.builders import sample_integration
from tests.lifecycle_support import TREE

TOKEN = "t" * 32


def _authorizer(selection: ResourceSelection) -> tuple[CallAuthorizer, str]:
    repository = InMemoryIntegrationRepository()
    integration = repository.add(
        attrs.evolve(sample_integration("Shop", access_token=TOKEN), selection=selection)
    )
    return CallAuthorizer(repository, TREE), integration.id


def test_an_unknown_token_is_denied() -> None:
    authorizer, _ = _authorizer(ResourceSelection.all())
    assert AuthorizationDecision(
        allowed=False, reason=DenialReason.UNKNOWN_TOKEN, integration_id=None
    ) == authorizer.authorize("u" * 32, ["Magento_Sales::sales"])


def test_a_token_of_an_integration_that_is_not_active_is_denied() -> None:
    authorizer, integration_id = _authorizer(ResourceSelection.all())
    repository = authorizer._repository
    stored = repository.get(integration_id)
    repository.save(attrs.evolve(stored, status=IntegrationStatus.INACTIVE))
    decision = authorizer.authorize(TOKEN, [])
    assert (DenialReason.INACTIVE, integration_id) == (decision.reason, decision.integration_id)
    assert decision.message == "The integration is not active."


def test_every_required_resource_must_be_allowed_and_the_missing_ones_are_named() -> None:
    selection = ResourceSelection.custom(
        TREE, allow=["Magento_Sales::sales"], deny=["Magento_Sales::cancel"]
    )
    authorizer, integration_id = _authorizer(selection)
    denied = authorizer.authorize(
        TOKEN, ["Magento_Catalog::products", "Magento_Sales::invoice", "Magento_Sales::cancel"]
    )
    assert (
        AuthorizationDecision(
            allowed=False,
            reason=DenialReason.MISSING_RESOURCES,
            integration_id=integration_id,
            missing=("Magento_Catalog::products", "Magento_Sales::cancel"),
        )
        == denied
    )
    assert (
        denied.message
        == "The consumer isn't authorized to access Magento_Catalog::products, Magento_Sales::cancel."
    )
    allowed = authorizer.authorize(TOKEN, ["Magento_Sales::invoice"])
    assert (allowed.allowed, allowed.reason, allowed.message) == (True, None, "Allowed.")


def test_a_route_requiring_a_resource_the_tree_lacks_is_a_host_error() -> None:
    authorizer, _ = _authorizer(ResourceSelection.all())
    with pytest.raises(UnknownResourceError):
        authorizer.authorize(TOKEN, ["Vendor_Module::nope"])


def test_compiled_permissions_are_cached_per_selection() -> None:
    authorizer, integration_id = _authorizer(ResourceSelection.all())
    stored = authorizer._repository.get(integration_id)
    first = authorizer.permissions(stored)
    assert first is authorizer.permissions(stored)
    narrowed = authorizer._repository.save(
        attrs.evolve(stored, selection=ResourceSelection.custom(TREE))
    )
    assert first is not authorizer.permissions(narrowed)
    assert not authorizer.authorize(TOKEN, ["Magento_Sales::sales"]).allowed
    authorizer.forget(integration_id)
    assert authorizer.permissions(narrowed) is authorizer.permissions(narrowed)


@pytest.mark.law
@given(
    allow=st.sets(st.sampled_from(TREE.ids)),
    required=st.lists(st.sampled_from(TREE.ids), max_size=5),
)
def test_a_call_is_allowed_exactly_when_every_required_resource_is_allowed(
    allow: set[str], required: list[str]
) -> None:
    """
    Rule: a call is allowed exactly when every required resource is allowed; the decision lists
    the others in the order required.
    """
    selection = ResourceSelection.custom(TREE, allow=allow)
    authorizer, _ = _authorizer(selection)
    decision = authorizer.authorize(TOKEN, required)
    allowed = selection.allowed(TREE)
    assert all(r in allowed for r in required) == decision.allowed
    assert tuple(r for r in required if r not in allowed) == decision.missing

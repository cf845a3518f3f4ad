"""The admin screen's commands, one Magento behaviour (or fixed Magento bug) per test."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import attrs
import pytest

from integration_core import (
    InMemoryIntegrationRepository,
    Integration,
    IntegrationForm,
    IntegrationService,
    IntegrationStatus,
    ResourceSelection,
    SetupType,
)
from integration_core.errors import (
    ConcurrencyConflictError,
    IntegrationNotFoundError,
    IntegrationValidationError,
    LifecycleError,
    ReadOnlyIntegrationError,
    TokenExchangeError,
)
from integration_core.events import (
    FieldChange,
    IntegrationActivated,
    IntegrationCreated,
    IntegrationDeleted,
    IntegrationReauthorized,
    IntegrationUpdated,
    PermissionsChanged,
    RequestTokenIssued,
    TokenExchangeStarted,
)
from integration_core.integrations import UrlPolicy
from integration_core.selection import SelectionDiff
from integration_core.testing.builders import sample_integration, sample_issuer, sample_sealer
from tests.lifecycle_support import SETTINGS, START, TREE, make_service

SALES = "Magento_Sales::sales"
CANCEL = "Magento_Sales::cancel"
INVOICE = "Magento_Sales::invoice"
PRODUCTS = "Magento_Catalog::products"
EXCHANGE_FORM = IntegrationForm(
    name="ERP",
    email="erp@example.com",
    callback_url="https://erp.example/callback",
    identity_link_url="https://erp.example/login",
    selection=ResourceSelection.custom(TREE, allow=[SALES], deny=[CANCEL]),
)
DIRECT_FORM = attrs.evolve(EXCHANGE_FORM, callback_url="", identity_link_url="")


def _exchange(service: IntegrationService, consumer_key: str, verifier: str) -> str:
    """Run both exchange steps as the third party would; return the access token."""
    request = service.request_token(consumer_key).token
    access = service.access_token(consumer_key, request.token.reveal(), verifier)
    return access.token.token.reveal()


# -- Save --------------------------------------------------------------------------------------


def test_save_creates_an_inactive_manual_integration_with_consumer_credentials() -> None:
    service, _ = make_service()
    result = service.save(DIRECT_FORM)
    integration = result.integration
    assert (
        integration.status,
        integration.setup_type,
        integration.version,
    ) == (IntegrationStatus.INACTIVE, SetupType.MANUAL, 1)
    consumer_secret = service.issuer.consumer_secret(integration.consumer).reveal()
    assert 32 == len(integration.consumer.key) == len(consumer_secret)
    assert integration.access is None
    assert (IntegrationCreated(integration.id, START, "ERP", SetupType.MANUAL),) == result.events
    assert integration == service.repository.get(integration.id)


def test_save_trims_and_stores_blank_optional_fields_as_absent() -> None:
    service, _ = make_service()
    integration = service.save(IntegrationForm(name="  Shop Sync  ", email=" ")).integration
    assert (
        integration.name,
        integration.email,
        integration.callback_url,
        integration.identity_link_url,
    ) == ("Shop Sync", None, None, None)


def test_a_form_without_a_selection_saves_custom_with_nothing_allowed() -> None:
    service, _ = make_service()
    integration = service.save(IntegrationForm(name="Shop")).integration
    assert frozenset() == integration.selection.allowed(TREE)


def test_save_reports_every_problem_of_the_form_at_once() -> None:
    service, _ = make_service()
    service.save(IntegrationForm(name="ERP"))
    form = IntegrationForm(
        name="\uff45\uff52\uff50",
        email="not-an-email",
        callback_url="ftp://erp.example/",
        identity_link_url="https://user:pw@erp.example/#top",
    )
    with pytest.raises(IntegrationValidationError) as raised:
        service.save(form)
    assert [(p.field, p.code) for p in raised.value.problems] == [
        ("name", "duplicate"),
        ("email", "invalid_email"),
        ("callback_url", "unsupported_scheme"),
        ("identity_link_url", "credentials_in_url"),
        ("identity_link_url", "fragment_in_url"),
    ]
    assert len(service.repository.list()) == 1
    assert "pw" not in str(raised.value)


def test_the_strict_url_policy_refuses_plain_http_except_on_loopback() -> None:
    service, _ = make_service(url_policy=UrlPolicy.STRICT)
    with pytest.raises(IntegrationValidationError) as raised:
        service.save(IntegrationForm(name="ERP", callback_url="http://erp.example/cb"))
    assert raised.value.fields == ("callback_url",)
    local = service.save(IntegrationForm(name="Dev", callback_url="http://localhost:8080/cb"))
    assert local.integration.callback_url == "http://localhost:8080/cb"


def test_plain_http_is_flagged_not_secure_but_missing_urls_are_not() -> None:
    service, _ = make_service()
    insecure = service.save(IntegrationForm(name="A", identity_link_url="http://a.example/in"))
    empty = service.save(IntegrationForm(name="B"))
    assert (insecure.integration.not_secure, empty.integration.not_secure) == (True, False)


# -- Save & Activate, Activate ------------------------------------------------------------------


def test_save_and_activate_without_an_exchange_issues_the_four_credentials_once() -> None:
    service, _ = make_service()
    result = service.save_and_activate(DIRECT_FORM)
    integration = result.integration
    credentials = result.credentials
    assert credentials is not None
    assert result.exchange is None
    assert not result.uses_token_exchange
    assert integration.status == IntegrationStatus.ACTIVE
    assert integration.consumer.key == credentials.consumer_key
    assert service.issuer.consumer_secret(integration.consumer) == credentials.consumer_secret
    assert integration.access is not None
    assert integration.access.matches(credentials.access_token.reveal())
    assert [IntegrationCreated, IntegrationActivated] == [type(e) for e in result.events]
    assert credentials.access_token.reveal() not in repr(result)


def test_save_and_activate_with_an_invalid_form_creates_nothing() -> None:
    service, _ = make_service()
    with pytest.raises(IntegrationValidationError):
        service.save_and_activate(IntegrationForm(name=""))
    assert service.repository.list() == ()


def test_a_callback_url_without_an_identity_link_activates_directly() -> None:
    service, _ = make_service()
    form = attrs.evolve(DIRECT_FORM, callback_url="https://erp.example/callback")
    result = service.save_and_activate(form)
    assert (
        result.integration.status,
        result.uses_token_exchange,
    ) == (IntegrationStatus.ACTIVE, False)


def test_activate_with_both_urls_starts_the_exchange_and_stays_inactive() -> None:
    service, _ = make_service()
    integration = service.save(EXCHANGE_FORM).integration
    result = service.activate(integration.id)
    instructions = result.exchange
    assert instructions is not None
    assert result.credentials is None
    assert result.integration.status == IntegrationStatus.INACTIVE
    fields = instructions.post_fields()
    assert {
        "oauth_consumer_key": integration.consumer.key,
        "oauth_consumer_secret": service.issuer.consumer_secret(integration.consumer).reveal(),
        "store_base_url": "https://shop.example/",
    } == {key: value for key, value in fields.items() if key != "oauth_verifier"}
    assert instructions.callback_url == "https://erp.example/callback"
    link = urlsplit(instructions.identity_link_url)
    assert {
        "oauth_consumer_key": [integration.consumer.key],
        "success_call_back": ["https://shop.example/admin/integration/ok"],
    } == parse_qs(link.query)
    assert (TokenExchangeStarted(integration.id, START, integration.consumer.key),) == (
        result.events
    )
    assert fields["oauth_verifier"] not in repr(result)


def test_an_identity_link_with_a_query_keeps_it() -> None:
    service, _ = make_service()
    form = attrs.evolve(EXCHANGE_FORM, identity_link_url="https://erp.example/login?shop=1")
    result = service.save_and_activate(form)
    assert result.exchange is not None
    assert result.exchange.identity_link_url.startswith("https://erp.example/login?shop=1&")


def test_the_exchange_activates_the_integration_when_the_access_token_is_issued() -> None:
    service, clock = make_service()
    result = service.save_and_activate(EXCHANGE_FORM)
    assert result.exchange is not None
    key, verifier = result.exchange.consumer_key, result.exchange.verifier.reveal()
    clock.advance(timedelta(seconds=10))
    request = service.request_token(key)
    assert (RequestTokenIssued(result.integration.id, START + timedelta(seconds=10)),) == (
        request.events
    )
    access = service.access_token(key, request.token.token.reveal(), verifier)
    assert access.integration.status == IntegrationStatus.ACTIVE
    assert access.integration.exchange is None
    assert [IntegrationActivated] == [type(e) for e in access.events]
    assert service.authorize(access.token.token.reveal(), [INVOICE]).allowed


def test_activating_an_active_integration_is_refused() -> None:
    service, _ = make_service()
    integration = service.save_and_activate(DIRECT_FORM).integration
    with pytest.raises(LifecycleError, match="already active"):
        service.activate(integration.id)


def test_activating_an_unknown_integration_raises_not_found() -> None:
    service, _ = make_service()
    with pytest.raises(IntegrationNotFoundError):
        service.activate("missing")


# -- The consumer window -------------------------------------------------------------------------


def test_the_consumer_may_request_a_token_until_300_seconds_after_activation() -> None:
    service, clock = make_service()
    result = service.save_and_activate(EXCHANGE_FORM)
    assert result.exchange is not None
    clock.advance(timedelta(seconds=299, microseconds=999999))
    assert len(service.request_token(result.exchange.consumer_key).token.token.reveal()) == 32


def test_a_token_request_after_the_window_fails_with_consumer_key_has_expired() -> None:
    service, clock = make_service()
    result = service.save_and_activate(EXCHANGE_FORM)
    assert result.exchange is not None
    clock.advance(timedelta(seconds=300))
    with pytest.raises(TokenExchangeError, match=r"^Consumer key has expired$"):
        service.request_token(result.exchange.consumer_key)


def test_the_consumer_window_is_configurable() -> None:
    service, clock = make_service()
    service = IntegrationService(
        service.repository,
        TREE,
        clock,
        attrs.evolve(service.settings, consumer_window=timedelta(seconds=30)),
        sealer=sample_sealer(),
    )
    result = service.save_and_activate(EXCHANGE_FORM)
    assert result.exchange is not None
    clock.advance(timedelta(seconds=31))
    with pytest.raises(TokenExchangeError, match="expired"):
        service.request_token(result.exchange.consumer_key)


def test_reactivating_restarts_the_consumer_window_magento_3449() -> None:
    service, clock = make_service()
    integration = service.save(EXCHANGE_FORM).integration
    service.activate(integration.id)
    clock.advance(timedelta(seconds=299))
    again = service.activate(integration.id)
    assert again.exchange is not None
    clock.advance(timedelta(seconds=200))
    token = _exchange(service, again.exchange.consumer_key, again.exchange.verifier.reveal())
    assert service.authorize(token, [SALES]).allowed


def test_an_abandoned_exchange_never_blocks_reactivation_magento_2540() -> None:
    service, clock = make_service()
    first = service.save_and_activate(EXCHANGE_FORM)
    assert first.exchange is not None
    abandoned = service.request_token(first.exchange.consumer_key).token
    clock.advance(timedelta(days=3))
    second = service.activate(first.integration.id)
    assert second.exchange is not None
    with pytest.raises(TokenExchangeError, match="No request token"):
        service.access_token(
            second.exchange.consumer_key,
            abandoned.token.reveal(),
            first.exchange.verifier.reveal(),
        )
    token = _exchange(service, second.exchange.consumer_key, second.exchange.verifier.reveal())
    assert service.authorize(token, [SALES]).allowed


# -- Exchange failures ---------------------------------------------------------------------------


def test_exchange_steps_for_an_unknown_consumer_are_refused() -> None:
    service, _ = make_service()
    with pytest.raises(TokenExchangeError, match="does not exist"):
        service.request_token("0" * 32)
    with pytest.raises(TokenExchangeError, match="does not exist"):
        service.access_token("0" * 32, "r", "v")


def test_a_token_request_without_a_pending_exchange_is_refused() -> None:
    service, _ = make_service()
    integration = service.save_and_activate(DIRECT_FORM).integration
    with pytest.raises(TokenExchangeError, match="No token exchange is in progress"):
        service.request_token(integration.consumer.key)


def test_a_wrong_request_token_or_verifier_is_refused_without_echoing_it() -> None:
    service, _ = make_service()
    result = service.save_and_activate(EXCHANGE_FORM)
    assert result.exchange is not None
    key, verifier = result.exchange.consumer_key, result.exchange.verifier.reveal()
    request = service.request_token(key).token.token.reveal()
    with pytest.raises(TokenExchangeError) as wrong_token:
        service.access_token(key, "x" * 32, verifier)
    with pytest.raises(TokenExchangeError) as wrong_verifier:
        service.access_token(key, request, "y" * 32)
    assert str(wrong_token.value) == "Specified request token does not exist"
    assert str(wrong_verifier.value) == "Verifier is invalid"
    assert service.repository.get(result.integration.id).status == IntegrationStatus.INACTIVE


def test_asking_for_a_request_token_again_replaces_the_previous_one() -> None:
    service, _ = make_service()
    result = service.save_and_activate(EXCHANGE_FORM)
    assert result.exchange is not None
    key = result.exchange.consumer_key
    old = service.request_token(key).token.token.reveal()
    new = service.request_token(key).token.token.reveal()
    with pytest.raises(TokenExchangeError, match="request token"):
        service.access_token(key, old, result.exchange.verifier.reveal())
    assert service.access_token(key, new, result.exchange.verifier.reveal()).integration.access


# -- Reauthorize --------------------------------------------------------------------------------


def test_reauthorize_issues_new_access_credentials_and_keeps_the_consumer() -> None:
    service, clock = make_service()
    first = service.save_and_activate(DIRECT_FORM)
    assert first.credentials is not None
    clock.advance(timedelta(minutes=5))
    again = service.reauthorize(first.integration.id)
    assert again.credentials is not None
    assert first.credentials.consumer_key == again.credentials.consumer_key
    assert first.credentials.consumer_secret == again.credentials.consumer_secret
    assert first.credentials.access_token != again.credentials.access_token
    assert not service.authorize(first.credentials.access_token.reveal(), [SALES]).allowed
    assert service.authorize(again.credentials.access_token.reveal(), [SALES]).allowed
    assert [IntegrationReauthorized, IntegrationActivated] == [type(e) for e in again.events]


def test_reauthorize_on_the_exchange_path_deactivates_until_the_exchange_completes() -> None:
    service, _ = make_service()
    first = service.save_and_activate(EXCHANGE_FORM)
    assert first.exchange is not None
    old = _exchange(service, first.exchange.consumer_key, first.exchange.verifier.reveal())
    again = service.reauthorize(first.integration.id)
    assert again.exchange is not None
    assert again.integration.status == IntegrationStatus.INACTIVE
    assert [IntegrationReauthorized, TokenExchangeStarted] == [type(e) for e in again.events]
    assert service.authorize(old, [SALES]).reason.value == "unknown_token"  # type: ignore[union-attr]
    new = _exchange(service, again.exchange.consumer_key, again.exchange.verifier.reveal())
    assert first.exchange.consumer_secret == again.exchange.consumer_secret
    assert service.authorize(new, [SALES]).allowed


# -- Edit ---------------------------------------------------------------------------------------


def test_permission_changes_apply_at_once_without_reauthorization() -> None:
    service, clock = make_service()
    result = service.save_and_activate(DIRECT_FORM)
    assert result.credentials is not None
    token = result.credentials.access_token.reveal()
    assert service.authorize(token, [INVOICE]).allowed
    clock.advance(timedelta(minutes=1))
    narrowed = ResourceSelection.custom(TREE, allow=[PRODUCTS])
    edited = service.edit(result.integration.id, attrs.evolve(DIRECT_FORM, selection=narrowed))
    diff = SelectionDiff(allowed={PRODUCTS}, denied={SALES, INVOICE})
    when = START + timedelta(minutes=1)
    assert (PermissionsChanged(result.integration.id, when, diff),) == edited.events
    assert edited.integration.status == IntegrationStatus.ACTIVE
    assert result.integration.access == edited.integration.access
    decision = service.authorize(token, [PRODUCTS, INVOICE, SALES])
    assert (decision.allowed, decision.missing) == (False, (INVOICE, SALES))


def test_editing_info_fields_reports_what_changed() -> None:
    service, _ = make_service()
    integration = service.save(DIRECT_FORM).integration
    form = attrs.evolve(DIRECT_FORM, name="ERP 2", email="", callback_url="https://a.example/")
    edited = service.edit(integration.id, form)
    assert (
        IntegrationUpdated(
            integration.id,
            START,
            (
                FieldChange("name", "ERP", "ERP 2"),
                FieldChange("email", "erp@example.com", None),
                FieldChange("callback_url", None, "https://a.example/"),
            ),
        ),
    ) == edited.events
    assert edited.integration.version == 2


def test_an_edit_that_changes_nothing_stores_nothing() -> None:
    service, _ = make_service()
    integration = service.save(DIRECT_FORM).integration
    edited = service.edit(integration.id, attrs.evolve(DIRECT_FORM, name=" ERP "))
    assert (edited.events, service.repository.get(integration.id).version) == ((), 1)


def test_renaming_to_a_case_variant_of_its_own_name_is_allowed() -> None:
    service, _ = make_service()
    integration = service.save(DIRECT_FORM).integration
    edited = service.edit(integration.id, attrs.evolve(DIRECT_FORM, name="erp"))
    assert edited.integration.name == "erp"


def test_renaming_to_another_integrations_name_is_refused() -> None:
    service, _ = make_service()
    service.save(IntegrationForm(name="Other"))
    integration = service.save(DIRECT_FORM).integration
    with pytest.raises(IntegrationValidationError) as raised:
        service.edit(integration.id, attrs.evolve(DIRECT_FORM, name="OTHER"))
    assert raised.value.fields == ("name",)


def test_an_edit_based_on_a_stale_version_is_refused() -> None:
    service, _ = make_service()
    integration = service.save(DIRECT_FORM).integration
    service.edit(integration.id, attrs.evolve(DIRECT_FORM, email="new@example.com"))
    with pytest.raises(ConcurrencyConflictError):
        service.edit(integration.id, attrs.evolve(DIRECT_FORM, name="Lost"), version=1)
    assert service.repository.get(integration.id).name == "ERP"


def test_configuration_integrations_cannot_be_edited_or_deleted() -> None:
    service, _ = make_service()
    integration = service.save(DIRECT_FORM).integration
    service.repository.save(attrs.evolve(integration, setup_type=SetupType.CONFIG))
    with pytest.raises(ReadOnlyIntegrationError) as edit:
        service.edit(integration.id, DIRECT_FORM)
    with pytest.raises(ReadOnlyIntegrationError) as delete:
        service.delete(integration.id)
    assert str(edit.value) == "The integrations created in the config file can't be edited."
    assert str(delete.value) == "Uninstall the extension to remove integration 'ERP'."
    assert len(service.repository.list()) == 1


# -- Delete ------------------------------------------------------------------------------------


def test_delete_removes_the_integration_and_all_its_credentials() -> None:
    service, _ = make_service()
    result = service.save_and_activate(DIRECT_FORM)
    assert result.credentials is not None
    deleted = service.delete(result.integration.id)
    assert (IntegrationDeleted(result.integration.id, START, "ERP"),) == deleted.events
    assert service.repository.list() == ()
    decision = service.authorize(result.credentials.access_token.reveal(), [SALES])
    assert decision.reason.value == "unknown_token"  # type: ignore[union-attr]
    with pytest.raises(TokenExchangeError):
        service.request_token(result.credentials.consumer_key)
    assert service.save(DIRECT_FORM).integration.name == "ERP"


def test_a_delete_based_on_a_stale_version_removes_nothing() -> None:
    service, _ = make_service()
    integration = service.save(DIRECT_FORM).integration
    service.activate(integration.id)
    with pytest.raises(ConcurrencyConflictError):
        service.delete(integration.id, version=1)
    assert len(service.repository.list()) == 1


def test_the_service_repr_names_its_repository() -> None:
    service, _ = make_service()
    assert (
        repr(service) == "<IntegrationService over <InMemoryIntegrationRepository: 0 integrations>>"
    )


class _RacingRepository(InMemoryIntegrationRepository):
    """Name lookups miss, as when another writer takes the name between check and write."""

    def get_by_name(self, name: str) -> Integration:
        raise IntegrationNotFoundError(name, field="name")


def test_a_name_taken_concurrently_is_still_reported_as_a_form_problem() -> None:
    service, clock = make_service()
    racing = IntegrationService(
        _RacingRepository(), TREE, clock, service.settings, sealer=sample_sealer()
    )
    racing.save(IntegrationForm(name="ERP"))
    other = racing.save(IntegrationForm(name="Other")).integration
    with pytest.raises(IntegrationValidationError) as on_save:
        racing.save(IntegrationForm(name="erp"))
    with pytest.raises(IntegrationValidationError) as on_edit:
        racing.edit(other.id, IntegrationForm(name="ERP"))
    assert [(p.field, p.code) for p in (*on_save.value.problems, *on_edit.value.problems)] == [
        ("name", "duplicate")
    ] * 2


def test_the_exchange_cannot_start_without_both_urls() -> None:
    integration = sample_integration(callback_url="https://erp.example/cb")
    with pytest.raises(TokenExchangeError, match="needs a callback URL and an identity link URL"):
        integration.start_exchange(sample_issuer(), START, SETTINGS)

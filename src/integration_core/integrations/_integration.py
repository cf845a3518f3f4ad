"""
The Integration aggregate: an immutable value that owns its lifecycle.

Every transition (create, activate, the two steps of the OAuth exchange, reauthorize,
edit, the configuration reset, delete) is a method that returns a
:class:`Transition`: the new value, the events it caused and what it issued. Nothing
else changes an integration, so each rule is written once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode, urlsplit

import attrs

from integration_core.acl import AclTree
from integration_core.errors import (
    InvalidVerifierError,
    LifecycleError,
    ReadOnlyIntegrationError,
    TokenExchangeError,
)
from integration_core.integrations._credentials import (
    ConsumerCredentials,
    CredentialIssuer,
    IssuedToken,
    StoredToken,
    digest,
)
from integration_core.integrations._events import (
    Event,
    FieldChange,
    IntegrationActivated,
    IntegrationCreated,
    IntegrationDeleted,
    IntegrationReauthorized,
    IntegrationReset,
    IntegrationUpdated,
    PermissionsChanged,
    RequestTokenIssued,
    TokenExchangeStarted,
)
from integration_core.integrations._exchange import (
    ExchangeInstructions,
    IssuedCredentials,
    OAuthSettings,
    PendingExchange,
)
from integration_core.integrations._form import CleanForm
from integration_core.integrations._names import name_key
from integration_core.integrations._status import IntegrationStatus, SetupType
from integration_core.selection import ResourceSelection

__all__ = ["CANNOT_EDIT", "Integration", "Transition"]

CANNOT_EDIT = "The integrations created in the config file can't be edited."
_INFO_FIELDS = ("name", "email", "callback_url", "identity_link_url")

Issued = TypeVar("Issued")


@attrs.frozen
class Transition(Generic[Issued]):
    """
    What one transition of an :class:`Integration` produced.

    Attributes:
        integration: The integration afterwards (as it was, for a delete or a
            transition that changed nothing).
        events: The events it caused, in order; empty when nothing changed.
        issued: What it issued to show once (credentials, exchange instructions or a
            token), or ``None``.

    Example:
        >>> from integration_core.testing.builders import sample_integration
        >>> integration = sample_integration()
        >>> deleted = integration.delete(integration.updated_at)
        >>> deleted.integration is integration, type(deleted.events[0]).__name__
        (True, 'IntegrationDeleted')
    """

    integration: Integration
    events: tuple[Event, ...]
    issued: Issued


@attrs.frozen
class Integration:
    """
    One integration as the admin screen manages it.

    An immutable value: its transition methods (:meth:`create`, :meth:`activate`,
    :meth:`edit`, ...) return a :class:`Transition` holding the new value. Secrets never print; the access token is held only as a digest.

    Attributes:
        id: The identity, assigned by the service when the integration is created.
        name: The trimmed name; unique across a repository by :func:`name_key`.
        email: The contact email, or ``None`` when the admin left it blank.
        callback_url: Magento's "endpoint", where the exchange posts the credentials.
        identity_link_url: Where the admin is sent to log in to the third party.
        status: Its :class:`IntegrationStatus`.
        setup_type: Its :class:`SetupType`.
        selection: The resources it may use.
        consumer: Its OAuth consumer key and secret, fixed for its lifetime (reset
            only when a changed configuration recreates it).
        access: Its access token (digest, sealed secret), once issued.
        exchange: The OAuth exchange in progress, if any.
        created_at: When it was created (timezone-aware).
        updated_at: When it last changed (timezone-aware).
        version: ``0`` until a repository stores it; each stored change adds one.

    Example:
        >>> from datetime import UTC, datetime
        >>> from integration_core import ResourceSelection
        >>> from integration_core.credentials import ConsumerCredentials, SealedSecret
        >>> when = datetime(2024, 1, 1, tzinfo=UTC)
        >>> integration = Integration(
        ...     id="i-1", name="Shop Sync", email=None, callback_url="http://shop.example/cb",
        ...     identity_link_url=None, status=IntegrationStatus.INACTIVE,
        ...     setup_type=SetupType.MANUAL, selection=ResourceSelection.all(),
        ...     consumer=ConsumerCredentials("k" * 32, SealedSecret("k1.c2VhbGVk")),
        ...     created_at=when, updated_at=when,
        ... )
        >>> integration.not_secure, integration.uses_token_exchange, integration.version
        (True, False, 0)
        >>> integration.consumer.secret
        SealedSecret(sealed='k1.c2VhbGVk')
    """

    id: str
    name: str
    email: str | None
    callback_url: str | None
    identity_link_url: str | None
    status: IntegrationStatus
    setup_type: SetupType
    selection: ResourceSelection
    consumer: ConsumerCredentials
    created_at: datetime
    updated_at: datetime
    access: StoredToken | None = None
    exchange: PendingExchange | None = None
    version: int = 0

    @property
    def name_key(self) -> str:
        r"""
        The name as compared for uniqueness (see :func:`name_key`).

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> sample_integration(name="\uff33hop").name_key
            'shop'
        """
        return name_key(self.name)

    @property
    def uses_token_exchange(self) -> bool:
        """
        Whether activation runs the OAuth exchange: only when both URLs are set.

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> sample_integration(callback_url="https://a.example/cb").uses_token_exchange
            False
        """
        return bool(self.callback_url and self.identity_link_url)

    @property
    def not_secure(self) -> bool:
        """
        Whether a URL that is set uses plain ``http`` (Magento's "not secure" grid badge).

        Unlike Magento (#36407), an integration without URLs is not flagged.

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> sample_integration().not_secure
            False
        """
        return any(
            url is not None and urlsplit(url).scheme.lower() == "http"
            for url in (self.callback_url, self.identity_link_url)
        )

    # -- transitions ------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        clean: CleanForm,
        issuer: CredentialIssuer,
        now: datetime,
        *,
        setup_type: SetupType = SetupType.MANUAL,
    ) -> Transition[None]:
        """
        **Save** (or a new configuration integration): inactive, with fresh consumer credentials.

        Example:
            >>> from datetime import UTC, datetime
            >>> from integration_core.integrations._form import CleanForm
            >>> clean = CleanForm("Shop", None, None, None, ResourceSelection.all())
            >>> from integration_core.testing.builders import sample_issuer
            >>> created = Integration.create(clean, sample_issuer(), datetime(2024, 1, 1, tzinfo=UTC))
            >>> created.integration.status.label, created.integration.version, created.events[0].name
            ('Inactive', 0, 'Shop')
        """
        integration = cls(
            id=issuer.credential().reveal(),
            **_details(clean),
            status=IntegrationStatus.INACTIVE,
            setup_type=setup_type,
            consumer=issuer.consumer(),
            created_at=now,
            updated_at=now,
        )
        event = IntegrationCreated(integration.id, now, integration.name, setup_type)
        return Transition(integration, (event,), None)

    def activate(
        self, issuer: CredentialIssuer, now: datetime, settings: OAuthSettings
    ) -> Transition[IssuedCredentials | ExchangeInstructions]:
        """
        **Activate** an inactive or reset integration.

        With both a callback URL and an identity link URL the OAuth exchange starts
        (the integration stays inactive, see :meth:`start_exchange`); otherwise tokens
        are issued at once (:meth:`activate_directly`). Activating again while an
        exchange is pending restarts it.

        Raises:
            LifecycleError: It is already active (reauthorize it instead).

        Example:
            >>> from integration_core.testing.builders import sample_integration, sample_issuer
            >>> settings = OAuthSettings("https://shop.example/", "https://shop.example/ok")
            >>> integration = sample_integration()
            >>> activated = integration.activate(sample_issuer(), integration.updated_at, settings)
            >>> activated.integration.status.label, type(activated.issued).__name__
            ('Active', 'IssuedCredentials')
            >>> activated.integration.activate(sample_issuer(), integration.updated_at, settings)
            Traceback (most recent call last):
                ...
            integration_core.errors.LifecycleError: integration '...': the integration is already active; reauthorize it instead
        """
        if self.status is IntegrationStatus.ACTIVE:
            raise LifecycleError(
                self.id, "the integration is already active; reauthorize it instead"
            )
        return self._grant_access(issuer, now, settings)

    def reauthorize(
        self, issuer: CredentialIssuer, now: datetime, settings: OAuthSettings
    ) -> Transition[IssuedCredentials | ExchangeInstructions]:
        """
        **Reauthorize**: new access credentials; the consumer key and secret stay.

        On the exchange path the old token stops working and the integration is
        inactive until the new exchange completes.

        Example:
            >>> from integration_core.testing.builders import sample_integration, sample_issuer
            >>> settings = OAuthSettings("https://shop.example/", "https://shop.example/ok")
            >>> integration = sample_integration(access_token="a" * 32)
            >>> again = integration.reauthorize(sample_issuer(), integration.updated_at, settings)
            >>> [type(event).__name__ for event in again.events]
            ['IntegrationReauthorized', 'IntegrationActivated']
            >>> again.integration.access.matches("a" * 32)
            False
        """
        granted = self._grant_access(issuer, now, settings)
        return attrs.evolve(
            granted, events=(IntegrationReauthorized(self.id, now), *granted.events)
        )

    def _grant_access(
        self, issuer: CredentialIssuer, now: datetime, settings: OAuthSettings
    ) -> Transition[IssuedCredentials | ExchangeInstructions]:
        if self.uses_token_exchange:
            return self.start_exchange(issuer, now, settings)
        return self.activate_directly(issuer, now)

    def activate_directly(
        self, issuer: CredentialIssuer, now: datetime
    ) -> Transition[IssuedCredentials | ExchangeInstructions]:
        """
        Issue an access token at once: the integration becomes active.

        Any previous access token and any abandoned exchange are dropped.

        Example:
            >>> from integration_core.testing.builders import sample_integration, sample_issuer
            >>> integration = sample_integration()
            >>> active = integration.activate_directly(sample_issuer(), integration.created_at)
            >>> active.integration.access.matches(active.issued.access_token.reveal())
            True
        """
        token = issuer.token()
        credentials = IssuedCredentials(
            consumer_key=self.consumer.key,
            consumer_secret=issuer.consumer_secret(self.consumer),
            access_token=token.token,
            access_token_secret=token.token_secret,
        )
        event = IntegrationActivated(self.id, now, via_exchange=False)
        return Transition(self._activated(issuer.store(token), now), (event,), credentials)

    def start_exchange(
        self, issuer: CredentialIssuer, now: datetime, settings: OAuthSettings
    ) -> Transition[IssuedCredentials | ExchangeInstructions]:
        """
        Start (or restart) the OAuth exchange: a new verifier, a new consumer window.

        The integration is inactive and without an access token until the exchange
        completes. A previous, abandoned exchange is simply replaced, so it can never
        block this one (Magento #2540), and the window restarts now (Magento #3449).

        Raises:
            TokenExchangeError: A callback URL or an identity link URL is missing.

        Example:
            >>> from integration_core.testing.builders import sample_integration, sample_issuer
            >>> settings = OAuthSettings("https://shop.example/", "https://shop.example/ok")
            >>> integration = sample_integration(
            ...     callback_url="https://erp.example/cb", identity_link_url="https://erp.example/in"
            ... )
            >>> started = integration.start_exchange(sample_issuer(), integration.created_at, settings)
            >>> started.integration.status.label, started.integration.exchange.started_at == integration.created_at
            ('Inactive', True)
            >>> started.issued.identity_link_url.startswith("https://erp.example/in?oauth_consumer_key=")
            True
        """
        callback_url, identity_link_url = self.callback_url, self.identity_link_url
        if callback_url is None or identity_link_url is None:
            raise TokenExchangeError(
                "the token exchange needs a callback URL and an identity link URL"
            )
        verifier = issuer.credential()
        pending = attrs.evolve(
            self,
            status=IntegrationStatus.INACTIVE,
            access=None,
            exchange=PendingExchange(verifier_digest=digest(verifier.reveal()), started_at=now),
            updated_at=now,
        )
        query = urlencode(
            {
                "oauth_consumer_key": self.consumer.key,
                "success_call_back": settings.success_callback_url,
            }
        )
        separator = "&" if "?" in identity_link_url else "?"
        instructions = ExchangeInstructions(
            callback_url=callback_url,
            identity_link_url=f"{identity_link_url}{separator}{query}",
            consumer_key=self.consumer.key,
            consumer_secret=issuer.consumer_secret(self.consumer),
            store_base_url=settings.store_base_url,
            verifier=verifier,
        )
        event = TokenExchangeStarted(self.id, now, self.consumer.key)
        return Transition(pending, (event,), instructions)

    def issue_request_token(
        self, issuer: CredentialIssuer, now: datetime, settings: OAuthSettings
    ) -> Transition[IssuedToken]:
        """
        Exchange step 1: the consumer asks for a request token.

        Allowed only while an exchange is pending, both URLs are still set, and within
        the consumer window of its start: at exactly the window's length it has expired,
        as in Magento, and a clock that went back before the start never reopens it.
        Asking again replaces the previous request token.

        Raises:
            TokenExchangeError: No exchange pending, or "Consumer key has expired".

        Example:
            >>> from integration_core.testing.builders import sample_integration, sample_issuer
            >>> settings = OAuthSettings("https://shop.example/", "https://shop.example/ok")
            >>> integration = sample_integration()
            >>> integration.issue_request_token(sample_issuer(), integration.created_at, settings)
            Traceback (most recent call last):
                ...
            integration_core.errors.TokenExchangeError: No token exchange is in progress for this consumer
        """
        exchange = self._pending()
        if not _within(now, exchange.started_at, settings.consumer_window):
            raise TokenExchangeError("Consumer key has expired")
        token = issuer.token()
        updated = attrs.evolve(
            self,
            exchange=attrs.evolve(
                exchange, request_token=issuer.store(token), request_token_issued_at=now
            ),
            updated_at=now,
        )
        return Transition(updated, (RequestTokenIssued(self.id, now),), token)

    def issue_access_token(
        self,
        request_token: str,
        verifier: str,
        issuer: CredentialIssuer,
        now: datetime,
        settings: OAuthSettings,
    ) -> Transition[IssuedToken]:
        """
        Exchange step 2: trade the request token and the verifier for an access token.

        Both are compared in constant time. The request token is valid for
        :attr:`OAuthSettings.request_token_lifetime` after it was issued. On success the
        integration is active and the exchange is over.

        Raises:
            TokenExchangeError: No request token issued, or a wrong or expired request
                token (the presented values are never echoed).
            InvalidVerifierError: A wrong verifier: count it with :meth:`reject_verifier`.

        Example:
            >>> from integration_core.testing.builders import sample_integration, sample_issuer
            >>> settings = OAuthSettings("https://shop.example/", "https://shop.example/ok")
            >>> integration = sample_integration()
            >>> integration.issue_access_token("r", "v", sample_issuer(), integration.created_at, settings)
            Traceback (most recent call last):
                ...
            integration_core.errors.TokenExchangeError: No token exchange is in progress for this consumer
        """
        exchange = self._pending()
        stored, issued_at = exchange.request_token, exchange.request_token_issued_at
        if stored is None or issued_at is None:
            raise TokenExchangeError("No request token has been issued for this consumer")
        token_ok = stored.matches(request_token)
        verifier_ok = exchange.verifier_matches(verifier)
        if not token_ok or not _within(now, issued_at, settings.request_token_lifetime):
            raise TokenExchangeError("Specified request token does not exist")
        if not verifier_ok:
            raise InvalidVerifierError("Verifier is invalid")
        token = issuer.token()
        event = IntegrationActivated(self.id, now, via_exchange=True)
        return Transition(self._activated(issuer.store(token), now), (event,), token)

    def reject_verifier(self, now: datetime, settings: OAuthSettings) -> Transition[None]:
        """
        Count a wrong verifier; at :attr:`OAuthSettings.verifier_attempts` the exchange is void.

        Example:
            >>> from integration_core.testing.builders import sample_integration, sample_issuer
            >>> settings = OAuthSettings(
            ...     "https://shop.example/", "https://shop.example/ok", verifier_attempts=2
            ... )
            >>> integration = sample_integration(
            ...     callback_url="https://erp.example/cb", identity_link_url="https://erp.example/in"
            ... )
            >>> pending = integration.start_exchange(sample_issuer(), integration.created_at, settings)
            >>> once = pending.integration.reject_verifier(integration.created_at, settings).integration
            >>> once.exchange.failed_attempts
            1
            >>> once.reject_verifier(integration.created_at, settings).integration.exchange is None
            True
        """
        exchange = self._pending()
        failed = exchange.failed_attempts + 1
        voided = failed >= settings.verifier_attempts
        changed = attrs.evolve(
            self,
            exchange=None if voided else attrs.evolve(exchange, failed_attempts=failed),
            updated_at=now,
        )
        return Transition(changed, (), None)

    def edit(self, clean: CleanForm, tree: AclTree, now: datetime) -> Transition[None]:
        """
        **Edit** a manual integration: Info fields and permissions, applied at once.

        Status and tokens are untouched; permission changes need no reauthorization.
        An edit that changes nothing returns the integration as it was and no events.

        Raises:
            ReadOnlyIntegrationError: It is a configuration integration.

        Example:
            >>> from integration_core.integrations._form import CleanForm
            >>> from integration_core.testing.builders import sample_integration
            >>> integration = sample_integration("Shop")
            >>> tree = AclTree.from_data([{"id": "a"}])
            >>> clean = CleanForm("Shop 2", integration.email, None, None, integration.selection)
            >>> edited = integration.edit(clean, tree, integration.updated_at)
            >>> edited.integration.name, [change.field for change in edited.events[0].changes]
            ('Shop 2', ['name'])
        """
        self.ensure_editable()
        changes = tuple(
            FieldChange(field, getattr(self, field), getattr(clean, field))
            for field in _INFO_FIELDS
            if getattr(self, field) != getattr(clean, field)
        )
        if not changes and clean.selection == self.selection:
            return Transition(self, (), None)
        events: list[Event] = []
        if changes:
            events.append(IntegrationUpdated(self.id, now, changes))
        events.extend(self._permissions_changed(clean.selection, tree, now))
        edited = self._with_details(clean, updated_at=now)
        if not edited.uses_token_exchange:
            # An exchange needs both URLs: removing one ends the exchange in progress.
            edited = attrs.evolve(edited, exchange=None)
        return Transition(edited, tuple(events), None)

    def ensure_editable(self) -> None:
        """
        Refuse to edit a configuration integration: its definition is the only source.

        Raises:
            ReadOnlyIntegrationError: It is a configuration integration.

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> sample_integration().ensure_editable()
            >>> sample_integration(setup_type=SetupType.CONFIG).ensure_editable()
            Traceback (most recent call last):
                ...
            integration_core.errors.ReadOnlyIntegrationError: The integrations created in the config file can't be edited.
        """
        if self.setup_type is SetupType.CONFIG:
            raise ReadOnlyIntegrationError(self.id, CANNOT_EDIT)

    def recreate(
        self, clean: CleanForm, tree: AclTree, issuer: CredentialIssuer, now: datetime
    ) -> Transition[None]:
        """
        Apply a configuration definition: unchanged, or recreated with status ``RESET``.

        Only a real change recreates it (unlike Magento #11374 / #12095): new consumer
        credentials, no token, no exchange, created now.

        Example:
            >>> from integration_core.integrations._form import CleanForm
            >>> from integration_core.testing.builders import sample_integration, sample_issuer
            >>> integration = sample_integration("ERP", setup_type=SetupType.CONFIG)
            >>> tree = AclTree.from_data([{"id": "a"}])
            >>> same = CleanForm("ERP", integration.email, None, None, integration.selection)
            >>> integration.recreate(same, tree, sample_issuer(), integration.updated_at).events
            ()
            >>> moved = CleanForm("ERP", "new@erp.example", None, None, integration.selection)
            >>> reset = integration.recreate(moved, tree, sample_issuer(), integration.updated_at)
            >>> reset.integration.status.label, reset.events[0].changes
            ('Reset', ('email',))
        """
        wanted = {
            "name": clean.name,
            "email": clean.email,
            "callback_url": clean.callback_url,
            "identity_link_url": clean.identity_link_url,
            "setup_type": SetupType.CONFIG,
        }
        changes = [field for field, value in wanted.items() if getattr(self, field) != value]
        diff = self.selection.diff(clean.selection, tree)
        if self.selection.mode is not clean.selection.mode or diff.changed:
            changes.append("selection")
        if not changes:
            return Transition(self, (), None)
        recreated = attrs.evolve(
            self._with_details(clean, updated_at=now),
            setup_type=SetupType.CONFIG,
            status=IntegrationStatus.RESET,
            consumer=issuer.consumer(),
            access=None,
            exchange=None,
            created_at=now,
        )
        events: list[Event] = [IntegrationReset(self.id, now, clean.name, tuple(changes))]
        events.extend(self._permissions_changed(clean.selection, tree, now))
        return Transition(recreated, tuple(events), None)

    def delete(self, now: datetime) -> Transition[None]:
        """
        **Delete** a manual integration with all its credentials.

        Raises:
            ReadOnlyIntegrationError: It is a configuration integration.

        Example:
            >>> from integration_core.testing.builders import sample_integration
            >>> sample_integration("ERP", setup_type=SetupType.CONFIG).delete(sample_integration().created_at)
            Traceback (most recent call last):
                ...
            integration_core.errors.ReadOnlyIntegrationError: Uninstall the extension to remove integration 'ERP'.
        """
        if self.setup_type is SetupType.CONFIG:
            refusal = f"Uninstall the extension to remove integration '{self.name}'."
            raise ReadOnlyIntegrationError(self.id, refusal)
        return Transition(self, (IntegrationDeleted(self.id, now, self.name),), None)

    def _activated(self, access: StoredToken, now: datetime) -> Integration:
        return attrs.evolve(
            self, status=IntegrationStatus.ACTIVE, access=access, exchange=None, updated_at=now
        )

    def _with_details(self, clean: CleanForm, *, updated_at: datetime) -> Integration:
        return attrs.evolve(self, **_details(clean), updated_at=updated_at)

    def _permissions_changed(
        self, selection: ResourceSelection, tree: AclTree, now: datetime
    ) -> list[Event]:
        diff = self.selection.diff(selection, tree)
        return [PermissionsChanged(self.id, now, diff)] if diff.changed else []

    def _pending(self) -> PendingExchange:
        if self.exchange is None or not self.uses_token_exchange:
            raise TokenExchangeError("No token exchange is in progress for this consumer")
        return self.exchange


def _details(clean: CleanForm) -> dict[str, Any]:
    """The fields a clean form sets on an integration: its Info fields and its selection."""
    return attrs.asdict(clean, recurse=False)


def _within(now: datetime, start: datetime, length: timedelta) -> bool:
    """Whether ``now`` is in ``[start, start + length)``: a clock gone back is outside."""
    return timedelta(0) <= now - start < length

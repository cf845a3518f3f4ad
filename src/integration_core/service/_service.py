"""The application service: the admin screen's commands over a repository."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

import attrs

from integration_core.acl import AclTree
from integration_core.credentials import (
    CredentialGenerator,
    CredentialIssuer,
    IssuedToken,
    SecretSealer,
    SecretsGenerator,
)
from integration_core.errors import (
    ConcurrencyConflictError,
    DuplicateNameError,
    IntegrationNotFoundError,
    IntegrationValidationError,
    InvalidArgumentError,
    InvalidVerifierError,
    Problem,
    TokenExchangeError,
)
from integration_core.events import Event, PermissionsChanged
from integration_core.integrations import (
    ConfigIntegration,
    ExchangeInstructions,
    Integration,
    IntegrationForm,
    IssuedCredentials,
    OAuthSettings,
    SetupType,
    Transition,
    UrlPolicy,
)
from integration_core.integrations._form import CleanForm, clean_form
from integration_core.ports import Clock, IntegrationRepository
from integration_core.service._authorization import AuthorizationDecision, CallAuthorizer
from integration_core.service._config_sync import ConfigSync, SyncReport
from integration_core.webapi import RouteMap, preview

__all__ = ["ActivationResult", "CommandResult", "IntegrationService", "TokenResult"]

_NO_CONSUMER = "A consumer having the specified key does not exist"
Issued = TypeVar("Issued")


@attrs.frozen
class CommandResult:
    """
    What a command did: the integration afterwards (as it was, for a delete) and the events.

    Example:
        >>> from integration_core.testing.builders import sample_integration
        >>> CommandResult(sample_integration("Shop"), ()).integration.name
        'Shop'
    """

    integration: Integration
    events: tuple[Event, ...]


@attrs.frozen
class ActivationResult:
    """
    The outcome of Activate, Save and Activate, or Reauthorize.

    Exactly one of ``credentials`` (tokens issued directly: show them once) and
    ``exchange`` (the OAuth exchange started: post and open as instructed) is set.

    Example:
        >>> from integration_core.testing.builders import sample_integration
        >>> ActivationResult(sample_integration(), (), None, None).uses_token_exchange
        False
    """

    integration: Integration
    events: tuple[Event, ...]
    credentials: IssuedCredentials | None
    exchange: ExchangeInstructions | None

    @property
    def uses_token_exchange(self) -> bool:
        """
        Whether the OAuth exchange was started (Magento's ``isTokenExchange``).

        Example:
            >>> from integration_core.testing.builders import sample_service
            >>> service = sample_service()
            >>> service.save_and_activate(IntegrationForm(name="Shop Sync")).uses_token_exchange
            False
        """
        return self.exchange is not None


@attrs.frozen
class TokenResult:
    """
    A token issued by a step of the OAuth exchange, returned once to the consumer.

    Example:
        >>> from integration_core import Secret
        >>> from integration_core.testing.builders import sample_integration
        >>> TokenResult(sample_integration(), (), IssuedToken(Secret("t"), Secret("s"))).token
        IssuedToken(token=Secret('********'), token_secret=Secret('********'))
    """

    integration: Integration
    events: tuple[Event, ...]
    token: IssuedToken


class IntegrationService:
    """
    Save, activate, exchange tokens, reauthorize, edit, delete and authorize calls.

    Every command returns the events it caused. Time comes from ``clock`` and every
    credential and id from ``generator``, sealed by ``sealer``; storage is
    ``repository``. Commands read,
    change and save with the version they read, so a concurrent change makes them
    fail with :class:`~integration_core.errors.ConcurrencyConflictError` rather than
    lose an update.

    Args:
        repository: Where integrations live.
        tree: The ACL tree selections are checked and compiled against: for Magento,
            the screen's tree, ``subtree(MAGENTO_ADMIN)`` ("Which tree" in the docs).
        clock: The time.
        settings: The host's OAuth settings (base URL, success callback, window).
        sealer: The host's key, sealing every stored secret (see
            :class:`~integration_core.adapters.sealing.AesGcmSealer`); required.
        generator: Source of credentials and ids (default: :mod:`secrets`).
        url_policy: :attr:`UrlPolicy.STRICT` refuses non-HTTPS URLs except loopback.
        routes: The host's web API routes; with them, the ``PermissionsChanged`` event
            of :meth:`edit` carries the routes the edit opens and closes.

    Example:
        >>> from datetime import UTC, datetime
        >>> from integration_core import AclTree, InMemoryIntegrationRepository, ManualClock
        >>> from integration_core.adapters.sealing import AesGcmSealer
        >>> service = IntegrationService(
        ...     InMemoryIntegrationRepository(), AclTree.from_data([{"id": "sales"}]),
        ...     ManualClock(datetime(2024, 1, 1, tzinfo=UTC)),
        ...     OAuthSettings("https://shop.example/", "https://shop.example/admin/ok"),
        ...     sealer=AesGcmSealer({"2024-01": AesGcmSealer.generate_key()}, current="2024-01"),
        ... )
        >>> result = service.save(IntegrationForm(name="Shop Sync"))
        >>> result.integration.status.label, type(result.events[0]).__name__
        ('Inactive', 'IntegrationCreated')
    """

    def __init__(
        self,
        repository: IntegrationRepository,
        tree: AclTree,
        clock: Clock,
        settings: OAuthSettings,
        *,
        sealer: SecretSealer,
        generator: CredentialGenerator | None = None,
        url_policy: UrlPolicy = UrlPolicy.STANDARD,
        routes: RouteMap | None = None,
    ) -> None:
        self.repository = repository
        self.tree = tree
        self.clock = clock
        self.settings = settings
        self.url_policy = url_policy
        if routes is not None and not isinstance(routes, RouteMap):
            raise InvalidArgumentError(
                "routes", f"expected a RouteMap or None, got {type(routes).__name__}"
            )
        self.routes = routes
        self.issuer = CredentialIssuer(generator or SecretsGenerator(), sealer)
        self._authorizer = CallAuthorizer(repository, tree)

    def __repr__(self) -> str:
        return f"<IntegrationService over {self.repository!r}>"

    # -- creating ---------------------------------------------------------------------------

    def save(self, form: IntegrationForm) -> CommandResult:
        """
        **Save**: create an inactive manual integration with its consumer credentials.

        Raises:
            IntegrationValidationError: Every problem with the form, including a name
                already taken (compared case-, width- and look-alike-insensitively).
            InvalidArgumentError: ``form`` is not an :class:`IntegrationForm`.

        Example:
            >>> from integration_core.testing.builders import sample_service
            >>> saved = sample_service().save(IntegrationForm(name="Shop Sync", email="ops@example.com"))
            >>> saved.integration.status.label, len(saved.integration.consumer.key), saved.integration.access
            ('Inactive', 32, None)
        """
        created = self._created(form)
        stored = self._add(created.integration)
        return CommandResult(stored, created.events)

    def save_and_activate(self, form: IntegrationForm) -> ActivationResult:
        """
        **Save & Activate**: :meth:`save`, then :meth:`activate`, returning both events.

        The integration is created already activated and stored by one write: it is
        stored active (or with its exchange started) or not at all, and a failed
        attempt leaves its name free for the next one.

        Raises:
            IntegrationValidationError: As :meth:`save`; nothing is created then.

        Example:
            >>> from integration_core.testing.builders import sample_service
            >>> activated = sample_service().save_and_activate(IntegrationForm(name="Shop Sync"))
            >>> activated.integration.status.label, [type(event).__name__ for event in activated.events]
            ('Active', ['IntegrationCreated', 'IntegrationActivated'])
        """
        created = self._created(form)
        activated = created.integration.activate(
            self.issuer, created.integration.created_at, self.settings
        )
        both = attrs.evolve(activated, events=created.events + activated.events)
        return self._activation(both, self._add)

    def _created(self, form: IntegrationForm) -> Transition[None]:
        clean = self._clean(form, SetupType.MANUAL, exclude_id=None)
        return Integration.create(clean, self.issuer, self.clock.now())

    def _add(self, integration: Integration) -> Integration:
        try:
            return self.repository.add(integration)
        except DuplicateNameError as error:
            raise _duplicate(error.name) from None

    # -- activating -------------------------------------------------------------------------

    def activate(self, integration_id: str) -> ActivationResult:
        """
        **Activate** an inactive or reset integration (see :meth:`Integration.activate`).

        Raises:
            IntegrationNotFoundError: No such integration.
            LifecycleError: It is already active (reauthorize it instead).

        Example:
            >>> from integration_core.testing.builders import sample_service
            >>> service = sample_service()
            >>> form = IntegrationForm(
            ...     name="ERP", callback_url="https://erp.example/cb", identity_link_url="https://erp.example/in"
            ... )
            >>> started = service.activate(service.save(form).integration.id)
            >>> started.uses_token_exchange, started.integration.status.label, started.exchange.callback_url
            (True, 'Inactive', 'https://erp.example/cb')
        """
        integration = self.repository.get(integration_id)
        return self._activation(
            integration.activate(self.issuer, self.clock.now(), self.settings),
            self.repository.save,
        )

    def reauthorize(self, integration_id: str) -> ActivationResult:
        """
        **Reauthorize**: new access credentials; the consumer key and secret stay.

        Raises:
            IntegrationNotFoundError: No such integration.

        Example:
            >>> from integration_core.testing.builders import sample_service
            >>> service = sample_service()
            >>> first = service.save_and_activate(IntegrationForm(name="Shop Sync"))
            >>> again = service.reauthorize(first.integration.id).credentials
            >>> again.consumer_key == first.credentials.consumer_key, again.access_token == first.credentials.access_token
            (True, False)
        """
        integration = self.repository.get(integration_id)
        return self._activation(
            integration.reauthorize(self.issuer, self.clock.now(), self.settings),
            self.repository.save,
        )

    def _activation(
        self,
        transition: Transition[IssuedCredentials | ExchangeInstructions],
        store: Callable[[Integration], Integration],
    ) -> ActivationResult:
        stored = store(transition.integration)
        issued = transition.issued
        if isinstance(issued, ExchangeInstructions):
            return ActivationResult(stored, transition.events, None, issued)
        return ActivationResult(stored, transition.events, issued, None)

    def request_token(self, consumer_key: str) -> TokenResult:
        """
        Exchange step 1 (``POST /oauth/token/request``): a request token for the consumer.

        The host verifies the OAuth signature (it can read the consumer secret from
        the integration) before calling this.

        Raises:
            TokenExchangeError: Unknown consumer key, no exchange pending, or
                "Consumer key has expired" (outside the consumer window).

        Example:
            >>> from integration_core.testing.builders import sample_service
            >>> service = sample_service()
            >>> form = IntegrationForm(
            ...     name="ERP", callback_url="https://erp.example/cb", identity_link_url="https://erp.example/in"
            ... )
            >>> consumer_key = service.save_and_activate(form).exchange.consumer_key
            >>> [type(event).__name__ for event in service.request_token(consumer_key).events]
            ['RequestTokenIssued']
        """
        integration = self._consumer(consumer_key)
        return self._token(
            integration.issue_request_token(self.issuer, self.clock.now(), self.settings)
        )

    def access_token(self, consumer_key: str, request_token: str, verifier: str) -> TokenResult:
        """
        Exchange step 2 (``POST /oauth/token/access``): the access token; the integration activates.

        Raises:
            TokenExchangeError: Unknown consumer key, no request token, or a wrong or
                expired request token.
            InvalidVerifierError: A wrong verifier; it is counted, and after
                :attr:`OAuthSettings.verifier_attempts` of them the exchange is void.

        Example:
            >>> from integration_core.testing.builders import sample_service
            >>> service = sample_service()
            >>> form = IntegrationForm(
            ...     name="ERP", callback_url="https://erp.example/cb", identity_link_url="https://erp.example/in"
            ... )
            >>> exchange = service.save_and_activate(form).exchange
            >>> request = service.request_token(exchange.consumer_key).token
            >>> result = service.access_token(exchange.consumer_key, request.token.reveal(), exchange.verifier.reveal())
            >>> result.integration.status.label, result.integration.access.matches(result.token.token.reveal())
            ('Active', True)
        """
        integration = self._consumer(consumer_key)
        now = self.clock.now()
        try:
            issued = integration.issue_access_token(
                request_token, verifier, self.issuer, now, self.settings
            )
        except InvalidVerifierError:
            # The attempt counts even though the step fails: guessing is bounded.
            self.repository.save(integration.reject_verifier(now, self.settings).integration)
            raise
        return self._token(issued)

    def _consumer(self, consumer_key: str) -> Integration:
        integration = self.repository.find_by_consumer_key(consumer_key)
        if integration is None:
            raise TokenExchangeError(_NO_CONSUMER)
        return integration

    def _token(self, transition: Transition[IssuedToken]) -> TokenResult:
        stored = self.repository.save(transition.integration)
        return TokenResult(stored, transition.events, transition.issued)

    # -- editing and deleting ---------------------------------------------------------------

    def edit(
        self, integration_id: str, form: IntegrationForm, *, version: int | None = None
    ) -> CommandResult:
        """
        **Edit** a manual integration: Info fields and permissions, applied at once.

        Status and tokens are untouched; permission changes need no reauthorization.
        An edit that changes nothing stores nothing and returns no events. When the
        service has a route map, the ``PermissionsChanged`` event says which routes the
        edit opens and closes (:func:`~integration_core.webapi.preview`).

        Args:
            integration_id: The integration.
            form: The whole form, as posted.
            version: The version the form was loaded at; a newer stored version
                raises instead of overwriting someone else's change.

        Raises:
            IntegrationNotFoundError: No such integration.
            ReadOnlyIntegrationError: It is a configuration integration.
            IntegrationValidationError: Every problem with the form.
            InvalidArgumentError: ``form`` is not an :class:`IntegrationForm`.
            ConcurrencyConflictError: ``version`` is stale.

        Example:
            >>> from integration_core.testing.builders import sample_service
            >>> service = sample_service()
            >>> saved = service.save(IntegrationForm(name="Shop")).integration
            >>> edited = service.edit(saved.id, IntegrationForm(name="Shop Sync"), version=saved.version)
            >>> edited.integration.name, edited.events[0].changes
            ('Shop Sync', (FieldChange(field='name', before='Shop', after='Shop Sync'),))
        """
        integration = self.repository.get(integration_id)
        integration.ensure_editable()
        _at_version(integration, version)
        clean = self._clean(form, SetupType.MANUAL, exclude_id=integration.id)
        edited = integration.edit(clean, self.tree, self.clock.now())
        if not edited.events:
            return CommandResult(integration, ())
        events = edited.events
        if self.routes is not None:
            impact = preview(self.routes, self.tree, integration.selection, clean.selection)
            events = tuple(
                attrs.evolve(event, routes=impact)
                if isinstance(event, PermissionsChanged)
                else event
                for event in events
            )
        try:
            stored = self.repository.save(edited.integration)
        except DuplicateNameError as error:
            raise _duplicate(error.name) from None
        return CommandResult(stored, events)

    def delete(self, integration_id: str, *, version: int | None = None) -> CommandResult:
        """
        **Delete** a manual integration with all its credentials.

        Raises:
            IntegrationNotFoundError: No such integration.
            ReadOnlyIntegrationError: It is a configuration integration.
            ConcurrencyConflictError: ``version`` is stale.

        Example:
            >>> from integration_core.testing.builders import sample_service
            >>> service = sample_service()
            >>> saved = service.save(IntegrationForm(name="Shop")).integration
            >>> service.delete(saved.id).events[0].name, service.repository.list()
            ('Shop', ())
        """
        integration = self.repository.get(integration_id)
        deleted = integration.delete(self.clock.now())
        _at_version(integration, version)
        self.repository.delete(integration.id, version=integration.version)
        self._authorizer.forget(integration.id)
        return CommandResult(integration, deleted.events)

    def validate(
        self, form: IntegrationForm, *, integration_id: str | None = None
    ) -> tuple[Problem, ...]:
        """
        **Check** a form without saving anything: every problem Save would report.

        With ``integration_id``, the problems Edit of that integration would report (its
        own name is not a duplicate). A form page can show them all next to their fields,
        together with the problems only a post can have
        (:meth:`FormPost.form <integration_core.integrations.FormPost.form>`).

        Raises:
            InvalidArgumentError: ``form`` is not an :class:`IntegrationForm`.

        Example:
            >>> from integration_core.testing.builders import sample_service
            >>> problems = sample_service().validate(IntegrationForm(name="", email="nope"))
            >>> [(problem.field, problem.code) for problem in problems]
            [('name', 'required'), ('email', 'invalid_email')]
        """
        return tuple(self._checked(form, SetupType.MANUAL, integration_id)[1])

    def _checked(
        self, form: IntegrationForm, setup_type: SetupType, exclude_id: str | None
    ) -> tuple[CleanForm, list[Problem]]:
        if not isinstance(form, IntegrationForm):
            raise InvalidArgumentError(
                "form", f"expected an IntegrationForm, got {type(form).__name__}"
            )
        clean, problems = clean_form(form, self.tree, setup_type=setup_type, policy=self.url_policy)
        # Only a name that passed its own checks is looked up: a store cannot hold the others.
        name_ok = not any(problem.field == "name" for problem in problems)
        if name_ok and self._name_taken(clean.name, exclude_id):
            problems.insert(0, _duplicate(clean.name).problems[0])
        return clean, problems

    def _clean(
        self, form: IntegrationForm, setup_type: SetupType, exclude_id: str | None
    ) -> CleanForm:
        clean, problems = self._checked(form, setup_type, exclude_id)
        if problems:
            raise IntegrationValidationError(problems)
        return clean

    def _name_taken(self, name: str, exclude_id: str | None) -> bool:
        try:
            holder = self.repository.get_by_name(name)
        except IntegrationNotFoundError:
            return False
        return holder.id != exclude_id

    # -- configuration ----------------------------------------------------------------------

    def sync_config(self, definitions: Iterable[ConfigIntegration]) -> SyncReport:
        """
        Sync configuration integrations: create new, leave unchanged, reset changed ones.

        Idempotent: a second sync of the same definitions changes nothing. A changed
        definition recreates the integration with new consumer credentials, no token
        and status ``RESET``. Configuration integrations no longer defined are
        reported in :attr:`SyncReport.orphaned`, not deleted.

        Raises:
            IntegrationValidationError: Every problem of every definition; nothing is
                changed then.
            InvalidArgumentError: ``definitions`` is not a collection.

        Example:
            >>> from integration_core.testing.builders import sample_service
            >>> service = sample_service()
            >>> erp = ConfigIntegration("ERP", "erp@example.com", resources=["sales"])
            >>> service.sync_config([erp]).created, service.sync_config([erp]).unchanged
            (('ERP',), ('ERP',))
        """
        sync = ConfigSync(self.repository, self.tree, self.clock, self.issuer, self.url_policy)
        return sync.apply(definitions)

    # -- calls ------------------------------------------------------------------------------

    def authorize(self, access_token: str, required: Iterable[str]) -> AuthorizationDecision:
        """
        **Authorize a call**: may this access token use a route requiring ``required``?

        Denied, with the reason, for an unknown token (a token that is no string is
        unknown too), an integration that is not active, or any required resource that
        is not allowed.

        Raises:
            UnknownResourceError: A required resource is not in the tree.
            InvalidArgumentError: ``required`` is not a collection of string ids.

        Example:
            >>> from integration_core import ResourceSelection
            >>> from integration_core.testing.builders import sample_service
            >>> service = sample_service()
            >>> form = IntegrationForm(name="Shop Sync", selection=ResourceSelection.all())
            >>> token = service.save_and_activate(form).credentials.access_token.reveal()
            >>> service.authorize(token, ["sales"]).allowed, service.authorize("forged", ["sales"]).message
            (True, 'The access token is not valid.')
        """
        return self._authorizer.authorize(access_token, required)

    def authorize_integration(
        self, integration: Integration, required: Iterable[str]
    ) -> AuthorizationDecision:
        """
        **Authorize a call** of an integration already read, without reading it again.

        The holder of a signed request's token was read to check its signature; this is the
        same decision as :meth:`authorize` on that read.

        Raises:
            UnknownResourceError: A required resource is not in the tree.
            InvalidArgumentError: ``required`` is not a collection of string ids.

        Example:
            >>> from integration_core import ResourceSelection
            >>> from integration_core.testing.builders import sample_service
            >>> service = sample_service()
            >>> form = IntegrationForm(name="Shop Sync", selection=ResourceSelection.all())
            >>> integration = service.save_and_activate(form).integration
            >>> service.authorize_integration(integration, ["sales"]).allowed
            True
        """
        return self._authorizer.decide(integration, required)


def _at_version(integration: Integration, version: int | None) -> Integration:
    """Refuse a stale version; return ``integration``."""
    if version is not None and version != integration.version:
        raise ConcurrencyConflictError(
            integration.id, expected_version=version, actual_version=integration.version
        )
    return integration


def _duplicate(name: str) -> IntegrationValidationError:
    return IntegrationValidationError(
        [Problem("name", "duplicate", f'The integration with name "{name}" exists.')]
    )

"""The application service: the admin screen's commands over a repository."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from integration_core._authorization import AuthorizationDecision, CallAuthorizer
from integration_core._clock import Clock
from integration_core._config_integrations import ConfigIntegration, ConfigSync, SyncReport
from integration_core._credentials import CredentialGenerator, IssuedToken, SecretsGenerator
from integration_core._events import (
    Event,
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
from integration_core._form import CleanForm, IntegrationForm, clean_form
from integration_core._integration import Integration, IntegrationStatus, SetupType
from integration_core._oauth import (
    ExchangeInstructions,
    IssuedCredentials,
    OAuthSettings,
    activate_directly,
    issue_access_token,
    issue_request_token,
    start_exchange,
)
from integration_core._repository import IntegrationRepository
from integration_core._tree import AclTree
from integration_core._validation import UrlPolicy
from integration_core.errors import (
    ConcurrencyConflictError,
    DuplicateNameError,
    IntegrationNotFoundError,
    IntegrationValidationError,
    LifecycleError,
    Problem,
    ReadOnlyIntegrationError,
)

__all__ = ["ActivationResult", "CommandResult", "IntegrationService", "TokenResult"]

_INFO_FIELDS = ("name", "email", "callback_url", "identity_link_url")
CANNOT_EDIT = "The integrations created in the config file can't be edited."


@attrs.frozen
class CommandResult:
    """
    What a command did: the integration afterwards (as it was, for a delete) and the events.

    Example:
        >>> from integration_core.testing.contract import sample_integration
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
        >>> from integration_core.testing.contract import sample_integration
        >>> ActivationResult(sample_integration(), (), None, None).uses_token_exchange
        False
    """

    integration: Integration
    events: tuple[Event, ...]
    credentials: IssuedCredentials | None
    exchange: ExchangeInstructions | None

    @property
    def uses_token_exchange(self) -> bool:
        """Whether the OAuth exchange was started (Magento's ``isTokenExchange``)."""
        return self.exchange is not None


@attrs.frozen
class TokenResult:
    """
    A token issued by a step of the OAuth exchange, returned once to the consumer.

    Example:
        >>> from integration_core import Secret
        >>> from integration_core.testing.contract import sample_integration
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
    credential and id from ``generator``; storage is ``repository``. Commands read,
    change and save with the version they read, so a concurrent change makes them
    fail with :class:`~integration_core.errors.ConcurrencyConflictError` rather than
    lose an update.

    Args:
        repository: Where integrations live.
        tree: The ACL tree selections are checked and compiled against.
        clock: The time.
        settings: The host's OAuth settings (base URL, success callback, window).
        generator: Source of credentials and ids (default: :mod:`secrets`).
        url_policy: :attr:`UrlPolicy.STRICT` refuses non-HTTPS URLs except loopback.

    Example:
        >>> from datetime import UTC, datetime
        >>> from integration_core import AclTree, InMemoryIntegrationRepository, ManualClock
        >>> service = IntegrationService(
        ...     InMemoryIntegrationRepository(), AclTree.from_data([{"id": "sales"}]),
        ...     ManualClock(datetime(2024, 1, 1, tzinfo=UTC)),
        ...     OAuthSettings("https://shop.example/", "https://shop.example/admin/ok"),
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
        generator: CredentialGenerator | None = None,
        url_policy: UrlPolicy = UrlPolicy.STANDARD,
    ) -> None:
        self.repository = repository
        self.tree = tree
        self.clock = clock
        self.settings = settings
        self.url_policy = url_policy
        self._generator: CredentialGenerator = generator or SecretsGenerator()
        self._authorizer = CallAuthorizer(repository, tree)

    def __repr__(self) -> str:
        return f"<IntegrationService over {self.repository!r}>"

    # -- creating ---------------------------------------------------------------------------

    def save(self, form: IntegrationForm) -> CommandResult:
        """
        **Save**: create an inactive manual integration with its consumer credentials.

        Raises:
            IntegrationValidationError: Every problem with the form, including a name
                already taken (compared case- and width-insensitively).
        """
        clean = self._clean(form, SetupType.MANUAL, exclude_id=None)
        stored = self._add(clean.create(self._generator, self.clock.now()))
        event = IntegrationCreated(stored.id, stored.created_at, stored.name, SetupType.MANUAL)
        return CommandResult(stored, (event,))

    def save_and_activate(self, form: IntegrationForm) -> ActivationResult:
        """
        **Save & Activate**: :meth:`save`, then :meth:`activate`, returning both events.

        Raises:
            IntegrationValidationError: As :meth:`save`; nothing is created then.
        """
        saved = self.save(form)
        activated = self.activate(saved.integration.id)
        return attrs.evolve(activated, events=saved.events + activated.events)

    def _add(self, integration: Integration) -> Integration:
        try:
            return self.repository.add(integration)
        except DuplicateNameError as error:
            raise _duplicate(error.name) from None

    # -- activating -------------------------------------------------------------------------

    def activate(self, integration_id: str) -> ActivationResult:
        """
        **Activate** an inactive or reset integration.

        With both a callback URL and an identity link URL the OAuth exchange starts
        (the integration stays inactive); otherwise tokens are issued directly and it
        becomes active. Activating again while an exchange is pending restarts it.

        Raises:
            IntegrationNotFoundError: No such integration.
            LifecycleError: It is already active (reauthorize it instead).
        """
        integration = self.repository.get(integration_id)
        if integration.status is IntegrationStatus.ACTIVE:
            raise LifecycleError(
                integration_id, "the integration is already active; reauthorize it instead"
            )
        return self._authorize_access(integration, reauthorizing=False)

    def reauthorize(self, integration_id: str) -> ActivationResult:
        """
        **Reauthorize**: new access credentials; the consumer key and secret stay.

        On the exchange path the old token stops working and the integration is
        inactive until the new exchange completes.

        Raises:
            IntegrationNotFoundError: No such integration.
        """
        return self._authorize_access(self.repository.get(integration_id), reauthorizing=True)

    def _authorize_access(
        self, integration: Integration, *, reauthorizing: bool
    ) -> ActivationResult:
        now = self.clock.now()
        events: list[Event] = []
        if reauthorizing:
            events.append(IntegrationReauthorized(integration.id, now))
        if integration.uses_token_exchange:
            changed, instructions = start_exchange(integration, self._generator, now, self.settings)
            stored = self.repository.save(changed)
            events.append(TokenExchangeStarted(stored.id, now, stored.consumer.key))
            return ActivationResult(stored, tuple(events), None, instructions)
        changed, credentials = activate_directly(integration, self._generator, now)
        stored = self.repository.save(changed)
        events.append(IntegrationActivated(stored.id, now, via_exchange=False))
        return ActivationResult(stored, tuple(events), credentials, None)

    def request_token(self, consumer_key: str) -> TokenResult:
        """
        Exchange step 1 (``POST /oauth/token/request``): a request token for the consumer.

        The host verifies the OAuth signature (it can read the consumer secret from
        the integration) before calling this.

        Raises:
            TokenExchangeError: Unknown consumer key, no exchange pending, or
                "Consumer key has expired" (outside the consumer window).
        """
        now = self.clock.now()
        integration = self.repository.find_by_consumer_key(consumer_key)
        changed, token = issue_request_token(
            integration, self._generator, now, self.settings.consumer_window
        )
        stored = self.repository.save(changed)
        return TokenResult(stored, (RequestTokenIssued(stored.id, now),), token)

    def access_token(self, consumer_key: str, request_token: str, verifier: str) -> TokenResult:
        """
        Exchange step 2 (``POST /oauth/token/access``): the access token; the integration activates.

        Raises:
            TokenExchangeError: Unknown consumer key, no request token, or a wrong
                request token or verifier.
        """
        now = self.clock.now()
        integration = self.repository.find_by_consumer_key(consumer_key)
        changed, token = issue_access_token(
            integration, request_token, verifier, self._generator, now
        )
        stored = self.repository.save(changed)
        return TokenResult(
            stored, (IntegrationActivated(stored.id, now, via_exchange=True),), token
        )

    # -- editing and deleting ---------------------------------------------------------------

    def edit(
        self, integration_id: str, form: IntegrationForm, *, version: int | None = None
    ) -> CommandResult:
        """
        **Edit** a manual integration: Info fields and permissions, applied at once.

        Status and tokens are untouched; permission changes need no reauthorization.
        An edit that changes nothing stores nothing and returns no events.

        Args:
            integration_id: The integration.
            form: The whole form, as posted.
            version: The version the form was loaded at; a newer stored version
                raises instead of overwriting someone else's change.

        Raises:
            IntegrationNotFoundError: No such integration.
            ReadOnlyIntegrationError: It is a configuration integration.
            IntegrationValidationError: Every problem with the form.
            ConcurrencyConflictError: ``version`` is stale.
        """
        integration = _writable(self.repository.get(integration_id), version, CANNOT_EDIT)
        clean = self._clean(form, SetupType.MANUAL, exclude_id=integration.id)
        now = self.clock.now()
        changes = tuple(
            FieldChange(field, getattr(integration, field), getattr(clean, field))
            for field in _INFO_FIELDS
            if getattr(integration, field) != getattr(clean, field)
        )
        diff = integration.selection.diff(clean.selection, self.tree)
        if not changes and clean.selection == integration.selection:
            return CommandResult(integration, ())
        changed = attrs.evolve(
            integration,
            name=clean.name,
            email=clean.email,
            callback_url=clean.callback_url,
            identity_link_url=clean.identity_link_url,
            selection=clean.selection,
            updated_at=now,
        )
        try:
            stored = self.repository.save(changed)
        except DuplicateNameError as error:
            raise _duplicate(error.name) from None
        events: list[Event] = []
        if changes:
            events.append(IntegrationUpdated(stored.id, now, changes))
        if diff.changed:
            events.append(PermissionsChanged(stored.id, now, diff))
        return CommandResult(stored, tuple(events))

    def delete(self, integration_id: str, *, version: int | None = None) -> CommandResult:
        """
        **Delete** a manual integration with all its credentials.

        Raises:
            IntegrationNotFoundError: No such integration.
            ReadOnlyIntegrationError: It is a configuration integration.
            ConcurrencyConflictError: ``version`` is stale.
        """
        integration = self.repository.get(integration_id)
        reason = f"Uninstall the extension to remove integration '{integration.name}'."
        _writable(integration, version, reason)
        self.repository.delete(integration.id, version=integration.version)
        self._authorizer.forget(integration.id)
        event = IntegrationDeleted(integration.id, self.clock.now(), integration.name)
        return CommandResult(integration, (event,))

    def _clean(
        self, form: IntegrationForm, setup_type: SetupType, exclude_id: str | None
    ) -> CleanForm:
        clean, problems = clean_form(form, self.tree, setup_type=setup_type, policy=self.url_policy)
        if clean.name and self._name_taken(clean.name, exclude_id):
            problems.insert(0, _duplicate(clean.name).problems[0])
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
        """
        sync = ConfigSync(self.repository, self.tree, self.clock, self._generator, self.url_policy)
        return sync.apply(definitions)

    # -- calls ------------------------------------------------------------------------------

    def authorize(self, access_token: str, required: Iterable[str]) -> AuthorizationDecision:
        """
        **Authorize a call**: may this access token use a route requiring ``required``?

        Denied, with the reason, for an unknown token, an integration that is not
        active, or any required resource that is not allowed.

        Raises:
            UnknownResourceError: A required resource is not in the tree.
        """
        return self._authorizer.authorize(access_token, required)


def _writable(integration: Integration, version: int | None, refusal: str) -> Integration:
    """Refuse configuration integrations and stale versions; return ``integration``."""
    if integration.setup_type is SetupType.CONFIG:
        raise ReadOnlyIntegrationError(integration.id, refusal)
    if version is not None and version != integration.version:
        raise ConcurrencyConflictError(
            integration.id, expected_version=version, actual_version=integration.version
        )
    return integration


def _duplicate(name: str) -> IntegrationValidationError:
    return IntegrationValidationError(
        [Problem("name", "duplicate", f'The integration with name "{name}" exists.')]
    )

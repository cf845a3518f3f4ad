"""The Integration aggregate: an immutable value; every change produces a new one."""

from __future__ import annotations

import enum
import unicodedata
from datetime import datetime
from urllib.parse import urlsplit

import attrs

from integration_core._credentials import ConsumerCredentials, Secret, StoredToken
from integration_core._selection import ResourceSelection

__all__ = ["Integration", "IntegrationStatus", "PendingExchange", "SetupType", "name_key"]


class IntegrationStatus(enum.Enum):
    """
    Where an integration is in its lifecycle (Magento's status column, 0/1/2).

    ``RESET`` is Magento's "Reset" (``STATUS_RECREATED``): a configuration
    integration recreated with new credentials because its definition changed.

    Example:
        >>> IntegrationStatus.ACTIVE.label, IntegrationStatus.RESET.value
        ('Active', 2)
    """

    INACTIVE = 0
    ACTIVE = 1
    RESET = 2

    @property
    def label(self) -> str:
        """
        The label Magento's grid shows.

        Example:
            >>> IntegrationStatus.INACTIVE.label
            'Inactive'
        """
        return self.name.capitalize()


class SetupType(enum.Enum):
    """
    How an integration was declared: on the admin screen or in configuration.

    Example:
        >>> SetupType.CONFIG.value
        1
    """

    MANUAL = 0
    CONFIG = 1


def name_key(name: str) -> str:
    r"""
    The form in which names are compared for uniqueness: NFKC, casefolded, NFKC again.

    This is how Magento's case-insensitive database collation effectively compares
    names, extended to full-width and compatibility characters.

    Example:
        >>> name_key("Shop Sync") == name_key("SHOP sync") == name_key("\uff33hop \uff33ync")
        True
        >>> name_key("Straße") == name_key("STRASSE")
        True
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


@attrs.frozen
class PendingExchange:
    """
    An OAuth token exchange in progress: the verifier posted to the callback URL.

    Attributes:
        verifier: The ``oauth_verifier`` the third party must present for the access token.
        started_at: When the activation started it; the consumer may request a token
            only within the consumer window after this.
        request_token: Digests of the request token once issued, else ``None``.

    Example:
        >>> from datetime import UTC, datetime
        >>> PendingExchange(Secret("v" * 32), datetime(2024, 1, 1, tzinfo=UTC))
        PendingExchange(verifier=Secret('********'), started_at=datetime.datetime(2024, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), request_token=None)
    """

    verifier: Secret
    started_at: datetime
    request_token: StoredToken | None = None


@attrs.frozen
class Integration:
    """
    One integration as the admin screen manages it.

    An immutable value: :func:`attrs.evolve` and the service's commands produce new
    values. Secrets never print; the access token is held only as a digest.

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
        access: Digests of its access token and token secret, once issued.
        exchange: The OAuth exchange in progress, if any.
        created_at: When it was created (timezone-aware).
        updated_at: When it last changed (timezone-aware).
        version: ``0`` until a repository stores it; each stored change adds one.

    Example:
        >>> from datetime import UTC, datetime
        >>> from integration_core import ResourceSelection
        >>> when = datetime(2024, 1, 1, tzinfo=UTC)
        >>> integration = Integration(
        ...     id="i-1", name="Shop Sync", email=None, callback_url="http://shop.example/cb",
        ...     identity_link_url=None, status=IntegrationStatus.INACTIVE,
        ...     setup_type=SetupType.MANUAL, selection=ResourceSelection.all(),
        ...     consumer=ConsumerCredentials("k" * 32, Secret("s" * 32)),
        ...     created_at=when, updated_at=when,
        ... )
        >>> integration.not_secure, integration.uses_token_exchange, integration.version
        (True, False, 0)
        >>> "s" * 32 in repr(integration)
        False
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
            >>> from integration_core.testing.contract import sample_integration
            >>> sample_integration(name="\uff33hop").name_key
            'shop'
        """
        return name_key(self.name)

    @property
    def uses_token_exchange(self) -> bool:
        """
        Whether activation runs the OAuth exchange: only when both URLs are set.

        Example:
            >>> from integration_core.testing.contract import sample_integration
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
            >>> from integration_core.testing.contract import sample_integration
            >>> sample_integration().not_secure
            False
        """
        return any(
            url is not None and urlsplit(url).scheme.lower() == "http"
            for url in (self.callback_url, self.identity_link_url)
        )

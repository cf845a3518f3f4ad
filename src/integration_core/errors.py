"""
The one hierarchy of errors that integration-core raises.

Every error derives from :class:`IntegrationCoreError`; the specific ones also derive
from the builtin they mean (``ValueError`` for bad input, ``LookupError`` for
something that is not there), so callers can catch either.

Example:
    >>> from integration_core.errors import IntegrationCoreError, UnknownResourceError
    >>> issubclass(UnknownResourceError, LookupError)
    True
    >>> issubclass(UnknownResourceError, IntegrationCoreError)
    True
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "AclDefinitionError",
    "AclTreeMismatchError",
    "ConcurrencyConflictError",
    "CredentialFormatError",
    "DuplicateIdentityError",
    "DuplicateNameError",
    "IntegrationConfigError",
    "IntegrationCoreError",
    "IntegrationNotFoundError",
    "IntegrationValidationError",
    "InvalidArgumentError",
    "InvalidSelectionError",
    "InvalidVerifierError",
    "LifecycleError",
    "Problem",
    "ReadOnlyIntegrationError",
    "RouteDefinitionError",
    "SealingError",
    "StorageUnavailableError",
    "StoredDataError",
    "TokenExchangeError",
    "UnknownResourceError",
    "UnknownRouteError",
]


def __dir__() -> list[str]:
    return sorted(__all__)


class IntegrationCoreError(Exception):
    """
    Root of every error integration-core raises.

    Example:
        >>> try:
        ...     raise IntegrationCoreError("something went wrong")
        ... except IntegrationCoreError as error:
        ...     print(error)
        something went wrong
    """


class AclDefinitionError(IntegrationCoreError, ValueError):
    """
    An ACL tree definition (nested data, flat records or ``acl.xml``) is invalid.

    Attributes:
        resource_id: The offending resource id, or ``None`` when the problem is not
            tied to one id (malformed XML, wrong top-level type).
        source: Where the problem was found: the document name and a path such as
            ``"Backend.xml: /config/acl/resources/resource[2]"`` or ``"data[0].children[3]"``.
        reason: The problem, without the location.

    Example:
        >>> from integration_core import AclTree
        >>> AclTree.from_data([{"id": "a"}, {"id": "a"}])
        Traceback (most recent call last):
            ...
        integration_core.errors.AclDefinitionError: data[1]: duplicate resource id 'a' (first declared at data[0])
    """

    def __init__(self, reason: str, *, resource_id: str | None = None, source: str = "") -> None:
        self.reason = reason
        self.resource_id = resource_id
        self.source = source
        super().__init__(f"{source}: {reason}" if source else reason)


class UnknownResourceError(IntegrationCoreError, LookupError):
    """
    One or more resource ids are not in the ACL tree.

    Attributes:
        resource_ids: The unknown ids, sorted.

    Example:
        >>> from integration_core import AclTree
        >>> AclTree.from_data([{"id": "a"}])["b"]
        Traceback (most recent call last):
            ...
        integration_core.errors.UnknownResourceError: unknown resource id: 'b'
    """

    def __init__(self, resource_ids: Iterable[str]) -> None:
        self.resource_ids: tuple[str, ...] = tuple(sorted(set(resource_ids)))
        noun = "id" if len(self.resource_ids) == 1 else "ids"
        listed = ", ".join(repr(resource_id) for resource_id in self.resource_ids)
        super().__init__(f"unknown resource {noun}: {listed}")

    def __str__(self) -> str:
        return str(self.args[0])


class InvalidSelectionError(IntegrationCoreError, ValueError):
    """
    Serialized resource-selection data is malformed.

    Attributes:
        field: The offending key of the data, such as ``"mode"`` or ``"allow"``.

    Example:
        >>> from integration_core import ResourceSelection
        >>> ResourceSelection.from_data({"mode": "some"})
        Traceback (most recent call last):
            ...
        integration_core.errors.InvalidSelectionError: mode: expected 'all' or 'custom', got 'some'
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class InvalidArgumentError(IntegrationCoreError, TypeError):
    """
    An argument of a call has the wrong type, such as ``None`` where resource ids are required.

    Attributes:
        field: The offending argument.
        reason: What was expected and what came.

    Example:
        >>> print(InvalidArgumentError("required", "expected a collection of resource ids, got None"))
        required: expected a collection of resource ids, got None
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class Problem:
    """
    One problem found while validating a form or a definition.

    Attributes:
        field: The offending field, such as ``"name"`` or ``"integrations[1].email"``.
        code: A stable machine-readable code, such as ``"required"`` or ``"too_long"``.
        message: A sentence for people.

    Example:
        >>> Problem("name", "required", "Name is required.")
        Problem(field='name', code='required', message='Name is required.')
    """

    __slots__ = ("code", "field", "message")

    def __init__(self, field: str, code: str, message: str) -> None:
        self.field = field
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"Problem(field={self.field!r}, code={self.code!r}, message={self.message!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return (self.field, self.code, self.message) == (other.field, other.code, other.message)

    def __hash__(self) -> int:
        return hash((self.field, self.code, self.message))


class IntegrationValidationError(IntegrationCoreError, ValueError):
    """
    A form or a definition has problems; every problem found is listed at once.

    Attributes:
        problems: The problems, in field order.

    Example:
        >>> error = IntegrationValidationError([Problem("name", "required", "Name is required.")])
        >>> print(error)
        name: Name is required.
        >>> error.problems[0].code
        'required'
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in self.problems))

    @property
    def fields(self) -> tuple[str, ...]:
        """
        The offending fields, each once, in order.

        Example:
            >>> IntegrationValidationError([Problem("email", "invalid", "Bad.")]).fields
            ('email',)
        """
        return tuple(dict.fromkeys(problem.field for problem in self.problems))


class DuplicateIdentityError(IntegrationCoreError, ValueError):
    """
    A repository already holds another integration with this identity, name or credential.

    Attributes:
        field: ``"id"``, ``"name"``, ``"consumer_key"`` or ``"access_token"``.

    Example:
        >>> print(DuplicateIdentityError("id", "an integration with this id exists"))
        id: an integration with this id exists
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class DuplicateNameError(DuplicateIdentityError):
    """
    Another integration already has this name (compared case-, width- and look-alike-insensitively).

    Attributes:
        name: The name that was refused.

    Example:
        >>> print(DuplicateNameError("Shop Sync"))
        name: The integration with name "Shop Sync" exists.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__("name", f'The integration with name "{name}" exists.')


class IntegrationNotFoundError(IntegrationCoreError, LookupError):
    """
    No integration has this id (or name).

    Attributes:
        key: The id or name that was looked up.

    Example:
        >>> print(IntegrationNotFoundError("42"))
        The integration with ID "42" doesn't exist.
    """

    def __init__(self, key: str, *, field: str = "id") -> None:
        self.key = key
        self.field = field
        label = "ID" if field == "id" else field
        super().__init__(f'The integration with {label} "{key}" doesn\'t exist.')

    def __str__(self) -> str:
        return str(self.args[0])


class ConcurrencyConflictError(IntegrationCoreError):
    """
    A save or delete was based on a stale version; nothing was changed.

    Attributes:
        integration_id: The integration concerned.
        expected_version: The version the caller based its change on.
        actual_version: The version the repository holds.

    Example:
        >>> print(ConcurrencyConflictError("42", expected_version=3, actual_version=4))
        integration '42' was changed concurrently: expected version 3, found 4
    """

    def __init__(self, integration_id: str, *, expected_version: int, actual_version: int) -> None:
        self.integration_id = integration_id
        self.expected_version = expected_version
        self.actual_version = actual_version
        super().__init__(
            f"integration {integration_id!r} was changed concurrently: "
            f"expected version {expected_version}, found {actual_version}"
        )


class StorageUnavailableError(IntegrationCoreError):
    """
    The storage behind a repository failed; an adapter translates its driver errors to this.

    Example:
        >>> print(StorageUnavailableError("database is locked"))
        database is locked
    """


class StoredDataError(StorageUnavailableError):
    """
    A stored integration cannot be read back: a column holds a value this library never writes.

    A row written by something else, or damaged, is reported rather than half-read.

    Attributes:
        integration_id: The id of the row.
        column: The column that cannot be decoded.
        reason: Why, without the value (it may be a secret).

    Example:
        >>> print(StoredDataError("42", "status", "not an integration status"))
        integration '42': column status cannot be read: not an integration status
    """

    def __init__(self, integration_id: str, column: str, reason: str) -> None:
        self.integration_id = integration_id
        self.column = column
        self.reason = reason
        super().__init__(
            f"integration {integration_id!r}: column {column} cannot be read: {reason}"
        )


class ReadOnlyIntegrationError(IntegrationCoreError, PermissionError):
    """
    Configuration integrations cannot be edited or deleted from the admin screen.

    Attributes:
        integration_id: The integration concerned.
        reason: Magento's message.

    Example:
        >>> print(ReadOnlyIntegrationError("42", "The integrations created in the config file can't be edited."))
        The integrations created in the config file can't be edited.
    """

    def __init__(self, integration_id: str, reason: str) -> None:
        self.integration_id = integration_id
        self.reason = reason
        super().__init__(reason)

    def __str__(self) -> str:
        return self.reason


class LifecycleError(IntegrationCoreError, ValueError):
    """
    A lifecycle command does not apply to the integration in its current state.

    Attributes:
        integration_id: The integration concerned.
        reason: Why the command was refused.

    Example:
        >>> print(LifecycleError("42", "the integration is already active; reauthorize it instead"))
        integration '42': the integration is already active; reauthorize it instead
    """

    def __init__(self, integration_id: str, reason: str) -> None:
        self.integration_id = integration_id
        self.reason = reason
        super().__init__(f"integration {integration_id!r}: {reason}")


class TokenExchangeError(IntegrationCoreError, PermissionError):
    """
    A step of the OAuth token exchange was refused; the message never contains a secret.

    Attributes:
        reason: Why, in Magento's words where it has them (``"Consumer key has expired"``).

    Example:
        >>> print(TokenExchangeError("Consumer key has expired"))
        Consumer key has expired
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)

    def __str__(self) -> str:
        return self.reason


class InvalidVerifierError(TokenExchangeError):
    """
    The ``oauth_verifier`` presented for the access token is wrong; each one is counted.

    After :attr:`~integration_core.OAuthSettings.verifier_attempts` wrong verifiers the
    pending exchange is void and the admin must activate again.

    Example:
        >>> print(InvalidVerifierError("Verifier is invalid"))
        Verifier is invalid
    """


class SealingError(IntegrationCoreError, ValueError):
    """
    A secret could not be sealed or opened: no key with its id, or a wrong or tampered one.

    Nothing is changed when it is raised; the message names the key id, never a secret.

    Attributes:
        key_id: The id of the key the sealed value names, or ``None`` when it names none.

    Example:
        >>> print(SealingError("no key with this id", key_id="2024-01"))
        sealed secret (key '2024-01'): no key with this id
    """

    def __init__(self, reason: str, *, key_id: str | None = None) -> None:
        self.key_id = key_id
        self.reason = reason
        where = "sealed secret" if key_id is None else f"sealed secret (key {key_id!r})"
        super().__init__(f"{where}: {reason}")


class CredentialFormatError(IntegrationCoreError, ValueError):
    """
    A credential generator produced something that is not 32 characters of ``[0-9a-z]``.

    The offending value is not included: it may be a secret.

    Example:
        >>> print(CredentialFormatError(7))
        generated credential must be 32 characters of [0-9a-z], got 7 characters
    """

    def __init__(self, length: int) -> None:
        self.length = length
        super().__init__(
            f"generated credential must be 32 characters of [0-9a-z], got {length} characters"
        )


class IntegrationConfigError(IntegrationCoreError, ValueError):
    """
    An ``integration.xml`` document (or configuration data) cannot be read.

    Attributes:
        source: The document name and element path.
        reason: The problem, without the location.

    Example:
        >>> print(IntegrationConfigError("integration.xml", "malformed XML at line 1"))
        integration.xml: malformed XML at line 1
    """

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class RouteDefinitionError(IntegrationCoreError, ValueError):
    """
    A web API route definition (``webapi.xml`` or plain data) is invalid.

    Attributes:
        reason: The problem, without the location.
        route: The route as ``"METHOD /url"``, or ``None`` when the problem is not tied
            to one route (malformed XML, a wrong top-level type).
        source: Where the problem was found: the document name and an element path
            such as ``"Catalog.xml: /routes[1]/route[3]"``, or a data path such as
            ``"data[2].url"``.

    Example:
        >>> print(RouteDefinitionError("unknown method 'FETCH'", route="FETCH /V1/x", source="data[0]"))
        data[0]: FETCH /V1/x: unknown method 'FETCH'
    """

    def __init__(self, reason: str, *, route: str | None = None, source: str = "") -> None:
        self.reason = reason
        self.route = route
        self.source = source
        located = f"{route}: {reason}" if route else reason
        super().__init__(f"{source}: {located}" if source else located)


class UnknownRouteError(IntegrationCoreError, LookupError):
    """
    No route of the route map has this method and URL template.

    Attributes:
        method: The HTTP method asked for.
        url: The URL template asked for, such as ``"/V1/products/:sku"``.

    Example:
        >>> print(UnknownRouteError("GET", "/V1/nothing"))
        no route GET /V1/nothing
    """

    def __init__(self, method: str, url: str) -> None:
        self.method = method
        self.url = url
        super().__init__(f"no route {method} {url}")

    def __str__(self) -> str:
        return str(self.args[0])


class AclTreeMismatchError(IntegrationCoreError, ValueError):
    """
    A stored selection was decided on the other shape of the Magento tree than the one it is checked on.

    The full merged tree holds ``Magento_Backend::admin``; the screen's tree
    (``subtree(MAGENTO_ADMIN)``) is what is under it. Checked on the other shape, the
    selection would quietly allow less: it is refused instead (see "Which tree" in the
    docs).

    Attributes:
        integration_id: The integration whose selection it is.
        decided_on: The shape it was decided on, in words.

    Example:
        >>> print(AclTreeMismatchError("i-1", "the full Magento tree"))
        integration 'i-1': its selection was decided on the full Magento tree, not on the tree it is checked on; give the service the tree its selections were made on, or save them again on this one
    """

    def __init__(self, integration_id: str, decided_on: str) -> None:
        self.integration_id = integration_id
        self.decided_on = decided_on
        super().__init__(
            f"integration {integration_id!r}: its selection was decided on {decided_on}, "
            "not on the tree it is checked on; give the service the tree its selections "
            "were made on, or save them again on this one"
        )

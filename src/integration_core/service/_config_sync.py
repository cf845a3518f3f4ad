"""Syncing configuration integrations: create new, leave unchanged, reset changed ones."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from integration_core.acl import AclTree
from integration_core.credentials import CredentialIssuer
from integration_core.errors import (
    IntegrationNotFoundError,
    IntegrationValidationError,
    InvalidArgumentError,
    Problem,
    UnknownResourceError,
)
from integration_core.events import Event
from integration_core.integrations import (
    ConfigIntegration,
    Integration,
    IntegrationForm,
    SetupType,
    UrlPolicy,
    name_key,
)
from integration_core.integrations._form import CleanForm, clean_form
from integration_core.integrations._validation import unknown_resources
from integration_core.ports import Clock, IntegrationRepository
from integration_core.selection import ResourceSelection

__all__ = ["ConfigSync", "SyncReport"]


@attrs.frozen
class SyncReport:
    """
    What a configuration sync did, by integration name, with the events it caused.

    Example:
        >>> SyncReport((), ("ERP",), (), (), ()).unchanged
        ('ERP',)
    """

    created: tuple[str, ...]
    unchanged: tuple[str, ...]
    reset: tuple[str, ...]
    orphaned: tuple[str, ...]
    events: tuple[Event, ...]


@attrs.define
class ConfigSync:
    """
    Applies configuration definitions to a repository; use it through the service.

    Example:
        >>> from datetime import UTC, datetime
        >>> from integration_core import AclTree, InMemoryIntegrationRepository, ManualClock
        >>> from integration_core.testing.builders import sample_issuer
        >>> sync = ConfigSync(InMemoryIntegrationRepository(), AclTree.from_data([{"id": "a"}]),
        ...                   ManualClock(datetime(2024, 1, 1, tzinfo=UTC)), sample_issuer())
        >>> sync.apply([]).created
        ()
    """

    repository: IntegrationRepository
    tree: AclTree
    clock: Clock
    issuer: CredentialIssuer
    policy: UrlPolicy = UrlPolicy.STANDARD

    def apply(self, definitions: Iterable[ConfigIntegration]) -> SyncReport:
        """
        Check every definition, then create, leave or reset each integration.

        The changes are one unit of work (:meth:`IntegrationRepository.atomic
        <integration_core.IntegrationRepository.atomic>`): stored all together, or none
        of them when a write fails.

        Raises:
            IntegrationValidationError: Every problem of every definition, with fields
                such as ``integrations[1].email``; nothing is changed then.
            StorageUnavailableError: The storage failed; nothing is changed then.
        """
        cleaned = self.check(definitions)
        with self.repository.atomic():
            return self._applied(cleaned)

    def _applied(self, cleaned: list[CleanForm]) -> SyncReport:
        created: list[str] = []
        unchanged: list[str] = []
        reset: list[str] = []
        events: list[Event] = []
        for clean in cleaned:
            existing = self._find(clean.name)
            now = self.clock.now()
            if existing is None:
                transition = Integration.create(
                    clean, self.issuer, now, setup_type=SetupType.CONFIG
                )
                stored = self.repository.add(transition.integration)
                created.append(stored.name)
                events.extend(transition.events)
                continue
            transition = existing.recreate(clean, self.tree, self.issuer, now)
            if not transition.events:
                unchanged.append(existing.name)
                continue
            stored = self.repository.save(transition.integration)
            reset.append(stored.name)
            events.extend(transition.events)
        keys = {name_key(clean.name) for clean in cleaned}
        orphaned = tuple(
            integration.name
            for integration in self.repository.list()
            if integration.setup_type is SetupType.CONFIG and integration.name_key not in keys
        )
        return SyncReport(tuple(created), tuple(unchanged), tuple(reset), orphaned, tuple(events))

    def check(self, definitions: Iterable[ConfigIntegration]) -> list[CleanForm]:
        """
        Every definition cleaned, or one error listing every problem.

        Raises:
            IntegrationValidationError: As :meth:`apply`.
            InvalidArgumentError: ``definitions`` is not a collection.
        """
        given: object = definitions
        if isinstance(given, str | bytes) or not isinstance(given, Iterable):
            raise InvalidArgumentError(
                "definitions",
                f"expected a collection of ConfigIntegration, got {type(definitions).__name__}",
            )
        problems: list[Problem] = []
        cleaned: list[CleanForm] = []
        seen: set[str] = set()
        for index, definition in enumerate(definitions):
            prefix = f"integrations[{index}]."
            if not isinstance(definition, ConfigIntegration):
                got = type(definition).__name__
                problems.append(
                    Problem(
                        f"integrations[{index}]",
                        "invalid_type",
                        f"Expected a ConfigIntegration, got {got}.",
                    )
                )
                continue
            try:
                selection = definition.selection(self.tree)
            except UnknownResourceError as error:
                problems.append(unknown_resources(f"{prefix}resources", error.resource_ids))
                selection = ResourceSelection.custom(self.tree)
            form = IntegrationForm(
                name=definition.name,
                email=definition.email,
                callback_url=definition.endpoint_url,
                identity_link_url=definition.identity_link_url,
                selection=selection,
            )
            clean, found = clean_form(
                form, self.tree, setup_type=SetupType.CONFIG, policy=self.policy, prefix=prefix
            )
            problems.extend(found)
            key = name_key(clean.name)
            if clean.name and key in seen:
                problems.append(
                    Problem(
                        f"{prefix}name",
                        "duplicate",
                        f'The integration "{clean.name}" is defined twice.',
                    )
                )
            seen.add(key)
            cleaned.append(clean)
        if problems:
            raise IntegrationValidationError(problems)
        return cleaned

    def _find(self, name: str) -> Integration | None:
        try:
            return self.repository.get_by_name(name)
        except IntegrationNotFoundError:
            return None

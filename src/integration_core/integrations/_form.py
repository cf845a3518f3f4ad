"""The integration form: what the admin types, checked all at once."""

from __future__ import annotations

import attrs

from integration_core.acl import AclTree
from integration_core.errors import IntegrationValidationError, Problem
from integration_core.integrations._status import SetupType
from integration_core.integrations._validation import (
    UrlPolicy,
    check_email,
    check_name,
    check_url,
    unknown_resources,
)
from integration_core.selection import ResourceSelection
from integration_core.selection._tree_shape import decided_on_other_tree

__all__ = ["CleanForm", "IntegrationForm", "clean_form"]


def _wrong_type(field: str, expected: str, value: object) -> IntegrationValidationError:
    got = type(value).__name__
    return IntegrationValidationError(
        [Problem(field, "invalid_type", f"Expected {expected}, got {got}.")]
    )


def _text(field: str, value: str | None) -> str:
    """A text field: ``None`` is blank, anything but ``str`` is refused naming ``field``."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _wrong_type(field, "text", value)
    return value


def _name(value: str | None) -> str:
    return _text("name", value)


def _email(value: str | None) -> str:
    return _text("email", value)


def _callback_url(value: str | None) -> str:
    return _text("callback_url", value)


def _identity_link_url(value: str | None) -> str:
    return _text("identity_link_url", value)


def _selection(
    _: object, attribute: attrs.Attribute[ResourceSelection | None], value: object
) -> None:
    if value is not None and not isinstance(value, ResourceSelection):
        raise _wrong_type(attribute.name, "a ResourceSelection or None", value)


@attrs.frozen
class IntegrationForm:
    """
    The Info and API tabs of the admin's integration form, as typed.

    Blank optional fields may be ``""`` or ``None``; values are trimmed when checked.
    Leaving ``selection`` out means Custom with nothing ticked: everything denied,
    as Magento saves a Custom selection without resources. A value of another type
    (a number, or a selection still in its JSON form) is refused here, naming the field.

    Raises:
        IntegrationValidationError: A field of the wrong type (code ``invalid_type``).

    Example:
        >>> form = IntegrationForm(name="  Shop Sync ", email="ops@example.com")
        >>> form.callback_url, form.selection
        ('', None)
        >>> IntegrationForm(name="Shop", selection={"mode": "all"})
        Traceback (most recent call last):
            ...
        integration_core.errors.IntegrationValidationError: selection: Expected a ResourceSelection or None, got dict.
    """

    name: str = attrs.field(converter=_name)
    email: str = attrs.field(default="", converter=_email)
    callback_url: str = attrs.field(default="", converter=_callback_url)
    identity_link_url: str = attrs.field(default="", converter=_identity_link_url)
    selection: ResourceSelection | None = attrs.field(default=None, validator=_selection)


@attrs.frozen
class CleanForm:
    """
    A form that passed every check: trimmed, blanks as ``None``, selection canonical.

    Example:
        >>> from integration_core import AclTree
        >>> tree = AclTree.from_data([{"id": "sales"}])
        >>> clean, problems = clean_form(IntegrationForm(name=" Shop ", email=""), tree)
        >>> clean.name, clean.email, problems
        ('Shop', None, [])
    """

    name: str
    email: str | None
    callback_url: str | None
    identity_link_url: str | None
    selection: ResourceSelection


def _optional(value: str) -> str | None:
    return value or None


def _normal_email(value: str) -> str:
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}" if local else value


def clean_form(
    form: IntegrationForm,
    tree: AclTree,
    *,
    setup_type: SetupType = SetupType.MANUAL,
    policy: UrlPolicy = UrlPolicy.STANDARD,
    prefix: str = "",
) -> tuple[CleanForm, list[Problem]]:
    """
    Trim and check every field, returning the cleaned form and every problem found.

    Configuration integrations need an email and a name of at least 2 characters.
    The selection must name only resources of ``tree``; it is stored canonical.

    Args:
        form: What was typed.
        tree: The ACL tree the selection is checked against.
        setup_type: Manual or configuration rules.
        policy: The URL policy.
        prefix: Put before each field name, such as ``"integrations[2]."``.

    Example:
        >>> from integration_core import AclTree
        >>> tree = AclTree.from_data([{"id": "sales"}])
        >>> _, problems = clean_form(IntegrationForm(name="", callback_url="ftp://x"), tree)
        >>> [(p.field, p.code) for p in problems]
        [('name', 'required'), ('callback_url', 'unsupported_scheme')]
    """
    name, email = form.name.strip(), form.email.strip()
    callback_url, identity_link_url = form.callback_url.strip(), form.identity_link_url.strip()
    config = setup_type is SetupType.CONFIG
    problems = [
        *check_name(name, field=f"{prefix}name", min_length=2 if config else 1),
        *check_email(email, field=f"{prefix}email", required=config),
        *check_url(callback_url, field=f"{prefix}callback_url", policy=policy),
        *check_url(identity_link_url, field=f"{prefix}identity_link_url", policy=policy),
    ]
    selection = ResourceSelection.custom(tree) if form.selection is None else form.selection
    decided_on = decided_on_other_tree(selection, tree)
    missing = selection.missing(tree)
    if decided_on is not None:
        problems.append(_other_tree(f"{prefix}selection", decided_on))
    elif missing:
        problems.append(unknown_resources(f"{prefix}selection", missing))
    clean = CleanForm(
        name=name,
        email=_optional(_normal_email(email)),
        callback_url=_optional(callback_url),
        identity_link_url=_optional(identity_link_url),
        selection=selection.canonical(tree),
    )
    return clean, problems


def _other_tree(field: str, decided_on: str) -> Problem:
    return Problem(
        field,
        "other_tree",
        f"The selection was decided on {decided_on}, not on this tree; choose the resources again.",
    )

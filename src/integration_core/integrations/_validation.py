"""
Field rules of the integration form, and the one adapter around ``validators``.

``validators`` returns a falsy ``ValidationError`` object instead of raising, and
its ``r_ve`` keyword or ``RAISE_VALIDATION_ERROR`` environment variable makes it
raise instead. This module is the only place that calls it: it accepts a value only
when the result ``is True`` and treats a raised ``ValidationError`` as a rejection,
so neither behaviour nor its objects ever leave this module.
"""

from __future__ import annotations

import enum
import ipaddress
import re
import unicodedata
from collections.abc import Iterable
from typing import Final
from urllib.parse import urlsplit

import validators

from integration_core.errors import Problem

__all__ = [
    "EMAIL_MAX",
    "NAME_MAX",
    "URL_MAX",
    "UrlPolicy",
    "check_email",
    "check_name",
    "check_url",
    "is_loopback_url",
    "unknown_resources",
]

NAME_MAX: Final = 255
"""
The longest name accepted, in characters (a form field's ``maxlength``).

Example:
    >>> from integration_core.integrations import NAME_MAX
    >>> NAME_MAX
    255
"""
EMAIL_MAX: Final = 254
"""
The longest email accepted, in characters (a form field's ``maxlength``).

Example:
    >>> from integration_core.integrations import EMAIL_MAX
    >>> EMAIL_MAX
    254
"""
URL_MAX: Final = 255
"""
The longest URL accepted, in characters (a form field's ``maxlength``).

Example:
    >>> from integration_core.integrations import URL_MAX
    >>> URL_MAX
    255
"""
_SCHEMES = frozenset({"http", "https"})
_FORBIDDEN_NAME_CATEGORIES = frozenset({"Cc", "Cs"})
# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt: soft hyphen, zero-width
# characters, joiners, every bidi control, Hangul fillers, variation selectors, tags), and the
# Braille blank: characters that draw nothing, so two names differing by them look the same.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


class UrlPolicy(enum.Enum):
    """
    Which schemes the callback and identity link URLs may use.

    ``STANDARD`` accepts ``http`` and ``https`` (plain ``http`` is flagged not secure,
    as Magento's grid does); ``STRICT`` refuses anything but ``https`` except for
    loopback hosts (``localhost``, ``127.0.0.0/8``, ``::1``), for development.

    Example:
        >>> UrlPolicy.STRICT.value
        'strict'
    """

    STANDARD = "standard"
    STRICT = "strict"


def _accepts_email(value: str) -> bool:
    try:
        return validators.email(value) is True
    except validators.ValidationError:
        return False


def _accepts_url(value: str) -> bool:
    try:
        return (
            validators.url(
                value,
                simple_host=True,
                strict_query=False,
                validate_scheme=_SCHEMES.__contains__,
            )
            is True
        )
    except validators.ValidationError:
        return False


def check_name(value: str, *, field: str = "name", min_length: int = 1) -> list[Problem]:
    """
    Problems with a (trimmed) name: required, length, no control or invisible characters.

    Invisible means Unicode's default-ignorable code points (zero-width spaces and
    joiners, the soft hyphen, bidirectional controls, Hangul fillers, variation
    selectors) and the Braille blank: with one of them, two names would look the same.

    Example:
        >>> check_name("")
        [Problem(field='name', code='required', message='This is a required field.')]
        >>> check_name("a", min_length=2)[0].code
        'too_short'
        >>> [problem.code for problem in check_name("Shop\u200bSync")]
        ['invisible_character']
        >>> check_name("Shop Sync")
        []
    """
    if not value:
        return [Problem(field, "required", "This is a required field.")]
    problems = []
    if len(value) < min_length:
        problems.append(
            Problem(field, "too_short", f"Name must be at least {min_length} characters.")
        )
    if len(value) > NAME_MAX:
        problems.append(Problem(field, "too_long", f"Name must be at most {NAME_MAX} characters."))
    if any(unicodedata.category(char) in _FORBIDDEN_NAME_CATEGORIES for char in value):
        problems.append(
            Problem(field, "control_character", "Name must not contain control characters.")
        )
    if _INVISIBLE.search(value):
        problems.append(
            Problem(
                field,
                "invisible_character",
                "Name must not contain invisible or bidirectional control characters.",
            )
        )
    return problems


def check_email(value: str, *, field: str = "email", required: bool = False) -> list[Problem]:
    """
    Problems with a (trimmed) email: optional unless ``required``, at most 254 characters.

    Example:
        >>> check_email(""), check_email("ops@example.com")
        ([], [])
        >>> check_email("", required=True)[0].code
        'required'
        >>> check_email("not-an-email")[0].message
        'Please enter a valid email address (Ex: johndoe@domain.com).'
    """
    if not value:
        return [Problem(field, "required", "This is a required field.")] if required else []
    if len(value) > EMAIL_MAX:
        return [Problem(field, "too_long", f"Email must be at most {EMAIL_MAX} characters.")]
    if not _accepts_email(value):
        return [
            Problem(
                field,
                "invalid_email",
                "Please enter a valid email address (Ex: johndoe@domain.com).",
            )
        ]
    return []


def is_loopback_url(value: str) -> bool:
    """
    Whether the URL's host is ``localhost`` or a loopback address.

    Example:
        >>> is_loopback_url("http://127.0.0.1:8080/cb"), is_loopback_url("http://[::1]/")
        (True, True)
        >>> is_loopback_url("http://shop.example/"), is_loopback_url("http://[::1")
        (False, False)
    """
    try:
        host = urlsplit(value).hostname or ""
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(value: str, *, field: str, policy: UrlPolicy = UrlPolicy.STANDARD) -> list[Problem]:
    """
    Problems with an optional (trimmed) URL.

    Absolute ``http``/``https`` only, no user or password, no fragment, at most 255
    characters; under :attr:`UrlPolicy.STRICT`, ``https`` unless the host is loopback.

    Example:
        >>> check_url("", field="callback_url"), check_url("https://shop.example/cb", field="callback_url")
        ([], [])
        >>> [p.code for p in check_url("ftp://shop.example/", field="callback_url")]
        ['unsupported_scheme']
        >>> [p.code for p in check_url("https://u:p@shop.example/#x", field="callback_url")]
        ['credentials_in_url', 'fragment_in_url']
        >>> [p.code for p in check_url("http://shop.example/", field="callback_url", policy=UrlPolicy.STRICT)]
        ['insecure_url']
    """
    if not value:
        return []
    if len(value) > URL_MAX:
        return [Problem(field, "too_long", f"URL must be at most {URL_MAX} characters.")]
    try:
        parts = urlsplit(value)
    except ValueError:
        return [Problem(field, "invalid_url", f"Invalid URL '{value}'.")]
    scheme = parts.scheme.lower()
    if scheme not in _SCHEMES:
        return [
            Problem(
                field,
                "unsupported_scheme",
                "Please enter a valid URL. Protocol is required (http:// or https://).",
            )
        ]
    problems = []
    if "@" in parts.netloc:
        problems.append(
            Problem(field, "credentials_in_url", "A URL must not contain a user name or password.")
        )
    if "#" in value:
        problems.append(Problem(field, "fragment_in_url", "A URL must not contain a fragment."))
    if not problems and not _accepts_url(value):
        problems.append(Problem(field, "invalid_url", f"Invalid URL '{value}'."))
    if policy is UrlPolicy.STRICT and scheme != "https" and not is_loopback_url(value):
        problems.append(
            Problem(field, "insecure_url", "Only https:// URLs are accepted (loopback excepted).")
        )
    return problems


def unknown_resources(field: str, resource_ids: Iterable[str]) -> Problem:
    """
    The problem of ids the tree does not hold, listed in sorted order, keyed to ``field``.

    Example:
        >>> unknown_resources("resource", ["b", "a"]).message
        "Unknown resources: 'a', 'b'."
    """
    listed = ", ".join(repr(resource_id) for resource_id in sorted(resource_ids))
    return Problem(field, "unknown_resource", f"Unknown resources: {listed}.")

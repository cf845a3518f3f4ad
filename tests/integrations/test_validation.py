"""Field rules, and the adapter that keeps ``validators`` contained."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.provisional import urls

from integration_core.errors import Problem
from integration_core.integrations import UrlPolicy
from integration_core.integrations._validation import (
    check_email,
    check_name,
    check_url,
    is_loopback_url,
)


def _codes(problems: list[Problem]) -> list[str]:
    return [problem.code for problem in problems]


@pytest.mark.parametrize(
    ("name", "codes"),
    [
        ("", ["required"]),
        ("a" * 255, []),
        ("a" * 256, ["too_long"]),
        ("Shop\x00Sync", ["control_character"]),
        ("Shop\nSync", ["control_character"]),
        ("Shop \u00e9 Sync", []),
    ],
)
def test_name_rules(name: str, codes: list[str]) -> None:
    assert codes == _codes(check_name(name))


LOOK_ALIKES = {
    "zero-width space": "Shop\u200bSync",
    "zero-width joiner": "Shop\u200d Sync",
    "zero-width non-joiner": "Shop \u200cSync",
    "word joiner": "Shop\u2060 Sync",
    "soft hyphen": "Shop Sy\u00adnc",
    "combining grapheme joiner": "Shop\u034f Sync",
    "right-to-left override": "\u202eShop Sync",
    "left-to-right isolate": "\u2066Shop Sync\u2069",
    "hangul filler": "Shop\u3164Sync",
    "halfwidth hangul filler": "Shop\uffa0Sync",
    "variation selector": "Shop\ufe0f Sync",
    "byte order mark": "\ufeffShop Sync",
    "braille blank": "Shop\u2800Sync",
    "tag character": "Shop Sync\U000e0041",
}


@pytest.mark.parametrize("name", LOOK_ALIKES.values(), ids=LOOK_ALIKES.keys())
def test_invisible_and_bidirectional_control_characters_are_refused(name: str) -> None:
    assert _codes(check_name(name)) == ["invisible_character"]


def test_configuration_names_need_two_characters() -> None:
    assert _codes(check_name("a", min_length=2)) == ["too_short"]


@pytest.mark.parametrize(
    ("email", "codes"),
    [
        ("", []),
        ("ops@example.com", []),
        ("j\u00f6rg@example.de", []),
        ("ops@" + ("a" * 49 + ".") * 4 + "c" * 51, ["too_long"]),
        ("ops@" + ("a" * 49 + ".") * 4 + "c" * 50, []),
        ("not-an-email", ["invalid_email"]),
        ("a@b", ["invalid_email"]),
    ],
)
def test_email_rules(email: str, codes: list[str]) -> None:
    assert codes == _codes(check_email(email))


@pytest.mark.law
@given(st.emails())
def test_hypothesis_emails_are_accepted(email: str) -> None:
    """
    Rule: any email address Hypothesis generates is accepted, unless longer than 254 characters.
    """
    assert (len(email) > 254) == bool(check_email(email))


@pytest.mark.law
@given(urls())
def test_hypothesis_urls_are_accepted_when_short_and_without_fragment(url: str) -> None:
    """Rule: a generated URL of at most 255 characters without a fragment is accepted."""
    problems = check_url(url, field="u")
    expected = [] if len(url) <= 255 and "#" not in url else problems
    assert expected == problems


@pytest.mark.parametrize(
    ("url", "codes"),
    [
        ("https://shop.example/cb", []),
        ("HTTP://SHOP.EXAMPLE/cb?a", []),
        ("https://shop.example/" + "a" * 234, []),
        ("https://shop.example/" + "a" * 235, ["too_long"]),
        ("ftp://shop.example/", ["unsupported_scheme"]),
        ("file:///etc/passwd", ["unsupported_scheme"]),
        ("javascript:alert(1)", ["unsupported_scheme"]),
        ("shop.example/cb", ["unsupported_scheme"]),
        ("https://user@shop.example/", ["credentials_in_url"]),
        ("https://shop.example/#frag", ["fragment_in_url"]),
        ("https://shop example/", ["invalid_url"]),
        ("http://[::1", ["invalid_url"]),
        ("https://", ["invalid_url"]),
    ],
)
def test_url_rules(url: str, codes: list[str]) -> None:
    assert codes == _codes(check_url(url, field="callback_url"))


@pytest.mark.parametrize(
    ("url", "codes"),
    [
        ("https://shop.example/", []),
        ("http://shop.example/", ["insecure_url"]),
        ("http://localhost:8080/", []),
        ("http://127.0.0.9/", []),
        ("http://[::1]:8080/", []),
        ("http://10.0.0.1/", ["insecure_url"]),
    ],
)
def test_the_strict_policy_wants_https_except_on_loopback(url: str, codes: list[str]) -> None:
    assert codes == _codes(check_url(url, field="u", policy=UrlPolicy.STRICT))


def test_loopback_detection_survives_unparseable_urls() -> None:
    assert (is_loopback_url("http://[::1"), is_loopback_url("http://localhost")) == (False, True)


@pytest.mark.parametrize("value", ["True", "False", "1"])
def test_the_validators_raise_switch_never_changes_our_answers(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    def answers() -> list[list[Problem]]:
        return [
            check_email("ops@example.com"),
            check_email("not-an-email"),
            check_url("https://shop.example/", field="f"),
            check_url("https://shop example/", field="f"),
        ]

    before = answers()
    monkeypatch.setenv("RAISE_VALIDATION_ERROR", value)
    after = answers()
    assert before == after
    assert [_codes(p) for p in after] == [[], ["invalid_email"], [], ["invalid_url"]]


NAME = partial(check_name, field="f")
URL = partial(check_url, field="f")
STRICT_URL = partial(check_url, field="f", policy=UrlPolicy.STRICT)
EMAIL = partial(check_email, field="f")
REQUIRED = "This is a required field."
NO_PROTOCOL = "Please enter a valid URL. Protocol is required (http:// or https://)."


@pytest.mark.parametrize(
    ("check", "value", "expected"),
    [
        (NAME, "", [("required", REQUIRED)]),
        (partial(NAME, min_length=2), "a", [("too_short", "Name must be at least 2 characters.")]),
        (NAME, "a" * 256, [("too_long", "Name must be at most 255 characters.")]),
        (NAME, "a\x00", [("control_character", "Name must not contain control characters.")]),
        (
            NAME,
            "a\u200b",
            [
                (
                    "invisible_character",
                    "Name must not contain invisible or bidirectional control characters.",
                )
            ],
        ),
        (partial(EMAIL, required=True), "", [("required", REQUIRED)]),
        (EMAIL, "a" * 245 + "@b.example", [("too_long", "Email must be at most 254 characters.")]),
        (
            EMAIL,
            "nope",
            [("invalid_email", "Please enter a valid email address (Ex: johndoe@domain.com).")],
        ),
        (
            URL,
            "https://x.example/" + "a" * 240,
            [("too_long", "URL must be at most 255 characters.")],
        ),
        (URL, "http://[::1", [("invalid_url", "Invalid URL 'http://[::1'.")]),
        (URL, "ftp://x.example/", [("unsupported_scheme", NO_PROTOCOL)]),
        (
            URL,
            "https://u:p@x.example/#a",
            [
                ("credentials_in_url", "A URL must not contain a user name or password."),
                ("fragment_in_url", "A URL must not contain a fragment."),
            ],
        ),
        (URL, "https://exa mple/", [("invalid_url", "Invalid URL 'https://exa mple/'.")]),
        (
            STRICT_URL,
            "http://x.example/",
            [("insecure_url", "Only https:// URLs are accepted (loopback excepted).")],
        ),
        (STRICT_URL, "http://127.0.0.1:8080/cb", []),
        (STRICT_URL, "https://x.example/", []),
    ],
)
def test_each_rule_names_its_field_code_and_message(
    check: Callable[[str], list[Problem]], value: str, expected: list[tuple[str, str]]
) -> None:
    problems = [(problem.field, problem.code, problem.message) for problem in check(value)]
    assert problems == [("f", code, message) for code, message in expected]


def test_names_and_emails_report_their_own_field_by_default_and_one_character_is_a_name() -> None:
    assert [problem.field for problem in check_name("")] == ["name"]
    assert [problem.field for problem in check_email("", required=True)] == ["email"]
    assert check_name("A") == []
    assert check_name("ab", min_length=2) == []

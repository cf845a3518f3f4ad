"""The walkthrough behind ``python -m integration_core``."""

from __future__ import annotations

import re
import runpy
import sys

import pytest

from integration_core._demo import main


def walkthrough() -> str:
    lines: list[str] = []
    main(lines.append)
    return "\n".join(lines)


def test_the_walkthrough_prints_the_tree_with_its_marks() -> None:
    text = walkthrough()
    assert "[-] Sales (Magento_Sales::sales)" in text
    assert "│       └── [ ] Cancel (Magento_Sales::cancel)" in text
    assert "  status: Inactive (until the third party completes the exchange)" in text
    assert "  open for the admin: https://erp.example/magento/login?oauth_consumer_key=" in text


def test_the_third_party_receives_the_callback_post_with_its_secrets_cut() -> None:
    text = walkthrough()
    assert "  > POST https://erp.example/magento/callback" in text
    assert re.search(r"  >   oauth_consumer_key=[0-9a-z]{32}\n", text)
    assert re.search(r"  >   oauth_consumer_secret=[0-9a-z]{4}…\n", text)
    assert "  >   store_base_url=https://shop.example/\n" in text
    assert re.search(r"  >   oauth_verifier=[0-9a-z]{4}…\n", text)


def test_the_third_party_signs_both_token_calls_and_the_integration_activates() -> None:
    text = walkthrough()
    request_step = text.index("  > POST https://shop.example/oauth/token/request")
    access_step = text.index("  > POST https://shop.example/oauth/token/access")
    assert request_step < access_step < text.index("  status: Active")
    assert text.count('oauth_signature_method="HMAC-SHA256"') == 4
    issued = re.findall(
        r"  < 200 OK\n  < oauth_token=[0-9a-z]{4}…&oauth_token_secret=[0-9a-z]{4}…", text
    )
    assert len(issued) == 2
    assert re.search(r'oauth_token="[0-9a-z]{4}…",\n  >     oauth_verifier="[0-9a-z]{4}…"', text)


def test_one_signed_api_call_is_allowed_and_one_denied() -> None:
    text = walkthrough()
    assert "  > POST https://shop.example/rest/V1/invoices\n" in text
    assert "  => POST /V1/invoices: allowed" in text
    assert "  > POST https://shop.example/rest/V1/orders/7/cancel\n" in text
    denied = "The consumer isn't authorized to access Magento_Sales::cancel."
    assert f"  < 401 Unauthorized\n  < oauth_problem={denied}\n" in text
    assert f"  => POST /V1/orders/{{id}}/cancel: denied: {denied}" in text


def test_no_credential_but_the_consumer_key_is_printed_whole() -> None:
    text = walkthrough()
    key = re.search(r"oauth_consumer_key=([0-9a-z]{32})", text)
    assert key is not None
    assert set(re.findall(r"(?<![0-9A-Za-z])[0-9a-z]{32}(?![0-9A-Za-z])", text)) == {key[1]}
    assert re.search(r'oauth_signature="[^"]{4}…"', text)
    assert not re.search(r'oauth_signature="[^"…]{5}', text)


def test_running_the_package_as_a_module_runs_the_walkthrough(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["integration_core"])
    runpy.run_module("integration_core", run_name="__main__")
    assert "Resource Access Custom" in capsys.readouterr().out

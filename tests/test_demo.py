"""The walkthrough behind ``python -m integration_core``."""

from __future__ import annotations

import runpy
import sys

import pytest

from integration_core._demo import main


def test_the_walkthrough_prints_the_tree_with_its_marks() -> None:
    lines: list[str] = []
    main(lines.append)
    text = "\n".join(lines)
    assert "[-] Sales (Magento_Sales::sales)" in text
    assert "│       └── [ ] Cancel (Magento_Sales::cancel)" in text
    assert "  status: Inactive (until the third party completes the exchange)" in text
    for field in (
        "oauth_consumer_key",
        "oauth_consumer_secret",
        "store_base_url",
        "oauth_verifier",
    ):
        assert f"    {field}=" in text
    assert "  open for the admin: https://erp.example/magento/login?oauth_consumer_key=" in text
    assert "  status: Active" in text
    assert "  POST /V1/invoices: allowed" in text
    assert "  POST /V1/orders/{id}/cancel: denied: " in text


def test_running_the_package_as_a_module_runs_the_walkthrough(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["integration_core"])
    runpy.run_module("integration_core", run_name="__main__")
    assert "Resource Access Custom" in capsys.readouterr().out

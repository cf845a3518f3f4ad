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
    assert "Magento_Sales::invoice: allowed" in text
    assert "Magento_Sales::cancel: denied" in text


def test_running_the_package_as_a_module_runs_the_walkthrough(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["integration_core"])
    runpy.run_module("integration_core", run_name="__main__")
    assert "Resource Access: Custom" in capsys.readouterr().out

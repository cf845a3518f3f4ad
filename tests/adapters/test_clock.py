"""The injected clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from integration_core import ManualClock, SystemClock
from integration_core.ports import Clock


def test_a_manual_clock_refuses_a_naive_start() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        ManualClock(datetime(2024, 1, 1))  # noqa: DTZ001


def test_a_manual_clock_moves_only_when_advanced() -> None:
    clock = ManualClock(datetime(2024, 1, 1, tzinfo=UTC))
    assert clock.now() == clock.now()
    clock.advance(timedelta(seconds=5))
    assert datetime(2024, 1, 1, 0, 0, 5, tzinfo=UTC) == clock.now()
    assert repr(clock) == "ManualClock(2024-01-01T00:00:05+00:00)"


def test_the_system_clock_is_a_clock_in_utc() -> None:
    assert isinstance(SystemClock(), Clock)
    assert timedelta(0) == SystemClock().now().utcoffset()

"""
Clocks for the :class:`~integration_core.ports.Clock` port: the core never reads the time itself.

Example:
    >>> from datetime import UTC, datetime, timedelta
    >>> clock = ManualClock(datetime(2024, 1, 1, tzinfo=UTC))
    >>> clock.advance(timedelta(minutes=5)).isoformat()
    '2024-01-01T00:05:00+00:00'
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["ManualClock", "SystemClock"]


class SystemClock:
    """
    The operating system's clock in UTC, for hosts to pass in explicitly.

    Example:
        >>> SystemClock().now().tzinfo
        datetime.timezone.utc
    """

    def now(self) -> datetime:
        """
        The current time in UTC.

        Example:
            >>> SystemClock().now().utcoffset()
            datetime.timedelta(0)
        """
        return datetime.now(UTC)


class ManualClock:
    """
    A clock that moves only when told to: for tests, demos and simulations.

    Raises:
        ValueError: If given a naive datetime.

    Example:
        >>> clock = ManualClock(datetime(2024, 1, 1, tzinfo=UTC))
        >>> clock.advance(timedelta(seconds=301)).isoformat()
        '2024-01-01T00:05:01+00:00'
        >>> clock.now() == datetime(2024, 1, 1, 0, 5, 1, tzinfo=UTC)
        True
    """

    def __init__(self, start: datetime) -> None:
        if start.utcoffset() is None:
            raise ValueError("ManualClock needs a timezone-aware datetime")
        self._now = start

    def __repr__(self) -> str:
        return f"ManualClock({self._now.isoformat()})"

    def now(self) -> datetime:
        """
        The time it was set to, or advanced to since.

        Example:
            >>> clock = ManualClock(datetime(2024, 1, 1, tzinfo=UTC))
            >>> clock.now() == clock.now(), clock.now().year
            (True, 2024)
        """
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        """
        Move the clock by ``delta`` and return the new time.

        Example:
            >>> ManualClock(datetime(2024, 1, 1, tzinfo=UTC)).advance(timedelta(days=1)).day
            2
        """
        self._now += delta
        return self._now

"""The result table: one row per measurement, printed as Markdown."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

__all__ = ["Row", "format_bytes", "format_ns", "format_ratio", "table"]

_COLUMNS = ("Benchmark", "Case", "Result", "Compared", "Goal", "Holds")


@attrs.frozen
class Row:
    """
    One line of the table.

    Attributes:
        benchmark: The family: ``check``, ``scaling``, ``magento`` or ``integration``.
        case: What was measured.
        result: The measurement, formatted.
        compared: A ratio against a baseline measured in the same run, or a remark.
        goal: The goal the ratio must meet, if there is one.
        holds: Whether the goal holds (``None`` when there is no goal).
    """

    benchmark: str
    case: str
    result: str
    compared: str = ""
    goal: str = ""
    holds: bool | None = None

    def cells(self) -> tuple[str, ...]:
        """The row's cells, in column order."""
        holds = "" if self.holds is None else ("yes" if self.holds else "**NO**")
        return (self.benchmark, self.case, self.result, self.compared, self.goal, holds)


def table(rows: Sequence[Row]) -> str:
    """The rows as one Markdown table, columns padded to line up in a terminal."""
    lines = [_COLUMNS, *(row.cells() for row in rows)]
    widths = [max(len(line[column]) for line in lines) for column in range(len(_COLUMNS))]

    def render(cells: Sequence[str]) -> str:
        padded = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([render(lines[0]), rule, *(render(line) for line in lines[1:])])


def format_ns(nanoseconds: float) -> str:
    """A duration with a unit that keeps three significant digits."""
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if nanoseconds >= scale:
            return f"{nanoseconds / scale:.3g} {unit}"
    return f"{nanoseconds:.3g} ns"


def format_bytes(count: float) -> str:
    """A memory size in bytes, KiB or MiB."""
    for unit, scale in (("MiB", 1024**2), ("KiB", 1024)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count:,.0f} B"


def format_ratio(ratio: float) -> str:
    """A ratio such as ``1.04x`` or ``2,350x``."""
    return f"{ratio:,.0f}x" if ratio >= 100 else f"{ratio:.3g}x"

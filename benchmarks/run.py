"""
Run every benchmark family and print one table.

Usage::

    python -m benchmarks            # the full run, about a minute
    python -m benchmarks --smoke    # every benchmark once on tiny inputs
"""

from __future__ import annotations

import argparse
import os
import platform
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.check import check_rows
from benchmarks.config import FULL, SMOKE, Config
from benchmarks.grid import grid_rows
from benchmarks.integration import integration_rows
from benchmarks.magento import magento_rows
from benchmarks.oauth import oauth_rows
from benchmarks.report import Row, table
from benchmarks.routes import routes_rows
from benchmarks.scaling import scaling_rows
from benchmarks.storage import storage_rows

__all__ = ["FAMILIES", "machine", "main", "run"]

FAMILIES: tuple[Callable[[Config], list[Row]], ...] = (
    check_rows,
    scaling_rows,
    magento_rows,
    routes_rows,
    integration_rows,
    storage_rows,
    grid_rows,
    oauth_rows,
)
"""Every benchmark family, in table order: each takes the run's config and returns its rows."""


def run(config: Config) -> list[Row]:
    """Run every family with ``config``; the rows of all of them, in table order."""
    return [row for family in FAMILIES for row in family(config)]


def machine() -> str:
    """The CPU model, the number of CPUs and the Python version, in one line."""
    cpuinfo = Path("/proc/cpuinfo")
    model = platform.processor() or platform.machine()
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip()
                break
    return (
        f"{model}, {os.cpu_count()} CPUs, "
        f"{platform.python_implementation()} {platform.python_version()}"
    )


def main(arguments: Sequence[str] = ()) -> int:
    """Parse the command line, run the benchmarks and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--smoke", action="store_true", help="run every benchmark once on tiny inputs"
    )
    options = parser.parse_args(list(arguments))
    config = SMOKE if options.smoke else FULL
    rows = run(config)
    kind = "smoke run, timings meaningless" if options.smoke else "full run"
    print(f"integration-core benchmarks ({kind}) on {machine()}")
    print()
    print(table(rows))
    return 0

"""How big and how often: the full run and the tiny smoke run the test suite uses."""

from __future__ import annotations

import attrs

__all__ = ["FULL", "SMOKE", "Config"]


@attrs.frozen
class Config:
    """
    Sizes and repeats of one run.

    Attributes:
        check_nodes: Size of the balanced tree the check benchmark runs on.
        check_fanout: Children per resource in that tree.
        check_passes: Passes over every resource per timed check run.
        casbin_passes: Passes over every resource per timed casbin run.
        repeats: Timed runs per measurement; the fastest counts.
        scaling_sizes: Tree sizes of the scaling benchmark, smallest first.
        scaling_repeats: Timed runs per scaling measurement.
        integration_checks: Authorised calls per timed integration run.
        magento_compiles: Back-to-back compiles per timed run of the Magento tree.
        grid_integrations: Integrations stored for the grid page benchmark.
        grid_calls: Grid pages read per timed run.
    """

    check_nodes: int
    check_fanout: int
    check_passes: int
    casbin_passes: int
    repeats: int
    scaling_sizes: tuple[int, ...]
    scaling_repeats: int
    integration_checks: int
    magento_compiles: int
    grid_integrations: int
    grid_calls: int


FULL = Config(
    check_nodes=1_111,
    check_fanout=10,
    check_passes=200,
    casbin_passes=1,
    repeats=7,
    scaling_sizes=(1_000, 10_000, 100_000),
    scaling_repeats=5,
    integration_checks=100_000,
    magento_compiles=100,
    grid_integrations=10_000,
    grid_calls=20,
)

SMOKE = Config(
    check_nodes=40,
    check_fanout=3,
    check_passes=1,
    casbin_passes=1,
    repeats=1,
    scaling_sizes=(30, 300),
    scaling_repeats=1,
    integration_checks=10,
    magento_compiles=1,
    grid_integrations=1_000,
    grid_calls=1,
)

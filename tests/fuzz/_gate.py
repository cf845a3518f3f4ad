"""
The fuzz gate's settings and its one assertion: our error or a valid result, never anything else.

Every fuzz test runs under the ``fuzz`` Hypothesis profile (:data:`FUZZ`): a bounded number of
examples (``FUZZ_EXAMPLES``, 200 by default, so the whole gate takes well under a minute on a 2-core
CI machine) and the example database in ``tests/fuzz/examples``. A failing example is saved
there; committed, it replays first in every later run, on every machine.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from integration_core.errors import IntegrationCoreError

EXAMPLES = Path(__file__).parent / "examples"

settings.register_profile(
    "fuzz",
    parent=settings(),
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")),
    database=DirectoryBasedExampleDatabase(EXAMPLES),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("fuzz")

Result = TypeVar("Result")


def outcome(call: Callable[[], Result]) -> Result | IntegrationCoreError:
    """What ``call`` returns, or the error of ours it raises; any other exception fails the test."""
    try:
        return call()
    except IntegrationCoreError as error:
        return error

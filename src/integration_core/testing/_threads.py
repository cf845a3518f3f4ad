"""Races for the contract kits: many threads released at once."""

from __future__ import annotations

import threading
from collections.abc import Callable

__all__ = ["race"]


def race(*work: Callable[[], None]) -> None:
    """Run each callable in its own thread, released together, and wait for all."""
    barrier = threading.Barrier(len(work))
    errors: list[BaseException] = []

    def run(job: Callable[[], None]) -> None:
        barrier.wait()
        try:
            job()
        except BaseException as error:  # noqa: BLE001 - re-raised in the main thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]

"""
Adapters for the ports: in-memory storage, clocks, and SQLAlchemy storage.

``integration_core.adapters.sqlalchemy`` needs the ``[sqlalchemy]`` extra and is not
imported here.

Example:
    >>> from integration_core.adapters import InMemoryIntegrationRepository
    >>> len(InMemoryIntegrationRepository().list())
    0
"""

from integration_core.adapters.clock import ManualClock, SystemClock
from integration_core.adapters.memory import InMemoryIntegrationRepository, InMemoryNonceStore

__all__ = ["InMemoryIntegrationRepository", "InMemoryNonceStore", "ManualClock", "SystemClock"]

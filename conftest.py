"""
Import the package before pytest collects anything.

The test suite runs with ``--import-mode=importlib`` and ``--doctest-modules``. When pytest
collects the doctests of ``src/integration_core/_selection.py`` before anything imported the
package, it loads that file as a module object of its own, and classes drawn from it are not the
classes ``integration_core`` exports (``ResourceSelection() != ResourceSelection()``). Imported
here first, every module is in ``sys.modules`` and pytest reuses it, whatever order the files
are given in.
"""

import integration_core
import integration_core.testing.contract
import integration_core.testing.strategies

__all__ = ["integration_core"]

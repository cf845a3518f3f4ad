"""
The tree widget: the jstree 3 glue shipped with the package, for an exact round trip.

:meth:`AclTree.to_jstree <integration_core.acl.AclTree.to_jstree>` exports the data; the
JavaScript returned here mounts jstree on it with the one configuration the round trip is
proven on (checkbox plugin, ``three_state`` off, ``cascade: "undetermined"``, ticks cascaded
to the subtree by the glue) and, on submit, posts one ``resource[]`` per allowed resource.
Serve it after jQuery and jstree; ``docs/tree-widget.md`` tells the whole story.

Example:
    >>> from integration_core.acl.widget import SCRIPT_NAME, script
    >>> SCRIPT_NAME, "three_state: false" in script()
    ('integration-core-tree.js', True)
"""

from __future__ import annotations

from importlib.resources import files
from typing import Final

__all__ = ["SCRIPT_NAME", "script"]

SCRIPT_NAME: Final = "integration-core-tree.js"
"""
The file name of the glue inside the package (``integration_core/acl/static/``).

Example:
    >>> from importlib.resources import files
    >>> files("integration_core.acl").joinpath("static", SCRIPT_NAME).is_file()
    True
"""


def script() -> str:
    """
    The text of the glue script, to serve as a static file or inline in a page.

    Example:
        >>> from integration_core.acl.widget import script
        >>> "IntegrationCoreTree" in script()
        True
    """
    return files("integration_core.acl").joinpath("static", SCRIPT_NAME).read_text(encoding="utf-8")

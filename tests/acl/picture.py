"""
The picture in the docs: the Magento 2.4 screen tree with a Custom selection, as DOT and SVG.

Regenerate both with ``bash scripts/pictures`` (needs Graphviz's ``dot``).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from integration_core import MAGENTO_ADMIN, AclTree, ResourceSelection

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "magento-acl" / "2.4"
DOT = ROOT / "docs" / "pictures" / "magento-2.4-custom.dot"
SVG = DOT.with_suffix(".svg")


def screen_tree() -> AclTree:
    """The tree the integration screen shows: the children of ``Magento_Backend::admin``."""
    named = {path.name: path.read_bytes() for path in sorted(FIXTURES.glob("*.xml"))}
    return AclTree.from_magento_xml(named).subtree(MAGENTO_ADMIN)


def picture() -> str:
    """Sales and Catalog granted, order cancelling and attribute updates left out."""
    tree = screen_tree()
    selection = (
        ResourceSelection.custom(tree)
        .grant(tree, "Magento_Sales::sales", "Magento_Catalog::catalog")
        .exclude(tree, "Magento_Sales::cancel", "Magento_Catalog::update_attributes")
    )
    return tree.to_dot(selection.check_states(tree)) + "\n"


def render_svg(dot_source: str) -> str:
    """Graphviz's SVG of ``dot_source``; ``dot`` must be installed."""
    dot = shutil.which("dot")
    if dot is None:
        raise FileNotFoundError("Graphviz's dot is not installed")
    return subprocess.run(  # noqa: S603  # our own DOT text, to Graphviz found on PATH
        [dot, "-Tsvg"], input=dot_source, capture_output=True, text=True, check=True
    ).stdout


def main() -> None:
    """Write the DOT source and its SVG into docs/pictures."""
    source = picture()
    DOT.write_text(source, encoding="utf-8")
    SVG.write_text(render_svg(source), encoding="utf-8")


if __name__ == "__main__":
    main()

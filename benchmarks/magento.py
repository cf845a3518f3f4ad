"""
Magento: the real 2.4 ``acl.xml`` files from the test fixtures, parsed, merged and compiled.

Absolute times on the machine at hand; indicative only.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.config import Config
from benchmarks.report import Row, format_ns
from benchmarks.timing import best_ns, best_ns_per_item
from integration_core import AclTree, ResourceSelection

__all__ = ["FIXTURES", "magento_rows", "read_documents"]

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "magento-acl" / "2.4"
"""The Magento 2.4 ``acl.xml`` files, one per module."""

GRANTED = "Magento_Sales::sales"
EXCLUDED = "Magento_Sales::actions"
REGRANTED = "Magento_Sales::actions_view"


def read_documents(directory: Path = FIXTURES) -> dict[str, bytes]:
    """Every ``*.xml`` file of ``directory`` by name, in name order (the merge order)."""
    return {path.name: path.read_bytes() for path in sorted(directory.glob("*.xml"))}


def magento_rows(config: Config) -> list[Row]:
    """Time the parse and merge of every fixture, then compiling an All and a Custom selection."""
    documents = read_documents()
    tree = AclTree.from_magento_xml(documents)
    everything = ResourceSelection.all()
    custom = ResourceSelection.custom(tree, allow=[GRANTED, REGRANTED], deny=[EXCLUDED])
    repeats = config.repeats
    merge = best_ns(lambda: AclTree.from_magento_xml(documents), repeats)
    # A server compiles warm, between other work: time back-to-back compiles, not one
    # compile straight after a full collection has walked every object of the process.
    compiles = range(config.magento_compiles)
    compile_all = best_ns_per_item(
        lambda: [everything.compile(tree) for _ in compiles], len(compiles), repeats
    )
    compile_custom = best_ns_per_item(
        lambda: [custom.compile(tree) for _ in compiles], len(compiles), repeats
    )
    allowed = len(custom.compile(tree).allowed)
    return [
        Row(
            "magento",
            f"parse + merge {len(documents)} acl.xml files ({len(tree):,} resources)",
            format_ns(merge),
            f"{format_ns(merge / len(tree))} per resource",
            "indicative",
        ),
        Row(
            "magento",
            "compile All",
            format_ns(compile_all),
            f"mean of {config.magento_compiles} back to back",
            "indicative",
        ),
        Row(
            "magento",
            f"compile Custom: Sales granted, {EXCLUDED.partition('::')[2]} excluded, "
            f"{REGRANTED.partition('::')[2]} granted again",
            format_ns(compile_custom),
            f"{allowed} resources allowed",
            "indicative",
        ),
    ]

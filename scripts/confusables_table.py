# ruff: noqa: INP001 - a script, not a package
"""
Reduce Unicode's ``confusables.txt`` (UTS #39) to the table ``name_key`` reads.

Usage::

    python scripts/confusables_table.py path/to/confusables.txt

It rewrites ``src/integration_core/integrations/confusables.txt``: Unicode's header (its
version, date, copyright and terms of use), then one line per mapping, the code point and
the code points of its prototype in hex. Run it on a newer ``confusables.txt`` to update
the data; the tests check the table's shape and a few well-known mappings.
"""

from __future__ import annotations

import sys
from pathlib import Path

TABLE = Path(__file__).parent.parent / "src/integration_core/integrations/confusables.txt"


def reduce(source: str) -> str:
    """The table's text: Unicode's leading comment block, then ``SOURCE TARGET...`` lines."""
    header: list[str] = []
    rows: list[str] = []
    for line in source.lstrip("\ufeff").splitlines():
        if line.startswith("#") and not rows:
            header.append(line)
            continue
        fields = line.split("#", 1)[0].split(";")
        if len(fields) >= 2 and fields[0].strip():  # noqa: PLR2004 - source ; target ; type
            rows.append(f"{fields[0].strip()} {fields[1].strip()}")
    preamble = [
        "# Unicode TR #39 confusable prototypes, reduced by scripts/confusables_table.py from:",
        *(line for line in header if line.strip() != "#"),
        "# Each line: a code point, then the code points of its prototype (hex).",
    ]
    return "\n".join([*preamble, *rows]) + "\n"


def main(arguments: list[str]) -> int:
    """Read the ``confusables.txt`` named on the command line and write the table."""
    if len(arguments) != 1:
        sys.stderr.write(__doc__ or "")
        return 2
    TABLE.write_text(reduce(Path(arguments[0]).read_text(encoding="utf-8")), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

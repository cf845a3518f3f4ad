"""``python -m admin_app``: serve the example admin on 127.0.0.1 with Flask's threaded server."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from admin_app._app import create_app
from admin_app._shop import HERE, Settings


def main() -> None:
    """Read the options, open the shop and serve it until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m admin_app", description=__doc__)
    parser.add_argument("--port", type=int, default=5000, help="the port on 127.0.0.1 (5000)")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=HERE / "var",
        help="where the SQLite file and the keys are kept (examples/admin/var)",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("ADMIN_DATABASE_URL"),
        help="an SQLAlchemy URL such as postgresql+psycopg://user@host/db "
        "(default: $ADMIN_DATABASE_URL, else an SQLite file in the data folder)",
    )
    options = parser.parse_args()
    settings = Settings(
        data_dir=options.data_dir, database_url=options.database_url, port=options.port
    )
    # Threaded: the OAuth callback post waits on one thread while the third party calls back
    # the token endpoints on others.
    create_app(settings).run(host=settings.host, port=settings.port, threaded=True)


if __name__ == "__main__":
    main()

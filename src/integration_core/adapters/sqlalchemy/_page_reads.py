"""
Grid pages on the DBAPI cursor: the rows of a page and, in the same row, the total.

Each shape of the grid's statement is rendered once per dialect and schema translation
(see :mod:`._cursor_reads` for where this path applies, and the reads through Core where
it does not). Rows are decoded through the repository's memo, by integration id: an
unchanged row of a page read again is not decoded again.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from integration_core.adapters.sqlalchemy._cursor_reads import (
    Rendered,
    applies,
    fetch_on_connection,
    fetch_on_engine,
    rendering,
)
from integration_core.adapters.sqlalchemy._rows import DecodedRows
from integration_core.adapters.sqlalchemy._schema import integrations
from integration_core.integrations import Integration

__all__ = ["Page", "PageReads"]

_WIDTH = len(integrations.columns)

Page = tuple[tuple[Integration, ...], int | None]
"""A page's integrations and its total (``None`` for a page with no rows, which holds none)."""


def _all(cursor: Any) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = cursor.fetchall()
    return rows


class PageReads:
    """Reads grid pages on the DBAPI cursor, when that is equivalent to Core."""

    def __init__(self, memo: DecodedRows) -> None:
        self._rendered: dict[sa.Select[Any], Rendered] = {}
        self._memo = memo

    def rendered(self, bind: Engine | Connection, statement: sa.Select[Any]) -> Rendered | None:
        """``statement`` rendered for ``bind``, or ``None`` where Core must read it."""
        if not applies(bind):
            return None
        rendered = self._render_for(bind, statement)
        return rendered if rendered.direct else None

    def _render_for(self, bind: Engine | Connection, statement: sa.Select[Any]) -> Rendered:
        dialect, options = bind.dialect, bind.get_execution_options()
        rendered = self._rendered[statement] = rendering(
            self._rendered.get(statement), statement, dialect, options, _WIDTH
        )
        return rendered

    def on_engine(self, engine: Engine, rendered: Rendered, parameters: dict[str, Any]) -> Page:
        """The page, read on a connection checked out of the pool."""
        return self._page(rendered, fetch_on_engine(engine, *rendered.arguments(parameters), _all))

    def on_connection(
        self, connection: Connection, rendered: Rendered, parameters: dict[str, Any]
    ) -> Page:
        """The page, read in ``connection``'s own transaction."""
        rows = fetch_on_connection(connection, *rendered.arguments(parameters), _all)
        return self._page(rendered, rows)

    def _page(self, rendered: Rendered, rows: list[tuple[Any, ...]]) -> Page:
        decoded = self._memo.driver_row
        processors = rendered.processors
        items = tuple([decoded(row[0], row, processors) for row in rows])
        return items, (rows[0][_WIDTH] if rows else None)

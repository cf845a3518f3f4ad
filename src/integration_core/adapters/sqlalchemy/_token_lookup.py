"""
The lookup by access-token digest on the DBAPI cursor: the one read every API call makes.

The statement is rendered once per dialect and schema translation (see
:mod:`._cursor_reads` for where this path applies); a row equal, column for column, to the
last one decoded for the same digest is the same integration, returned without decoding
again.
"""

from __future__ import annotations

from collections.abc import Mapping
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

__all__ = ["TokenLookup"]

_STATEMENT = sa.select(integrations).where(
    integrations.c.access_token_digest == sa.bindparam("value")
)
_WIDTH = len(integrations.columns)


def _one(cursor: Any) -> tuple[Any, ...] | None:
    row: tuple[Any, ...] | None = cursor.fetchone()
    return row


class TokenLookup:
    """Finds an integration by access-token digest on the DBAPI cursor, when that is equivalent."""

    applies = staticmethod(applies)

    def __init__(self) -> None:
        self._rendered: Rendered | None = None
        self._memo = DecodedRows()

    def on_engine(self, engine: Engine, token_digest: str) -> Integration | None:
        """The integration holding ``token_digest``, read on a connection checked out of the pool."""
        rendered = self._render(engine.dialect, engine.get_execution_options())
        row = fetch_on_engine(engine, rendered.sql, _parameters(rendered, token_digest), _one)
        return self._decoded(rendered, token_digest, row)

    def on_connection(self, connection: Connection, token_digest: str) -> Integration | None:
        """The integration holding ``token_digest``, read in ``connection``'s own transaction."""
        rendered = self._render(connection.dialect, connection.get_execution_options())
        row = fetch_on_connection(
            connection, rendered.sql, _parameters(rendered, token_digest), _one
        )
        return self._decoded(rendered, token_digest, row)

    def _decoded(
        self, rendered: Rendered, token_digest: str, row: tuple[Any, ...] | None
    ) -> Integration | None:
        return (
            None if row is None else self._memo.driver_row(token_digest, row, rendered.processors)
        )

    def _render(self, dialect: sa.Dialect, options: Mapping[str, Any]) -> Rendered:
        """The statement for ``dialect`` and these execution options, rendered when they change."""
        rendered = self._rendered = rendering(self._rendered, _STATEMENT, dialect, options, _WIDTH)
        return rendered


def _parameters(rendered: Rendered, token_digest: str) -> tuple[str] | dict[str, str]:
    return (token_digest,) if rendered.positional else {"value": token_digest}

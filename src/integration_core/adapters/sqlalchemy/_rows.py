"""An integration as a row and back: every value checked to fit, every column decoded."""

from __future__ import annotations

import enum
import functools
import json
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Row, RowMapping

from integration_core.adapters.sqlalchemy._schema import (
    NAME_KEY_BYTES,
    UNREADABLE,
    UtcDateTime,
    integrations,
)
from integration_core.credentials import ConsumerCredentials, SealedSecret, StoredToken
from integration_core.errors import (
    IntegrationCoreError,
    IntegrationValidationError,
    Problem,
    StoredDataError,
)
from integration_core.integrations import (
    Integration,
    IntegrationStatus,
    PendingExchange,
    SetupType,
    name_search_key,
)
from integration_core.ports import a_version, storable
from integration_core.selection import ResourceSelection

__all__ = ["DecodedRows", "integration_from", "row_of"]

Member = TypeVar("Member", bound=enum.Enum)


def row_of(integration: Integration) -> dict[str, Any]:
    """The row of ``integration`` (all but the id), after checking that every value fits."""
    access = integration.access
    exchange = integration.exchange
    request = None if exchange is None else exchange.request_token
    values = {
        "name": integration.name,
        "name_key": integration.name_key,
        "name_search_key": name_search_key(integration.name),
        "email": integration.email,
        "callback_url": integration.callback_url,
        "identity_link_url": integration.identity_link_url,
        "status": integration.status.value,
        "setup_type": integration.setup_type.value,
        "selection": json.dumps(
            integration.selection.to_data(), sort_keys=True, separators=(",", ":")
        ),
        "consumer_key": integration.consumer.key,
        "consumer_secret_sealed": integration.consumer.secret.sealed,
        "access_token_digest": None if access is None else access.token_digest,
        "access_secret_sealed": None if access is None else access.secret.sealed,
        "exchange_verifier_digest": None if exchange is None else exchange.verifier_digest,
        "exchange_started_at": None if exchange is None else exchange.started_at,
        "exchange_failed_attempts": None if exchange is None else exchange.failed_attempts,
        "request_token_digest": None if request is None else request.token_digest,
        "request_secret_sealed": None if request is None else request.secret.sealed,
        "request_token_issued_at": None if exchange is None else exchange.request_token_issued_at,
        "created_at": integration.created_at,
        "updated_at": integration.updated_at,
        "version": integration.version,
    }
    _check_fits({"id": integration.id, **values})
    return values


_SIZED = tuple(
    (column.name, column.type.length)
    for column in integrations.columns
    if isinstance(column.type, sa.String)
    and column.type.length
    and column.name not in {"name_key", "name_search_key"}
)
_TIMESTAMPS = tuple(
    column.name for column in integrations.columns if isinstance(column.type, UtcDateTime)
)


def _check_fits(row: dict[str, Any]) -> None:
    """
    Refuse values the columns cannot hold, the same way on every dialect, naming the columns.

    SQLite would store an over-long value and PostgreSQL refuse it; a naive datetime
    would read back shifted. Both are refused here, before any write; messages give
    lengths, never values (some are secrets).
    """
    problems = [
        Problem(name, "unstorable_text", f"{name} must be valid Unicode without NUL characters")
        for name, value in row.items()
        if isinstance(value, str) and not storable(value)
    ]
    problems.extend(
        Problem(
            name, "too_long", f"{name} must be at most {limit} characters, got {len(row[name])}"
        )
        for name, limit in _SIZED
        if row[name] is not None and len(row[name]) > limit
    )
    # Both forms of the name live in indexed columns: the longer one must fit an index entry.
    key_bytes = max(
        len(row[form].encode("utf-8", "surrogatepass")) for form in ("name_key", "name_search_key")
    )
    if key_bytes > NAME_KEY_BYTES:
        problems.append(
            Problem(
                "name",
                "too_long",
                f"name's normalized form must be at most {NAME_KEY_BYTES} bytes, got {key_bytes}",
            )
        )
    problems.extend(
        Problem(name, "naive_datetime", f"{name} must be timezone-aware")
        for name in _TIMESTAMPS
        if row[name] is not None and row[name].utcoffset() is None
    )
    if problems:
        raise IntegrationValidationError(problems)


@functools.lru_cache(maxsize=1024)
def _selection(text: str) -> ResourceSelection:
    """The selection stored as ``text``; selections are immutable, so equal texts share one."""
    return ResourceSelection.from_data(json.loads(text))


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _optional_text(value: object) -> str | None:
    return None if value is None else _text(value)


def _stored_selection(value: object) -> ResourceSelection:
    return _selection(_text(value))


def _timestamp(value: object) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError("not a timestamp")
    return value


def _optional_timestamp(value: object) -> datetime | None:
    return None if value is None else _timestamp(value)


def _member(kind: type[Member]) -> Callable[[object], Member]:
    """``kind(value)`` for a stored enum value, by one dictionary lookup instead of Enum's call."""
    members: dict[object, Member] = {member.value: member for member in kind}

    def read(value: object) -> Member:
        try:
            return members[value]
        except (KeyError, TypeError):
            raise ValueError(f"{value!r} is not a valid {kind.__qualname__}") from None

    return read


def _version(value: object) -> int:
    if a_version(value) and value >= 1:
        return value
    raise ValueError("not a stored version (an integer of at least 1)")


def _optional_count(value: object) -> int | None:
    if value is None or (a_version(value) and value >= 0):
        return value
    raise ValueError("not a count (an integer of at least 0)")


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "id": _text,
    "name": _text,
    "email": _optional_text,
    "callback_url": _optional_text,
    "identity_link_url": _optional_text,
    "status": _member(IntegrationStatus),
    "setup_type": _member(SetupType),
    "selection": _stored_selection,
    "consumer_key": _text,
    "consumer_secret_sealed": _text,
    "access_token_digest": _optional_text,
    "access_secret_sealed": _optional_text,
    "exchange_verifier_digest": _optional_text,
    "exchange_started_at": _optional_timestamp,
    "exchange_failed_attempts": _optional_count,
    "request_token_digest": _optional_text,
    "request_secret_sealed": _optional_text,
    "request_token_issued_at": _optional_timestamp,
    "created_at": _timestamp,
    "updated_at": _timestamp,
    "version": _version,
}
"""How each column is read back, refusing what this adapter never writes."""

_DECODER_ITEMS = tuple(_DECODERS.items())


def _decoded(row: RowMapping | Mapping[str, Any]) -> dict[str, Any]:
    """Every column of ``row`` decoded, or :class:`StoredDataError` naming the first that is not."""
    try:
        return {column: decode(row[column]) for column, decode in _DECODER_ITEMS}
    except (ValueError, TypeError, IntegrationCoreError):
        pass
    # Decoded again one column at a time, to name the first that fails.
    column, error = next(
        (column, error)
        for column, decode in _DECODER_ITEMS
        if (error := _refusal(decode, row[column])) is not None
    )
    integration_id = row["id"] if isinstance(row["id"], str) else repr(row["id"])
    reason = "not a timestamp" if row[column] is UNREADABLE else str(error)
    raise StoredDataError(integration_id, column, reason)


def _refusal(decode: Callable[[Any], Any], value: object) -> Exception | None:
    """Why ``decode`` refuses ``value``, or ``None`` when it decodes."""
    try:
        decode(value)
    except (ValueError, TypeError, IntegrationCoreError) as error:
        return error
    return None


def _present(values: dict[str, Any], column: str) -> Any:
    """A column that must be set when its companion is: a token's secret, an exchange's start."""
    if values[column] is None:
        raise StoredDataError(values["id"], column, "missing while its companion column is set")
    return values[column]


def integration_from(row: RowMapping | Mapping[str, Any]) -> Integration:
    """The integration a row holds: a Core row, or the column values by name."""
    values = _decoded(row)
    access = None
    if values["access_token_digest"] is not None:
        access = StoredToken(
            token_digest=values["access_token_digest"],
            secret=SealedSecret(_present(values, "access_secret_sealed")),
        )
    exchange = None
    if values["exchange_verifier_digest"] is not None:
        request, issued_at = None, None
        if values["request_token_digest"] is not None:
            request = StoredToken(
                token_digest=values["request_token_digest"],
                secret=SealedSecret(_present(values, "request_secret_sealed")),
            )
            issued_at = _present(values, "request_token_issued_at")
        exchange = PendingExchange(
            verifier_digest=values["exchange_verifier_digest"],
            started_at=_present(values, "exchange_started_at"),
            request_token=request,
            request_token_issued_at=issued_at,
            failed_attempts=_present(values, "exchange_failed_attempts"),
        )
    return Integration(
        id=values["id"],
        name=values["name"],
        email=values["email"],
        callback_url=values["callback_url"],
        identity_link_url=values["identity_link_url"],
        status=values["status"],
        setup_type=values["setup_type"],
        selection=values["selection"],
        consumer=ConsumerCredentials(
            values["consumer_key"], SealedSecret(values["consumer_secret_sealed"])
        ),
        created_at=values["created_at"],
        updated_at=values["updated_at"],
        access=access,
        exchange=exchange,
        version=values["version"],
    )


_WIDTH = len(integrations.columns)
_NAMES = tuple(column.name for column in integrations.columns)

Processors = tuple[tuple[int, Callable[[Any], Any]], ...]
"""``(position, processor)`` for each of the table's columns SQLAlchemy would convert on reading."""


class DecodedRows:
    """
    Integrations decoded from rows, remembered by a key: an unchanged row is not decoded again.

    A row equal, column for column, to the last one decoded under its key holds the same
    integration (the drivers return one Python type per column type, so equal values decode
    to equal fields). At most ``limit`` keys are kept; beyond that the memo starts afresh.
    """

    def __init__(self, limit: int = 1024) -> None:
        self.limit = limit
        self._memo: dict[object, tuple[tuple[Any, ...], Integration]] = {}
        self._guard = threading.Lock()

    def recall(self, key: object, columns: tuple[Any, ...]) -> Integration | None:
        """The integration decoded last under ``key``, if it was decoded from these columns."""
        memo = self._memo.get(key)
        return memo[1] if memo is not None and memo[0] == columns else None

    def remember(self, key: object, columns: tuple[Any, ...], integration: Integration) -> None:
        """Keep ``integration`` as what ``columns`` decode to, under ``key``."""
        with self._guard:
            if len(self._memo) >= self.limit:
                self._memo.clear()
            self._memo[key] = (columns, integration)

    def forget(self) -> None:
        """Forget every decoded row: each is decoded again when next read."""
        with self._guard:
            self._memo.clear()

    def integration(self, row: Row[Any]) -> Integration:
        """The integration of a Core row whose first columns are the table's, by its id."""
        columns = tuple(row[:_WIDTH])
        integration = self.recall(columns[0], columns)
        if integration is None:
            integration = integration_from(row._mapping)  # noqa: SLF001 - Core's public row view
            self.remember(columns[0], columns, integration)
        return integration

    def driver_row(self, key: object, row: tuple[Any, ...], processors: Processors) -> Integration:
        """
        The integration of a driver's row whose first columns are the table's, under ``key``.

        A row not decoded before is converted by ``processors``, as SQLAlchemy would.
        """
        columns = row[:_WIDTH]
        integration = self.recall(key, columns)
        if integration is None:
            values = list(columns)
            for at, process in processors:
                # Every processor of these columns reads NULL as None: not called for it.
                if values[at] is not None:
                    values[at] = process(values[at])
            integration = integration_from(dict(zip(_NAMES, values, strict=True)))
            self.remember(key, columns, integration)
        return integration

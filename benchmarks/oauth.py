"""
OAuth 1.0a: a signed API call checked end to end, and what it costs on SQL storage.

Every request is a real signed call, ``GET /rest/V1/orders?searchCriteria[pageSize]=20``
signed with HMAC-SHA256 by oauthlib's client (the signer requests-oauthlib wraps), each with
a nonce of its own: all requests are signed before anything is timed, one per timed call, so
no call is refused as a replay. Three questions:

- what :meth:`OAuth1Provider.protected_resource <integration_core.oauth1.OAuth1Provider.protected_resource>`
  (the signature, the nonce, then ``authorize``) costs against oauthlib's own
  ``ResourceEndpoint`` over a trivial validator holding the plain secrets in dictionaries,
  both handed the same requests;
- how many SQL statements one such call runs on the SQL adapter (repository and nonce store),
  counted with a ``before_cursor_execute`` listener;
- what ``authorize`` by token costs through SQLAlchemy against the driver's own ``SELECT``
  of the same row (:mod:`sqlite3` or psycopg on one connection kept open, the same columns by
  ``access_token_digest``), on a SQLite file and, when ``INTEGRATION_CORE_TEST_POSTGRES_URL``
  names a database, on PostgreSQL; and where the difference goes: the driver's ``SELECT`` on a
  connection checked out of the engine's pool per call (what the repository's own read does),
  the same ``SELECT`` through SQLAlchemy Core with a connection checked out per call and on one
  kept open (the read before it went to the driver), and decoding a changed row into an
  ``Integration``.

Needs the ``oauth1`` extra (oauthlib). ``python -m benchmarks.oauth [--smoke]`` prints these
rows alone.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from functools import partial
from typing import Any

import sqlalchemy as sa
from oauthlib.oauth1 import Client, RequestValidator, ResourceEndpoint
from oauthlib.oauth1.rfc5849 import SIGNATURE_HMAC_SHA256

from benchmarks.config import FULL, SMOKE, Config
from benchmarks.integration import ALLOWED_ROUTE, INTEGRATIONS, _calls, issued
from benchmarks.magento import read_documents
from benchmarks.report import Row, format_ns, format_ratio, table
from benchmarks.storage import (
    POSTGRES_URL_VARIABLE,
    _authorize,
    _lookup,
    postgres,
    sqlite_on_file,
    stored_copy,
)
from benchmarks.timing import Measure, interleaved_best_ns
from integration_core import AclTree
from integration_core.adapters import InMemoryNonceStore
from integration_core.adapters.sqlalchemy import (
    SqlNonceStore,
    integrations,
)
from integration_core.adapters.sqlalchemy._rows import integration_from
from integration_core.integrations import IssuedCredentials
from integration_core.integrations._credentials import digest
from integration_core.oauth1 import OAuth1Provider

__all__ = ["TrivialValidator", "oauth_rows", "signed_requests"]

SIGNED_GOAL = 1.3
"""``protected_resource`` may cost at most this many times oauthlib's ``ResourceEndpoint``."""
STATEMENTS_GOAL = 2
"""SQL statements per signed call: one read of the integration, one nonce written."""
RAW_GOAL = 3.0
"""``authorize`` on SQL storage may cost at most this many times the driver's own ``SELECT``."""

CALLS_PER_SIGNED_CALL = 50
"""A signed call costs about fifty in-memory ``authorize`` calls: time that many fewer."""
CALLS_PER_DATABASE_CALL = 100
"""A database call costs about a hundred in-memory ones: time that many fewer calls."""

URI = "https://shop.example/rest/V1/orders?searchCriteria%5BpageSize%5D=20"
"""The API call every request makes."""

Signed = tuple[str, str, dict[str, str], str]
"""A signed request as a server receives it: method, URI, headers, body."""


class TrivialValidator(RequestValidator):  # type: ignore[misc]  # oauthlib has no type hints
    """
    oauthlib's validator at its simplest: plain secrets in dictionaries, nonces in a set.

    Its format checks are configured for Magento's 32-character keys and tokens (oauthlib's
    defaults, 20 to 30 characters, would refuse them): oauthlib's own ``check_client_key``,
    ``check_access_token`` and ``check_nonce`` read them. It accepts HMAC-SHA256 only.
    """

    def __init__(self, credentials: Sequence[IssuedCredentials]) -> None:
        super().__init__()
        self.clients = {
            issued.consumer_key: issued.consumer_secret.reveal() for issued in credentials
        }
        self.tokens = {
            issued.access_token.reveal(): (issued.consumer_key, issued.access_token_secret.reveal())
            for issued in credentials
        }
        self.nonces: set[tuple[str, str, str, str | None]] = set()

    allowed_signature_methods = (SIGNATURE_HMAC_SHA256,)
    safe_characters = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")
    client_key_length = (32, 32)
    access_token_length = (32, 32)
    nonce_length = (20, 64)
    enforce_ssl = True
    dummy_client = "d" * 32
    dummy_access_token = "d" * 32

    def validate_timestamp_and_nonce(  # noqa: PLR0917  # oauthlib's signature
        self,
        client_key: str,
        timestamp: str,
        nonce: str,
        request: object,  # noqa: ARG002  # oauthlib's signature
        request_token: str | None = None,  # noqa: ARG002  # oauthlib's signature
        access_token: str | None = None,
    ) -> bool:
        key = (client_key, timestamp, nonce, access_token)
        if key in self.nonces:
            return False
        self.nonces.add(key)
        return True

    def validate_client_key(self, client_key: str, request: object) -> bool:  # noqa: ARG002
        return client_key in self.clients

    def validate_access_token(self, client_key: str, token: str, request: object) -> bool:  # noqa: ARG002
        held = self.tokens.get(token)
        return held is not None and held[0] == client_key

    def validate_realms(self, *_arguments: object, **_keywords: object) -> bool:
        return True

    def get_client_secret(self, client_key: str, request: object) -> str:  # noqa: ARG002
        return self.clients.get(client_key, "d" * 32)

    def get_access_token_secret(self, client_key: str, token: str, request: object) -> str:  # noqa: ARG002
        held = self.tokens.get(token)
        return "d" * 32 if held is None else held[1]


def signed_requests(credentials: Sequence[IssuedCredentials], count: int) -> list[Signed]:
    """``count`` signed calls, round robin over ``credentials``, each with a nonce of its own."""
    timestamp = str(int(time.time()))
    requests: list[Signed] = []
    for number in range(count):
        issued = credentials[number % len(credentials)]
        client = Client(
            issued.consumer_key,
            client_secret=issued.consumer_secret.reveal(),
            resource_owner_key=issued.access_token.reveal(),
            resource_owner_secret=issued.access_token_secret.reveal(),
            signature_method=SIGNATURE_HMAC_SHA256,
            nonce=f"n{number:031d}",
            timestamp=timestamp,
        )
        uri, headers, body = client.sign(URI, "GET")
        requests.append(("GET", uri, dict(headers), body or ""))
    return requests


def _batches(requests: Sequence[Signed], size: int) -> Iterator[Sequence[Signed]]:
    for start in range(0, len(requests), size):
        yield requests[start : start + size]


def _ours(
    provider: OAuth1Provider, batches: Iterator[Sequence[Signed]], answers: list[bool]
) -> Callable[[], None]:
    check, required, note = provider.protected_resource, ALLOWED_ROUTE, answers.append

    def run() -> None:
        for method, uri, headers, body in next(batches):
            note(check(method, uri, headers, body, required).ok)

    return run


def _theirs(
    endpoint: ResourceEndpoint, batches: Iterator[Sequence[Signed]], answers: list[bool]
) -> Callable[[], None]:
    check, note = endpoint.validate_protected_resource_request, answers.append

    def run() -> None:
        for method, uri, headers, body in next(batches):
            note(check(uri, method, body, headers)[0])

    return run


def _signed_rows(config: Config, tree: AclTree) -> list[Row]:
    service, credentials = issued(tree, datetime.now(UTC))
    provider = OAuth1Provider(service, InMemoryNonceStore())
    endpoint = ResourceEndpoint(TrivialValidator(credentials))
    calls = max(1, config.integration_checks // CALLS_PER_SIGNED_CALL)
    # Both sides get the same requests; each keeps its own nonces, so each sees every one fresh.
    requests = signed_requests(credentials, calls * config.repeats)
    ours: list[bool] = []
    theirs: list[bool] = []
    best = interleaved_best_ns(
        {
            "ours": Measure(_ours(provider, _batches(requests, calls), ours)),
            "theirs": Measure(_theirs(endpoint, _batches(requests, calls), theirs)),
        },
        config.repeats,
    )
    if not (all(ours) and all(theirs) and len(ours) == len(theirs) == len(requests)):
        raise AssertionError(
            f"a fresh signed call was refused: ours {ours.count(False)}, "
            f"oauthlib's {theirs.count(False)} of {len(requests)}"
        )
    mine, baseline = best["ours"] / calls, best["theirs"] / calls
    return [
        Row(
            "oauth",
            "oauthlib `ResourceEndpoint`, trivial in-memory validator (baseline)",
            format_ns(baseline),
            "1x",
        ),
        Row(
            "oauth",
            f"`protected_resource`: signature, nonce, `authorize` (in memory, {INTEGRATIONS} "
            "integrations)",
            format_ns(mine),
            f"{format_ratio(mine / baseline)} oauthlib's endpoint",
            f"<= {SIGNED_GOAL}x",
            mine / baseline <= SIGNED_GOAL,
        ),
    ]


@contextlib.contextmanager
def _statements(engine: sa.Engine) -> Iterator[list[str]]:
    """The SQL statements the engine's cursors run inside the block, as they were sent."""
    seen: list[str] = []

    def note(*arguments: Any) -> None:
        seen.append(" ".join(str(arguments[2]).split()))

    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)


def _shape(statement: str) -> str:
    """A statement told by its verb, table and condition: ``SELECT t by access_token_digest``."""
    words = statement.split()
    table_name = next(
        (words[at + 1] for at, word in enumerate(words[:-1]) if word in {"FROM", "INTO"}), "?"
    )
    where = statement.partition(" WHERE ")[2].split(" ", 1)[0].rpartition(".")[2]
    return f"{words[0]} {table_name}" + (f" by {where}" if where else "")


def _statement_rows(config: Config, tree: AclTree) -> list[Row]:
    reference, credentials = issued(tree, datetime.now(UTC))
    calls = max(2, config.integration_checks // (CALLS_PER_SIGNED_CALL * CALLS_PER_DATABASE_CALL))
    with sqlite_on_file() as engine:
        _, service = stored_copy(engine, reference, tree)
        provider = OAuth1Provider(service, SqlNonceStore(engine))
        with _statements(engine) as seen:
            answers = [
                provider.protected_resource(method, uri, headers, body, ALLOWED_ROUTE).ok
                for method, uri, headers, body in signed_requests(credentials, calls)
            ]
    if not all(answers):
        raise AssertionError(f"{answers.count(False)} fresh signed calls refused on SQLite")
    per_call = len(seen) / calls
    shapes = [_shape(statement) for statement in seen[: len(seen) // calls]]
    return [
        Row(
            "oauth",
            "SQL statements per signed call, SQLite (repository + `SqlNonceStore`)",
            f"{per_call:g}",
            "; ".join(shapes),
            f"{STATEMENTS_GOAL}",
            per_call <= STATEMENTS_GOAL,
        )
    ]


_COLUMNS = ", ".join(column.name for column in integrations.columns)


def _query(engine: sa.Engine) -> str:
    """The driver's own ``SELECT`` of every column by token digest, in its parameter style."""
    if engine.dialect.name == "sqlite":
        return f"SELECT {_COLUMNS} FROM {integrations.name} WHERE access_token_digest = ?"  # noqa: S608  # our own names
    schema = engine.get_execution_options()["schema_translate_map"][None]
    return (
        f'SELECT {_COLUMNS} FROM "{schema}".{integrations.name} '  # noqa: S608  # our own names
        "WHERE access_token_digest = %s"
    )


@contextlib.contextmanager
def _raw_sqlite(engine: sa.Engine) -> Iterator[Callable[[str], object]]:
    """The row by token digest with :mod:`sqlite3` alone, on one connection kept open."""
    connection = sqlite3.connect(str(engine.url.database), check_same_thread=False)
    query = _query(engine)
    try:
        yield lambda token: connection.execute(query, (digest(token),)).fetchone()
    finally:
        connection.close()


@contextlib.contextmanager
def _raw_postgres(engine: sa.Engine) -> Iterator[Callable[[str], object]]:
    """The row by token digest with psycopg alone, on one connection kept open, in autocommit."""
    import psycopg  # noqa: PLC0415  # the postgres extra, needed only when PostgreSQL is measured

    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    query = _query(engine)
    with psycopg.connect(url, autocommit=True) as connection:
        yield lambda token: connection.execute(query, (digest(token),)).fetchone()


def _pooled(engine: sa.Engine, query: str, token: str) -> object:
    """The driver's ``SELECT`` on a connection checked out of the engine's pool, in autocommit."""
    pooled = engine.raw_connection()
    driver: Any = pooled.dbapi_connection
    switch = engine.dialect.name != "sqlite"
    try:
        if switch:
            driver.autocommit = True
        return driver.execute(query, (digest(token),)).fetchone()
    finally:
        if switch:
            driver.autocommit = False
        pooled.close()


_SELECT_BY_DIGEST = sa.select(integrations).where(
    integrations.c.access_token_digest == sa.bindparam("value")
)


def _read_options(engine: sa.Engine) -> dict[str, str]:
    """Reads on a server run in autocommit (one round trip), as the repository's do."""
    return {} if engine.dialect.name == "sqlite" else {"isolation_level": "AUTOCOMMIT"}


def _core_open(connection: sa.Connection, token: str) -> object:
    return connection.execute(_SELECT_BY_DIGEST, {"value": digest(token)}).mappings().first()


def _decode(row: sa.RowMapping, _token: str) -> object:
    return integration_from(row)


def _core_checkout(engine: sa.Engine, token: str) -> object:
    with engine.connect() as connection:
        return _core_open(connection.execution_options(**_read_options(engine)), token)


def _databases() -> list[
    tuple[
        str,
        Callable[[], contextlib.AbstractContextManager[sa.Engine]],
        Callable[[sa.Engine], contextlib.AbstractContextManager[Callable[[str], object]]],
    ]
]:
    databases: list[Any] = [("SQLite on a file", sqlite_on_file, _raw_sqlite)]
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if url:
        databases.append(("PostgreSQL", lambda: postgres(url), _raw_postgres))
    return databases


def _raw_rows(config: Config, tree: AclTree) -> list[Row]:
    reference, credentials = issued(tree)
    tokens = [issued_credentials.access_token.reveal() for issued_credentials in credentials]
    calls = max(1, config.integration_checks // CALLS_PER_DATABASE_CALL)
    rows: list[Row] = []
    for label, database, raw in _databases():
        with database() as engine, raw(engine) as lookup:
            repository, service = stored_copy(engine, reference, tree)
            if not all(service.authorize(token, ALLOWED_ROUTE).allowed for token in tokens):
                raise AssertionError(f"{label}: a stored integration was not authorized")
            if any(lookup(token) is None for token in tokens):
                raise AssertionError(f"{label}: the driver found no row for a stored token")
            with engine.connect() as connection:
                open_connection = connection.execution_options(**_read_options(engine))
                stored = (
                    open_connection.execute(_SELECT_BY_DIGEST, {"value": digest(tokens[0])})
                    .mappings()
                    .one()
                )
                best = interleaved_best_ns(
                    {
                        "authorize": Measure(_calls(partial(_authorize, service), tokens, calls)),
                        "find": Measure(_calls(partial(_lookup, repository), tokens, calls)),
                        "checkout": Measure(_calls(partial(_core_checkout, engine), tokens, calls)),
                        "open": Measure(
                            _calls(partial(_core_open, open_connection), tokens, calls)
                        ),
                        "decode": Measure(_calls(partial(_decode, stored), tokens, calls)),
                        "pooled": Measure(
                            _calls(partial(_pooled, engine, _query(engine)), tokens, calls)
                        ),
                        "raw": Measure(_calls(lookup, tokens, calls)),
                    },
                    config.repeats,
                )
        authorize, find, checkout, core, decode, pooled, driver = (
            best[name] / calls
            for name in ("authorize", "find", "checkout", "open", "decode", "pooled", "raw")
        )
        rows.extend(
            [
                Row(
                    "oauth",
                    f"driver's own `SELECT` of the row by token digest on {label} (baseline)",
                    format_ns(driver),
                    "1x",
                ),
                Row(
                    "oauth",
                    f"`authorize(token, [1 resource])` through SQLAlchemy on {label}",
                    format_ns(authorize),
                    f"{format_ratio(authorize / driver)} the driver's `SELECT`",
                    f"<= {RAW_GOAL:g}x",
                    authorize / driver <= RAW_GOAL,
                ),
                Row(
                    "oauth",
                    f"of which: `find_by_access_token_digest` on {label}",
                    format_ns(find),
                    f"{format_ratio(find / driver)} the driver's `SELECT`",
                ),
                Row(
                    "oauth",
                    f"the driver's `SELECT` on a pooled connection checked out per call, {label}",
                    format_ns(pooled),
                    f"{format_ratio(pooled / driver)} the driver's `SELECT`",
                ),
                Row(
                    "oauth",
                    f"SQLAlchemy Core `SELECT`, `engine.connect()` per call, on {label}",
                    format_ns(checkout),
                    f"{format_ratio(checkout / driver)} the driver's `SELECT`",
                ),
                Row(
                    "oauth",
                    f"SQLAlchemy Core `SELECT` on a connection kept open, on {label}",
                    format_ns(core),
                    f"{format_ratio(core / driver)} the driver's `SELECT`",
                ),
                Row(
                    "oauth",
                    f"decoding a changed row into an `Integration` (`integration_from`), {label}",
                    format_ns(decode),
                    f"{format_ratio(decode / driver)} the driver's `SELECT`",
                ),
            ]
        )
    if len(rows) < 2 * 7:
        rows.append(
            Row(
                "oauth",
                "`authorize` against the driver's `SELECT` on PostgreSQL",
                "not measured",
                f"set {POSTGRES_URL_VARIABLE} (scripts/postgres does)",
            )
        )
    return rows


def oauth_rows(config: Config) -> list[Row]:
    """A signed call against oauthlib's endpoint, its SQL statements, ``authorize`` against the driver."""
    tree = AclTree.from_magento_xml(read_documents())
    return [
        *_signed_rows(config, tree),
        *_statement_rows(config, tree),
        *_raw_rows(config, tree),
    ]


def main(arguments: Sequence[str]) -> int:
    """Print the OAuth rows alone: ``python -m benchmarks.oauth [--smoke]``."""
    print(table(oauth_rows(SMOKE if "--smoke" in arguments else FULL)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

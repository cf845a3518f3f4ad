"""The exchange and signed calls on every store; a store leaked without the key leaks no credential."""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from authlib.integrations.requests_client import OAuth1Auth
from requests_oauthlib import OAuth1

from integration_core import InMemoryIntegrationRepository, IntegrationStatus
from integration_core.adapters import InMemoryNonceStore
from integration_core.adapters.sqlalchemy import (
    SqlIntegrationRepository,
    SqlNonceStore,
    create_tables,
    metadata,
)
from integration_core.errors import StorageUnavailableError
from integration_core.ports import IntegrationRepository, NonceStore
from tests.adapters.test_sqlalchemy import (
    file_engine,
    memory_engine,
    needs_postgres,
    postgres_engine,
)
from tests.oauth1.support import FORM, STORE, Shop, activated, form, guarded, send, shop, signed

METHOD = "HMAC-SHA256"


Signer = Callable[..., requests.auth.AuthBase]


def with_requests_oauthlib(
    key: str,
    secret: str,
    token: str | None = None,
    token_secret: str | None = None,
    verifier: str | None = None,
) -> requests.auth.AuthBase:
    auth: requests.auth.AuthBase = OAuth1(
        key,
        secret,
        resource_owner_key=token,
        resource_owner_secret=token_secret,
        verifier=verifier,
        signature_method=METHOD,
    )
    return auth


def with_authlib(
    key: str,
    secret: str,
    token: str | None = None,
    token_secret: str | None = None,
    verifier: str | None = None,
) -> requests.auth.AuthBase:
    auth: requests.auth.AuthBase = OAuth1Auth(
        key, secret, token=token, token_secret=token_secret, verifier=verifier
    )
    return auth


CLIENTS = [
    pytest.param(with_requests_oauthlib, id="requests-oauthlib"),
    pytest.param(with_authlib, id="authlib"),
]


def full_exchange(host: Shop, sign: Signer = with_requests_oauthlib) -> dict[str, str]:
    """Every value the exchange issues, by name, after one allowed signed API call."""
    exchange = activated(host)
    issued = {
        "consumer_secret": exchange.consumer_secret.reveal(),
        "verifier": exchange.verifier.reveal(),
    }
    key, secret = exchange.consumer_key, issued["consumer_secret"]
    step_1 = signed("POST", f"{STORE}/oauth/token/request", sign(key, secret))
    request_token = form(send(host.provider.request_token, step_1))
    issued["request_token"] = request_token["oauth_token"]
    issued["request_token_secret"] = request_token["oauth_token_secret"]
    step_2 = sign(
        key, secret, issued["request_token"], issued["request_token_secret"], issued["verifier"]
    )
    access = form(
        send(host.provider.access_token, signed("POST", f"{STORE}/oauth/token/access", step_2))
    )
    issued["access_token"] = access["oauth_token"]
    issued["access_token_secret"] = access["oauth_token_secret"]
    call = sign(key, secret, issued["access_token"], issued["access_token_secret"])
    response = send(guarded(host, "sales"), signed("GET", f"{STORE}/rest/V1/orders?page=1", call))
    assert response.ok, response.problem
    (integration,) = host.service.repository.list()
    assert integration.status is IntegrationStatus.ACTIVE
    return issued


def assert_nothing_usable(raw: str, issued: dict[str, str]) -> None:
    leaked = [name for name, value in issued.items() if value in raw]
    assert leaked == []


def sql_dump(engine: sa.Engine) -> str:
    with engine.connect() as connection:
        return repr(
            [list(connection.execute(sa.select(table))) for table in metadata.sorted_tables]
        )


@pytest.fixture
def engines() -> Iterator[list[sa.Engine]]:
    made: list[sa.Engine] = []
    yield made
    for engine in made:
        engine.dispose()


def test_the_in_memory_stores_hold_no_usable_credential() -> None:
    repository, nonces = InMemoryIntegrationRepository(), InMemoryNonceStore()
    host = shop(repository=repository, nonces=nonces)
    issued = full_exchange(host)
    state = pickle.dumps(
        {
            name: value
            for name, value in {**vars(repository), **vars(nonces)}.items()
            if name != "_lock"
        }
    )
    for value in issued.values():
        assert value.encode() not in state
    assert_nothing_usable(repr(vars(repository)), issued)


SQL_STORES: list[object] = [
    pytest.param(lambda _: memory_engine(), id="sqlite-memory"),
    pytest.param(file_engine, id="sqlite-file"),
    pytest.param(lambda _: postgres_engine(), id="postgres", marks=needs_postgres),
]


@pytest.mark.parametrize("sign", CLIENTS)
@pytest.mark.parametrize("make_engine", SQL_STORES)
def test_the_exchange_runs_on_sql_and_its_raw_rows_hold_no_usable_credential(
    make_engine: Callable[[Path], sa.Engine], sign: Signer, tmp_path: Path, engines: list[sa.Engine]
) -> None:
    engine = make_engine(tmp_path)
    engines.append(engine)
    create_tables(engine)
    repository: IntegrationRepository = SqlIntegrationRepository(engine)
    nonces: NonceStore = SqlNonceStore(engine)
    issued = full_exchange(shop(repository=repository, nonces=nonces), sign)
    dump = sql_dump(engine)
    assert_nothing_usable(dump, issued)
    with engine.connect() as connection:
        assert (
            connection.execute(
                sa.text("SELECT COUNT(*) FROM integration_core_oauth_nonce")
            ).scalar()
            == 3
        )


def test_statement_logging_and_driver_errors_show_no_secret(
    tmp_path: Path, engines: list[sa.Engine], caplog: pytest.LogCaptureFixture
) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'echo.sqlite'}", echo=True)
    engines.append(engine)
    create_tables(engine)
    with caplog.at_level(logging.INFO, logger="sqlalchemy.engine"):
        issued = full_exchange(
            shop(repository=SqlIntegrationRepository(engine), nonces=SqlNonceStore(engine))
        )
    assert "INSERT INTO integration_core_integration" in caplog.text
    assert_nothing_usable(caplog.text, issued)
    broken = sa.create_engine("sqlite://")
    engines.append(broken)
    host = shop(repository=SqlIntegrationRepository(broken))
    with pytest.raises(StorageUnavailableError) as raised:
        host.service.save_and_activate(FORM)
    cause = raised.value.__cause__
    shown = f"{raised.value!r} {cause!r} {getattr(cause, 'params', '')!r}"
    assert "no such table" in shown
    for value in issued.values():
        assert value not in shown

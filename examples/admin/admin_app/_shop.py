"""The shop's side of integration-core: storage, keys, the ACL tree, the service and the provider."""

from __future__ import annotations

import json
import os
import secrets
from base64 import b64decode, b64encode
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy

from integration_core import (
    MAGENTO_ADMIN,
    AclTree,
    ConfigIntegration,
    IntegrationService,
    OAuthSettings,
    SystemClock,
)
from integration_core.adapters.sealing import AesGcmSealer
from integration_core.adapters.sqlalchemy import (
    SqlIntegrationRepository,
    SqlNonceStore,
    create_tables,
)
from integration_core.oauth1 import OAuth1Provider
from integration_core.webapi import RouteMap

HERE = Path(__file__).resolve().parent.parent
MAGENTO = HERE / "magento"
CONFIG_INTEGRATIONS = HERE / "config" / "integration.xml"
SUCCESS_CALLBACK = "/admin/integration/loginSuccessCallback"


@dataclass(frozen=True)
class Settings:
    """Where the shop keeps its data and where it listens."""

    data_dir: Path
    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 5000
    # Magento's ``oauth/consumer/post_timeout``: how long the callback POST may wait for an answer.
    callback_timeout: float = 5.0

    @property
    def base_url(self) -> str:
        """The shop's base URL, which the third party signs its calls against."""
        return f"http://{self.host}:{self.port}/"

    @property
    def url(self) -> str:
        """The SQLAlchemy URL: the one given, else an SQLite file in the data folder."""
        return self.database_url or f"sqlite:///{self.data_dir / 'integrations.sqlite'}"


@dataclass(frozen=True)
class Shop:
    """Everything the views need, built once at start-up and shared by the server's threads."""

    service: IntegrationService
    provider: OAuth1Provider
    tree: AclTree
    routes: RouteMap
    engine: sqlalchemy.Engine
    session_secret: bytes
    callback_timeout: float


def magento_tree() -> AclTree:
    """The tree the API tab shows: Magento 2.4's modules merged in file order, under the admin."""
    documents = {path.name: path.read_bytes() for path in sorted((MAGENTO / "acl").glob("*.xml"))}
    return AclTree.from_magento_xml(documents).subtree(MAGENTO_ADMIN)


def magento_routes() -> RouteMap:
    """The REST routes of the shipped ``webapi.xml`` copies."""
    documents = {
        path.name: path.read_bytes() for path in sorted((MAGENTO / "webapi").glob("*.xml"))
    }
    return RouteMap.from_magento_xml(documents)


def _private_file(path: Path, make: bytes) -> bytes:
    """The file's bytes, first writing ``make`` there, readable by this user only."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as written:
            written.write(make)
    return path.read_bytes()


def load_sealer(data_dir: Path) -> AesGcmSealer:
    """The sealing key kept next to the database, made on first start (never in the repository)."""
    fresh = {"current": "k1", "keys": {"k1": b64encode(AesGcmSealer.generate_key()).decode()}}
    stored = json.loads(_private_file(data_dir / "sealing-keys.json", json.dumps(fresh).encode()))
    keys = {key_id: b64decode(key) for key_id, key in stored["keys"].items()}
    return AesGcmSealer(keys, current=stored["current"])


def open_shop(settings: Settings) -> Shop:
    """Connect, create the tables, sync the configuration integrations and build the service."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = sqlalchemy.create_engine(settings.url)
    create_tables(engine)
    tree = magento_tree()
    oauth = OAuthSettings(settings.base_url, settings.base_url.rstrip("/") + SUCCESS_CALLBACK)
    service = IntegrationService(
        SqlIntegrationRepository(engine),
        tree,
        SystemClock(),
        oauth,
        sealer=load_sealer(settings.data_dir),
    )
    service.sync_config(ConfigIntegration.from_magento_xml(CONFIG_INTEGRATIONS.read_bytes()))
    return Shop(
        service=service,
        provider=OAuth1Provider(service, SqlNonceStore(engine)),
        tree=tree,
        routes=magento_routes(),
        engine=engine,
        session_secret=_private_file(settings.data_dir / "session-secret", secrets.token_bytes(32)),
        callback_timeout=settings.callback_timeout,
    )

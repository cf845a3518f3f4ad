"""The example admin on PostgreSQL, chosen by URL: New, Save & Activate and a signed call, over HTTP."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from requests_oauthlib import OAuth1

from admin_app import Settings
from integration_core.adapters.sqlalchemy import integrations, metadata
from tests.example_app.conftest import free_port, serving

POSTGRES_URL = os.environ.get("INTEGRATION_CORE_TEST_POSTGRES_URL")


def field(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', page)
    assert found is not None, element_id
    return found.group(1)


@pytest.mark.skipif(
    not POSTGRES_URL,
    reason="INTEGRATION_CORE_TEST_POSTGRES_URL is not set (scripts/postgres sets it)",
)
def test_the_admin_stores_in_postgresql_when_given_its_url(tmp_path: Path) -> None:
    assert POSTGRES_URL is not None
    engine = sa.create_engine(POSTGRES_URL)
    metadata.drop_all(engine)
    settings = Settings(data_dir=tmp_path, database_url=POSTGRES_URL, port=free_port())
    try:
        with serving(settings) as admin, requests.Session() as browser:
            form = browser.get(f"{admin.url}/admin/integrations/new", timeout=10).text
            token = re.search(r'name="csrf_token" value="([^"]+)"', form)
            assert token is not None
            fields = {"csrf_token": token.group(1), "name": "On Postgres", "all_resources": "1"}
            shown = browser.post(
                f"{admin.url}/admin/integrations/new",
                data={**fields, "action": "save_activate"},
                timeout=10,
            )
            assert shown.headers["Cache-Control"] == "no-store"
            auth = OAuth1(
                field(shown.text, "consumer-key"),
                field(shown.text, "consumer-secret"),
                resource_owner_key=field(shown.text, "access-token"),
                resource_owner_secret=field(shown.text, "access-token-secret"),
                signature_method="HMAC-SHA256",
            )
            called = requests.get(f"{admin.url}/rest/V1/orders", auth=auth, timeout=10)
            assert called.status_code == 200
        with engine.connect() as connection:
            names = connection.execute(sa.select(integrations.c.name)).scalars().all()
        assert sorted(names) == ["On Postgres", "Warehouse Sync"]
    finally:
        metadata.drop_all(engine)
        engine.dispose()

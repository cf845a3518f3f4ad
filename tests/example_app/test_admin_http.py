"""The example admin over plain HTTP: what a browser test would not show."""

from __future__ import annotations

import requests

from tests.example_app.conftest import Admin


def test_an_admin_post_without_the_session_token_is_refused_and_saves_nothing(admin: Admin) -> None:
    answer = requests.post(
        f"{admin.url}/admin/integrations/new",
        data={"name": "Forged", "all_resources": "1", "action": "save"},
        timeout=10,
    )
    assert answer.status_code == 400
    names = [integration.name for integration in admin.shop.service.repository.list()]
    assert "Forged" not in names


def test_rest_paths_match_the_shipped_routes_with_or_without_a_store_code(admin: Admin) -> None:
    for path in ("/rest/V1/orders", "/rest/default/V1/orders"):
        unsigned = requests.get(f"{admin.url}{path}", timeout=10)
        assert unsigned.status_code == 400
        assert "Missing+mandatory+OAuth+parameters" in unsigned.text
    unknown = requests.get(f"{admin.url}/rest/V1/nothing/here", timeout=10)
    assert unknown.status_code == 404
    assert unknown.json() == {"message": "Request does not match any route."}


def test_only_the_built_files_of_jquery_and_jstree_are_served(admin: Admin) -> None:
    served = requests.get(f"{admin.url}/vendor/jquery/jquery.min.js", timeout=10)
    assert served.status_code == 200
    assert requests.get(f"{admin.url}/vendor/jquery/../package.json", timeout=10).status_code == 404
    assert requests.get(f"{admin.url}/vendor/other/index.js", timeout=10).status_code == 404


def test_a_grid_url_that_makes_no_sense_shows_the_grid_with_defaults(admin: Admin) -> None:
    odd = "?name=%00Ware%00house&status=9&sort=bogus&dir=sideways&page=-3&page=x"
    answer = requests.get(f"{admin.url}/admin/integrations{odd}", timeout=10)
    assert answer.status_code == 200
    assert 'data-name="Warehouse Sync"' in answer.text
    too_far = requests.get(f"{admin.url}/admin/integrations?page=999999", timeout=10)
    assert too_far.status_code == 200
    assert "find any records." in too_far.text

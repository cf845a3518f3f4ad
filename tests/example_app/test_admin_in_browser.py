"""The example admin driven in headless Chromium, as an admin and a third party would use it."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote_plus

import pytest
import requests
from playwright.sync_api import Page, expect

from integration_core import Integration, IntegrationForm, ResourceSelection
from tests.example_app.conftest import Admin, free_port
from tests.example_app.third_party import Linked, ThirdParty

Shot = Callable[[Page, str], Path]
SALES = "Magento_Sales::sales"
OPERATIONS = "Magento_Sales::sales_operation"
ORDERS = "Magento_Sales::sales_order"
INVOICES = "Magento_Sales::sales_invoice"
CATALOG = "Magento_Catalog::catalog"


def selected(page: Page) -> set[str]:
    """The ids the tree widget holds selected."""
    ids: list[str] = page.evaluate("() => $('#resources').jstree(true).get_selected()")
    return set(ids)


def node(page: Page, resource_id: str) -> str:
    return f'#resources li[id="{resource_id}"]'


def tick(page: Page, resource_id: str) -> None:
    """Click a node's checkbox, as the admin does."""
    page.locator(f"{node(page, resource_id)} > a > .jstree-checkbox").click()


def open_node(page: Page, resource_id: str) -> None:
    page.locator(f"{node(page, resource_id)} > .jstree-ocl").click()
    expect(page.locator(node(page, resource_id))).to_have_class(re.compile("jstree-open"))


def fill_info(page: Page, name: str, endpoint: str = "", identity: str = "") -> None:
    page.fill("#name", name)
    page.fill("#endpoint", endpoint)
    page.fill("#identity_link_url", identity)


def show_api_tab(page: Page, *, custom: bool) -> None:
    page.click("#tab-api")
    page.select_option("#all_resources", "0" if custom else "1")
    if custom:
        expect(page.locator("#resources .jstree-anchor").first).to_be_visible()


def stored(admin: Admin, name: str) -> Integration:
    return admin.shop.service.repository.get_by_name(name)


def tokens_shown(page: Page) -> Linked:
    """The four credentials of the "Integration Tokens for Extensions" page."""
    expect(page.locator("#tokens")).to_be_visible()
    return Linked(
        page.inner_text("#consumer-key"),
        page.inner_text("#consumer-secret"),
        page.inner_text("#access-token"),
        page.inner_text("#access-token-secret"),
    )


def orders(admin: Admin, linked: Linked) -> requests.Response:
    return requests.get(f"{admin.url}/rest/V1/orders", auth=linked.auth(), timeout=10)


def row(page: Page, name: str) -> str:
    return f'#integrations tr[data-name="{name}"]'


def test_validation_errors_show_next_to_their_fields(
    admin: Admin, page: Page, screenshot: Shot
) -> None:
    page.goto(f"{admin.url}/admin/integrations/new")
    fill_info(page, "  ", endpoint="ftp://erp.example/")
    page.fill("#email", "ops@")
    show_api_tab(page, custom=True)
    # A tampered post: an id the tree lacks, next to the widget's own.
    page.evaluate(
        """() => { const extra = document.createElement("input");
        extra.type = "hidden"; extra.name = "resource[]"; extra.value = "Bogus_Module::nothing";
        document.getElementById("integration-form").appendChild(extra); }"""
    )
    page.click("#save")
    expect(page.locator("#name-error")).to_contain_text("required")
    expect(page.locator("#email-error")).to_be_visible()
    expect(page.locator("#endpoint-error")).to_be_visible()
    expect(page.locator("#resource-error")).to_contain_text("Bogus_Module::nothing")
    expect(page.locator("#email")).to_have_value("ops@")  # what was posted is shown again
    expect(page.locator("#tab-api")).to_have_class("tab-error")
    page.click("#tab-info")
    screenshot(page, "example-admin-validation-errors")


def test_custom_with_a_parent_ticked_and_a_child_unticked_reopens_with_the_same_ticks(
    admin: Admin, page: Page, screenshot: Shot
) -> None:
    page.goto(f"{admin.url}/admin/integrations/new")
    fill_info(page, "Custom Ticks")
    page.click("#tab-api")
    expect(page.locator("#all_resources")).to_have_value("0")  # Custom, as Magento opens New
    show_api_tab(page, custom=True)
    assert selected(page) == set()
    tick(page, SALES)
    open_node(page, SALES)
    open_node(page, OPERATIONS)
    tick(page, INVOICES)
    ticked = selected(page)
    tree = admin.shop.tree
    # The whole of Sales but the invoices: the tick cascaded down, the untick took its subtree.
    family = {SALES, *(node.id for node in tree.descendants(SALES))}
    invoices = {INVOICES, *(node.id for node in tree.descendants(INVOICES))}
    assert ticked == family - invoices
    screenshot(page, "example-admin-api-tab")
    page.click("#save")
    expect(page.locator(".message-success")).to_contain_text("Custom Ticks")
    assert stored(admin, "Custom Ticks").selection.allowed(tree) == ticked
    page.click(f"{row(page, 'Custom Ticks')} >> text=Edit")
    page.click("#tab-api")
    expect(page.locator("#resources .jstree-anchor").first).to_be_visible()
    assert selected(page) == ticked


@pytest.mark.parametrize(
    ("name", "allow", "deny_children_of"),
    [
        ("Only Sales Itself", [SALES], SALES),
        ("Only Sales Orders", [ORDERS], None),
    ],
)
def test_a_tricky_selection_survives_an_unchanged_save(
    admin: Admin, page: Page, name: str, allow: list[str], deny_children_of: str | None
) -> None:
    tree = admin.shop.tree
    deny = [] if deny_children_of is None else [n.id for n in tree.children(deny_children_of)]
    selection = ResourceSelection.custom(tree, allow=allow, deny=deny)
    saved = admin.shop.service.save(IntegrationForm(name=name, selection=selection)).integration
    before = saved.selection.allowed(tree)
    page.goto(f"{admin.url}/admin/integrations/{saved.id}")
    page.click("#tab-api")
    expect(page.locator("#resources .jstree-anchor").first).to_be_visible()
    assert selected(page) == before
    page.click("#save")
    expect(page.locator(".message-success")).to_contain_text(name)
    assert stored(admin, name).selection.allowed(tree) == before


def test_save_and_activate_without_a_callback_shows_the_tokens_once_and_they_call_the_api(
    admin: Admin, page: Page, screenshot: Shot
) -> None:
    page.goto(f"{admin.url}/admin/integrations/new")
    fill_info(page, "Direct Tokens")
    show_api_tab(page, custom=False)
    page.click("#save-activate")
    expect(page.locator(".message-success")).to_contain_text("has been activated")
    linked = tokens_shown(page)
    screenshot(page, "example-admin-tokens")
    answer = orders(admin, linked)
    assert answer.status_code == 200
    assert answer.json()["total_count"] == 2
    assert stored(admin, "Direct Tokens").status.label == "Active"
    # The tokens are shown once: the grid and the Edit page never show them again.
    page.click("#done")
    expect(page.locator(row(page, "Direct Tokens"))).to_contain_text("Active")
    assert linked.access_token not in page.content()
    page.click(f"{row(page, 'Direct Tokens')} >> text=Edit")
    assert linked.access_token_secret not in page.content()
    # Custom with only the catalog: the same credentials are refused the orders at once.
    show_api_tab(page, custom=True)
    tick(page, CATALOG)
    page.click("#save")
    expect(page.locator(".message-success")).to_contain_text("Direct Tokens")
    denied = orders(admin, linked)
    assert denied.status_code == 401
    assert "Magento_Sales::actions_view" in unquote_plus(denied.text)


def test_save_and_activate_with_urls_posts_to_the_callback_and_the_third_party_completes_it(
    admin: Admin, page: Page, third_party: ThirdParty, screenshot: Shot
) -> None:
    page.goto(f"{admin.url}/admin/integrations/new")
    fill_info(
        page,
        "Exchange Partner",
        endpoint=f"{third_party.url}/callback",
        identity=f"{third_party.url}/login",
    )
    show_api_tab(page, custom=False)
    page.click("#save-activate")
    expect(page.locator(".message-success")).to_contain_text("has been sent for activation")
    assert third_party.failures == []
    posted = third_party.posts[-1]
    integration = stored(admin, "Exchange Partner")
    assert posted["oauth_consumer_key"] == integration.consumer.key
    assert sorted(posted) == [
        "oauth_consumer_key",
        "oauth_consumer_secret",
        "oauth_verifier",
        "store_base_url",
    ]
    assert integration.status.label == "Active"
    linked = third_party.linked[-1]
    assert orders(admin, linked).status_code == 200
    unsigned = requests.get(f"{admin.url}/rest/V1/orders", timeout=10)
    assert unsigned.status_code == 400
    # The identity link opens the third party's page in a popup; it links back to the shop,
    # whose success page sends the admin to the grid.
    with page.expect_popup() as opened:
        page.click("#identity-link")
    popup = opened.value
    expect(popup.locator("body")).to_contain_text(integration.consumer.key)
    with popup.expect_event("close"):
        popup.click("text=Back")
    expect(page).to_have_url(re.compile(r"/admin/integrations$"))
    exchange_row = page.locator(row(page, "Exchange Partner"))
    expect(exchange_row).to_contain_text("Active")
    expect(exchange_row.locator(".not-secure")).to_have_text("Integration not secure")
    screenshot(page, "example-admin-grid")


@pytest.mark.parametrize("callback", ["hanging", "unreachable"])
def test_a_callback_that_cannot_be_posted_to_is_reported_and_nothing_is_active(
    admin: Admin, page: Page, third_party: ThirdParty, callback: str
) -> None:
    name = f"Partner {callback}"
    # A port nothing listens on: the connection is refused at once.
    endpoint = (
        f"{third_party.url}/slow" if callback == "hanging" else f"http://127.0.0.1:{free_port()}/"
    )
    third_party.release.clear()
    page.goto(f"{admin.url}/admin/integrations/new")
    fill_info(page, name, endpoint=endpoint, identity=f"{third_party.url}/login")
    show_api_tab(page, custom=False)
    page.click("#save-activate")
    expect(page.locator(".message-error")).to_contain_text(
        "Unable to post data to consumer due to an unexpected error"
    )
    third_party.release.set()  # the hanging handler's thread ends
    assert stored(admin, name).status.label == "Inactive"
    expect(page.locator(row(page, name))).to_contain_text("Activate")


def test_activate_then_reauthorize_replace_the_tokens_and_delete_removes_the_row(
    admin: Admin, page: Page
) -> None:
    admin.shop.service.save(IntegrationForm(name="Short Lived", selection=ResourceSelection.all()))
    page.goto(f"{admin.url}/admin/integrations?name=Short+Lived")
    page.click(f"{row(page, 'Short Lived')} >> text=Activate")
    expect(page.locator(".message-success")).to_contain_text("has been activated")
    first = tokens_shown(page)
    assert orders(admin, first).status_code == 200
    page.goto(f"{admin.url}/admin/integrations?name=Short+Lived")
    page.click(f"{row(page, 'Short Lived')} >> text=Reauthorize")
    expect(page.locator(".message-success")).to_contain_text("re-authorized")
    second = tokens_shown(page)
    assert second.consumer_key == first.consumer_key
    assert second.access_token != first.access_token
    assert orders(admin, first).status_code == 401
    assert orders(admin, second).status_code == 200
    page.goto(f"{admin.url}/admin/integrations?name=Short+Lived")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"{row(page, 'Short Lived')} >> text=Delete")
    expect(page.locator(".message-success")).to_contain_text("has been deleted")
    expect(page.locator(row(page, "Short Lived"))).to_have_count(0)
    assert orders(admin, second).status_code == 401


def test_the_grid_filters_sorts_and_pages(admin: Admin, page: Page) -> None:
    for number in range(1, 24):
        admin.shop.service.save(IntegrationForm(name=f"Paged {number:02d}"))
    page.goto(f"{admin.url}/admin/integrations")
    page.fill("input[name=name]", "paged")
    page.click("text=Search")
    expect(page.locator(".count")).to_have_text("23 records found")
    expect(page.locator("#integrations tbody tr")).to_have_count(20)
    expect(page.locator("#integrations tbody tr").first).to_have_attribute("data-name", "Paged 01")
    page.click("a[rel=next]")
    expect(page.locator("#integrations tbody tr")).to_have_count(3)
    page.click("th >> text=Name")  # sorted by name already: the second click reverses it
    expect(page.locator("#integrations tbody tr").first).to_have_attribute("data-name", "Paged 23")
    page.select_option("select[name=status]", "1")
    page.click("text=Search")
    expect(page.locator(".count")).to_have_text("0 records found")


def test_a_configuration_integration_is_read_only(admin: Admin, page: Page) -> None:
    page.goto(f"{admin.url}/admin/integrations?name=Warehouse")
    warehouse = page.locator(row(page, "Warehouse Sync"))
    expect(warehouse.locator("button", has_text="Delete")).to_be_disabled()
    warehouse.locator("text=View").click()
    expect(page.locator("h1")).to_have_text('View "Warehouse Sync" Integration')
    expect(page.locator("#name")).to_be_disabled()
    expect(page.locator("#save")).to_have_count(0)
    expect(page.locator("#tab-api")).to_have_count(0)

"""The Edit screen's impact preview: the REST routes a pending change opens and closes, before Save."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from integration_core import Integration, IntegrationForm, ResourceSelection
from integration_core.webapi import Route, RouteImpact, preview
from tests.browser.conftest import SCREENSHOTS
from tests.example_app.conftest import Admin
from tests.example_app.test_admin_in_browser import INVOICES, SALES, stored, tick

# Sales > Operations > Orders > Actions > Reorder: no REST route checks it.
REORDER = "Magento_Sales::reorder"
# Its sibling Cancel: POST /V1/orders/:id/cancel checks it.
CANCEL = "Magento_Sales::cancel"


def shown(routes: tuple[Route, ...]) -> list[str]:
    """The routes as the page lists them: method, then URL."""
    return [str(route) for route in routes]


def impact_of(admin: Admin, before: ResourceSelection, after: ResourceSelection) -> RouteImpact:
    """The library's preview on the app's own tree and route map."""
    return preview(admin.shop.routes, admin.shop.tree, before, after)


def edit_api_tab(admin: Admin, page: Page, name: str, selection: ResourceSelection) -> Integration:
    """A stored integration's Edit page, on its API tab, before anything changes."""
    saved = admin.shop.service.save(IntegrationForm(name=name, selection=selection)).integration
    page.goto(f"{admin.url}/admin/integrations/{saved.id}")
    page.click("#tab-api")
    expect(page.locator("#resources .jstree-anchor").first).to_be_visible()
    expect(page.locator("#route-preview")).to_contain_text("No change from the stored resources.")
    return saved


def listed(within: Locator, kind: str) -> Locator:
    return within.locator(f".routes-{kind} li")


def save_and_see(page: Page) -> Locator:
    """Save, and the grid's note of what the save changed."""
    page.click("#save")
    expect(page.locator(".message-success")).to_be_visible()
    return page.locator("#saved-impact")


def test_unticking_a_child_that_routes_check_lists_the_routes_it_closes_before_and_after_save(
    admin: Admin, page: Page
) -> None:
    tree = admin.shop.tree
    # Reorder denied: Sales and Operations are mixed, so the page opens them on load.
    before = ResourceSelection.custom(tree, allow=[SALES], deny=[REORDER])
    after = before.exclude(tree, INVOICES)
    impact = impact_of(admin, before, after)
    assert impact.closed  # the invoice routes check Magento_Sales::sales_invoice
    assert impact.opened == ()
    edit_api_tab(admin, page, "Preview Closes", before)
    tick(page, INVOICES)  # the box was ticked: clicking it unticks Invoices and its subtree
    preview_box = page.locator("#route-preview")
    expect(listed(preview_box, "closes")).to_have_text(shown(impact.closed))
    expect(listed(preview_box, "opens")).to_have_count(0)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#resources-field").screenshot(
        path=SCREENSHOTS / "example-admin-route-preview.png"
    )
    saved = save_and_see(page)
    expect(saved).to_contain_text('"Preview Closes"')
    expect(listed(saved, "closes")).to_have_text(shown(impact.closed))
    expect(listed(saved, "opens")).to_have_count(0)
    assert stored(admin, "Preview Closes").selection.allowed(tree) == after.allowed(tree)


def test_unticking_a_child_that_no_route_checks_says_it_closes_no_route(
    admin: Admin, page: Page
) -> None:
    tree = admin.shop.tree
    # Cancel denied: every ancestor of Reorder is mixed, so the page opens them on load.
    before = ResourceSelection.custom(tree, allow=[SALES], deny=[CANCEL])
    after = before.exclude(tree, REORDER)
    assert before.diff(after, tree).denied == {REORDER}
    assert impact_of(admin, before, after) == RouteImpact((), ())
    edit_api_tab(admin, page, "Preview Trap", before)
    tick(page, REORDER)
    preview_box = page.locator("#route-preview")
    expect(preview_box.locator(".closes-no-route")).to_contain_text("This change closes no route")
    expect(preview_box.locator(".routes li")).to_have_count(0)
    saved = save_and_see(page)
    expect(saved.locator(".closes-no-route")).to_contain_text("This change closes no route")
    expect(saved.locator(".routes li")).to_have_count(0)


def test_ticking_lists_the_routes_it_opens_and_unticking_again_changes_nothing(
    admin: Admin, page: Page
) -> None:
    tree = admin.shop.tree
    before = ResourceSelection.custom(tree, allow=[SALES], deny=[INVOICES])
    after = before.grant(tree, INVOICES)
    impact = impact_of(admin, before, after)
    assert impact.opened
    assert impact.closed == ()
    edit_api_tab(admin, page, "Preview Opens", before)
    tick(page, INVOICES)  # Sales and Operations open on load: their subtrees are mixed
    preview_box = page.locator("#route-preview")
    expect(listed(preview_box, "opens")).to_have_text(shown(impact.opened))
    expect(listed(preview_box, "closes")).to_have_count(0)
    tick(page, INVOICES)
    expect(preview_box).to_contain_text("No change from the stored resources.")
    tick(page, INVOICES)
    expect(listed(preview_box, "opens")).to_have_text(shown(impact.opened))
    saved = save_and_see(page)
    expect(listed(saved, "opens")).to_have_text(shown(impact.opened))


def test_switching_to_all_previews_every_route_the_tree_opens(admin: Admin, page: Page) -> None:
    tree = admin.shop.tree
    before = ResourceSelection.custom(tree, allow=[SALES])
    impact = impact_of(admin, before, ResourceSelection.all())
    edit_api_tab(admin, page, "Preview All", before)
    page.select_option("#all_resources", "1")
    expect(listed(page.locator("#route-preview"), "opens")).to_have_text(shown(impact.opened))

"""
The walkthrough behind ``python -m integration_core``.

It follows Magento's admin screen end to end: load the ACL, fill in the Info tab
(name, email, callback URL, identity link URL), choose Custom resources on the API
tab (a parent granted, one child left out), **Save and Activate**, and print the tree
with its marks and the activation result; then play the third party's side of the
OAuth exchange and authorize two API calls with the access token it receives.
"""

from __future__ import annotations

from collections.abc import Callable

from integration_core._sample import SAMPLE_ACL_XML
from integration_core.acl import MAGENTO_ADMIN, AclTree
from integration_core.adapters.clock import SystemClock
from integration_core.adapters.memory import InMemoryIntegrationRepository
from integration_core.adapters.sealing import AesGcmSealer
from integration_core.integrations import IntegrationForm, OAuthSettings
from integration_core.selection import ResourceSelection
from integration_core.service import IntegrationService

__all__ = ["main"]


def main(out: Callable[[str], None] = print) -> None:
    """Run the walkthrough, writing each line through ``out``."""
    acl = AclTree.from_magento_xml(SAMPLE_ACL_XML)
    tree = acl.subtree(MAGENTO_ADMIN)
    out(f"Loaded {len(acl)} ACL resources from {len(SAMPLE_ACL_XML)} acl.xml documents;")
    out(f"the API tab shows the {len(tree)} resources under {MAGENTO_ADMIN}.")
    service = IntegrationService(
        InMemoryIntegrationRepository(),
        tree,
        SystemClock(),
        OAuthSettings("https://shop.example/", "https://shop.example/admin/integration/ok"),
        sealer=AesGcmSealer({"2024-01": AesGcmSealer.generate_key()}, current="2024-01"),
    )

    out("\n== Info tab: name, email, callback URL, identity link URL")
    selection = (
        ResourceSelection.custom(tree)
        .grant(tree, "Magento_Sales::sales")
        .exclude(tree, "Magento_Sales::cancel")
    )
    form = IntegrationForm(
        name="ERP Connector",
        email="erp@example.com",
        callback_url="https://erp.example/magento/callback",
        identity_link_url="https://erp.example/magento/login",
        selection=selection,
    )
    for field in ("name", "email", "callback_url", "identity_link_url"):
        out(f"  {field}: {getattr(form, field)}")
    out("\n== API tab: Resource Access Custom -- Sales granted, Cancel left out")
    out(tree.render(selection.check_states(tree)))

    out("\n== Save and Activate")
    activation = service.save_and_activate(form)
    integration = activation.integration
    out(f"  events: {', '.join(type(event).__name__ for event in activation.events)}")
    out(f"  status: {integration.status.label} (until the third party completes the exchange)")
    exchange = activation.exchange
    assert exchange is not None  # noqa: S101  # both URLs are set, so the exchange starts
    out(f"  POST to {exchange.callback_url}:")
    for name, value in exchange.post_fields().items():
        out(f"    {name}={value}")
    out(f"  open for the admin: {exchange.identity_link_url}")

    out("\n== The third party exchanges the verifier for an access token")
    request = service.request_token(exchange.consumer_key)
    access = service.access_token(
        exchange.consumer_key, request.token.token.reveal(), exchange.verifier.reveal()
    )
    out(f"  status: {access.integration.status.label}")
    token = access.token.token.reveal()

    out("\n== API calls with the access token")
    for route, required in (
        ("POST /V1/invoices", ["Magento_Sales::invoice"]),
        ("POST /V1/orders/{id}/cancel", ["Magento_Sales::cancel"]),
    ):
        decision = service.authorize(token, required)
        verdict = "allowed" if decision.allowed else f"denied: {decision.message}"
        out(f"  {route}: {verdict}")

"""The admin screens: the integrations grid, New and Edit, and the grid's row actions."""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from admin_app import _grid
from admin_app._callback import post_to_consumer
from admin_app._context import shop
from integration_core import Integration, IntegrationForm
from integration_core.errors import (
    ConcurrencyConflictError,
    IntegrationNotFoundError,
    IntegrationValidationError,
    LifecycleError,
    Problem,
    ReadOnlyIntegrationError,
)
from integration_core.integrations import FormPost
from integration_core.service import ActivationResult

admin = Blueprint("admin", __name__, url_prefix="/admin")

# The service names the callback URL ``callback_url``; Magento's form posts it as ``endpoint``.
# A selection's problems belong to the tree, where the resources are ticked.
FORM_FIELDS = {"callback_url": "endpoint", "selection": "resource"}
SHOWN_FIELDS = ("name", "email", "endpoint", "identity_link_url", "resource")


def _no_store(response: Response) -> Response:
    """Pages showing secrets are never cached, so Back cannot show them again."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _integration(integration_id: str) -> Integration:
    return shop().service.repository.get(integration_id)


@admin.errorhandler(IntegrationNotFoundError)
def _not_found(_: IntegrationNotFoundError) -> ResponseReturnValue:
    flash("This integration no longer exists.", "error")
    return redirect(url_for("admin.grid"))


@admin.errorhandler(ReadOnlyIntegrationError)
def _read_only(_: ReadOnlyIntegrationError) -> ResponseReturnValue:
    flash("The integrations created in the config file can't be edited.", "error")
    return redirect(url_for("admin.grid"))


@admin.errorhandler(ConcurrencyConflictError)
def _conflict(_: ConcurrencyConflictError) -> ResponseReturnValue:
    flash("Someone else changed this integration meanwhile: here it is as it is now.", "error")
    if request.endpoint == "admin.update" and request.view_args:
        return redirect(url_for("admin.edit", **request.view_args))
    return redirect(url_for("admin.grid"))


@admin.get("/integrations")
def grid() -> ResponseReturnValue:
    """System > Integrations: the grid, filtered, sorted and paged in the repository."""
    query = _grid.query_of(request.args)
    page = shop().service.repository.query(query)
    return render_template(
        "grid.html",
        page=page,
        links=_grid.GridLinks(query),
        statuses=_grid.STATUS_OPTIONS,
        chosen_status=request.args.get("status", ""),
        not_secure=_grid.not_secure,
        activation_step=_grid.activation_step,
        read_only=_grid.read_only,
    )


def _form_page(
    post: FormPost,
    integration: Integration | None,
    problems: Sequence[Problem] = (),
    status: int = 200,
) -> ResponseReturnValue:
    """The New or Edit page showing ``post``'s fields, each with its problems beside it."""
    tree = shop().tree
    form, _ = post.form(tree)
    # Under "All" the tree is hidden; switching to Custom starts from nothing ticked.
    selection = None if post.all_resources else form.selection
    states = None if selection is None else selection.check_states(tree)
    errors: dict[str, list[str]] = {}
    for problem in problems:
        field = FORM_FIELDS.get(problem.field, problem.field)
        errors.setdefault(field if field in SHOWN_FIELDS else "", []).append(problem.message)
    page = render_template(
        "form.html",
        integration=integration,
        fields=post.to_fields(),
        errors=errors,
        all_resources=post.all_resources,
        jstree=tree.to_jstree(states),
        read_only=integration is not None and _grid.read_only(integration),
    )
    return page, status


def _posted(integration_id: str | None) -> tuple[FormPost, IntegrationForm, list[Problem]]:
    """The post, its form and every problem of both (nothing is saved)."""
    post = FormPost.parse(request.form.to_dict(flat=False))
    form, post_problems = post.form(shop().tree)
    checks = shop().service.validate(form, integration_id=integration_id)
    return post, form, [*checks, *post_problems]


@admin.get("/integrations/new")
def new() -> ResponseReturnValue:
    """Add New Integration: the empty form; Resource Access "Custom" with nothing ticked, as in Magento."""
    return _form_page(FormPost(), None)


@admin.post("/integrations/new")
def create() -> ResponseReturnValue:
    """Save, or Save & Activate, a new integration."""
    post, form, problems = _posted(None)
    if problems:
        return _form_page(post, None, problems, 422)
    try:
        if request.form.get("action") == "save_activate":
            return _activated(shop().service.save_and_activate(form), reauthorized=False)
        saved = shop().service.save(form).integration
    except IntegrationValidationError as error:  # a name taken meanwhile
        return _form_page(post, None, error.problems, 422)
    flash(f"The integration '{saved.name}' has been saved.", "success")
    return redirect(url_for("admin.grid"))


@admin.get("/integrations/<integration_id>")
def edit(integration_id: str) -> ResponseReturnValue:
    """Edit (or View, for a configuration integration) with the fields as stored."""
    integration = _integration(integration_id)
    return _form_page(FormPost.of(integration, shop().tree), integration)


@admin.post("/integrations/<integration_id>")
def update(integration_id: str) -> ResponseReturnValue:
    """Save an edited integration; permissions apply at once, no reauthorization."""
    integration = _integration(integration_id)
    post, form, problems = _posted(integration_id)
    if problems:
        return _form_page(post, integration, problems, 422)
    try:
        edited = shop().service.edit(integration_id, form, version=post.loaded_version)
    except IntegrationValidationError as error:
        return _form_page(post, integration, error.problems, 422)
    flash(f"The integration '{edited.integration.name}' has been saved.", "success")
    return redirect(url_for("admin.grid"))


def _activated(result: ActivationResult, *, reauthorized: bool) -> ResponseReturnValue:
    """Tokens issued: shown once. Exchange started: the fields posted, the identity link offered."""
    name = result.integration.name
    if result.credentials is not None:
        done = "re-authorized" if reauthorized else "activated"
        page = render_template("tokens.html", name=name, done=done, credentials=result.credentials)
        return _no_store(Response(page))
    exchange = result.exchange
    assert exchange is not None  # noqa: S101  # an activation either issues tokens or starts the exchange
    failure = post_to_consumer(exchange, shop().callback_timeout)
    if failure is not None:
        flash(f"Unable to post data to consumer due to an unexpected error: {failure}.", "error")
        return redirect(url_for("admin.grid"))
    sent = "re-authorization" if reauthorized else "activation"
    return render_template("exchange.html", name=name, sent=sent, exchange=exchange)


@admin.post("/integrations/<integration_id>/activate")
def activate(integration_id: str) -> ResponseReturnValue:
    """The grid's Activate link."""
    try:
        result = shop().service.activate(integration_id)
    except LifecycleError:
        flash("The integration is already active: reauthorize it instead.", "error")
        return redirect(url_for("admin.grid"))
    return _activated(result, reauthorized=False)


@admin.post("/integrations/<integration_id>/reauthorize")
def reauthorize(integration_id: str) -> ResponseReturnValue:
    """The grid's Reauthorize link: new access credentials, the consumer's kept."""
    return _activated(shop().service.reauthorize(integration_id), reauthorized=True)


@admin.post("/integrations/<integration_id>/delete")
def delete(integration_id: str) -> ResponseReturnValue:
    """Delete, at the version the grid showed."""
    version = FormPost.parse({"version": request.form.get("version", "")}).loaded_version
    deleted = shop().service.delete(integration_id, version=version)
    flash(f"The integration '{deleted.integration.name}' has been deleted.", "success")
    return redirect(url_for("admin.grid"))


@admin.get("/integration/loginSuccessCallback")
def login_success() -> ResponseReturnValue:
    """Where the third party's identity page sends the admin back: the popup closes itself."""
    return render_template("login_success.html")

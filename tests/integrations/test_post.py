"""Magento's form post: parsed without a framework, back for re-display, checked all at once."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from integration_core import AclTree, IntegrationForm, ResourceSelection
from integration_core.errors import InvalidArgumentError
from integration_core.integrations import FormPost
from integration_core.testing.builders import sample_integration, sample_service
from integration_core.testing.strategies import integration_forms, trees_with_selections

TREE = AclTree.from_data([{"id": "sales", "children": [{"id": "orders"}, {"id": "cancel"}]}])


@pytest.mark.law
@given(trees_with_selections(), st.data())
def test_a_form_loaded_and_posted_unchanged_keeps_its_fields_and_what_it_allows(
    pair: tuple[AclTree, ResourceSelection], data: st.DataObject
) -> None:
    """
    Rule: the Edit form of an integration, posted back unchanged, gives the same fields and a
    selection allowing exactly what the integration's selection allows.
    """
    tree, selection = pair
    typed = data.draw(integration_forms(tree))
    integration = attrs.evolve(
        sample_integration(typed.name or "x"),
        email=typed.email or None,
        callback_url=typed.callback_url or None,
        identity_link_url=typed.identity_link_url or None,
        selection=selection,
    )
    post = FormPost.of(integration, tree)
    again = FormPost.parse(post.to_fields())
    assert again == post
    form, problems = again.form(tree)
    assert problems == []
    assert form.selection is not None
    assert form.selection.allowed(tree) == selection.allowed(tree)
    assert (form.name, form.email, form.callback_url, form.identity_link_url) == (
        integration.name,
        integration.email or "",
        integration.callback_url or "",
        integration.identity_link_url or "",
    )
    assert again.loaded_version == integration.version


def test_a_tampered_post_reports_unknown_ids_and_a_bad_version_with_the_forms_own_problems() -> (
    None
):
    post = FormPost.parse(
        {
            "name": "",
            "email": "not an email",
            "all_resources": "0",
            "resource[]": ["orders", "Magento_Evil::x", "<script>"],
            "version": "two",
        }
    )
    form, problems = post.form(TREE)
    assert form.selection is not None
    assert form.selection.to_magento(TREE) == ["orders"]
    service = sample_service(TREE)
    everything = [*service.validate(form), *problems]
    assert [(problem.field, problem.code) for problem in everything] == [
        ("name", "required"),
        ("email", "invalid_email"),
        ("version", "invalid"),
        ("resource", "unknown_resource"),
    ]
    assert "'<script>'" in everything[-1].message
    assert post.loaded_version is None
    assert service.repository.list() == ()
    assert FormPost.parse(post.to_fields()) == post


def test_all_resources_and_the_field_spellings_frameworks_use() -> None:
    everything = FormPost.parse({"all_resources": "1", "resource": ["orders"]})
    form, _ = everything.form(TREE)
    assert form.selection == ResourceSelection.all()
    assert everything.resources == ("orders",)
    assert FormPost.parse({"resource": "orders"}).resources == ("orders",)
    assert FormPost.parse({}).to_fields()["version"] == []


def test_validate_on_edit_does_not_count_the_integrations_own_name() -> None:
    service = sample_service(TREE)
    saved = service.save(IntegrationForm(name="ERP")).integration
    assert service.validate(IntegrationForm(name="erp"), integration_id=saved.id) == ()
    assert [p.code for p in service.validate(IntegrationForm(name="ERP"))] == ["duplicate"]
    with pytest.raises(InvalidArgumentError):
        service.validate({"name": "ERP"})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "fields", [["name"], {"name": 3}, {"resource[]": [1, 2]}], ids=["list", "number", "numbers"]
)
def test_fields_that_are_no_texts_are_refused_naming_the_field(fields: object) -> None:
    with pytest.raises(InvalidArgumentError):
        FormPost.parse(fields)  # type: ignore[arg-type]

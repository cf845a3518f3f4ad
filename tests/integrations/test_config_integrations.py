"""Configuration integrations: definitions, integration.xml, and idempotent sync."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs
import pytest

from integration_core import (
    AccessMode,
    AclTree,
    ConfigIntegration,
    IntegrationForm,
    IntegrationService,
    IntegrationStatus,
    SetupType,
)
from integration_core.errors import (
    IntegrationConfigError,
    IntegrationValidationError,
    InvalidArgumentError,
)
from integration_core.events import IntegrationReset, PermissionsChanged
from integration_core.testing.builders import sample_sealer
from tests.lifecycle_support import SETTINGS, TREE, make_service

ERP = ConfigIntegration(
    name="ERP",
    email="erp@example.com",
    endpoint_url="https://erp.example/cb",
    identity_link_url="https://erp.example/login",
    resources=["Magento_Sales::invoice"],
)


def test_listed_resources_grant_their_ancestors_too() -> None:
    assert frozenset({"Magento_Sales::sales", "Magento_Sales::invoice"}) == ERP.selection(
        TREE
    ).allowed(TREE)


def test_magentos_all_resource_means_all_and_its_admin_root_is_tolerated() -> None:
    every = attrs.evolve(ERP, resources=["Magento_Backend::all"])
    admin = attrs.evolve(ERP, resources=["Magento_Backend::admin", "Magento_Catalog::products"])
    assert every.selection(TREE).mode == AccessMode.ALL
    assert {"Magento_Catalog::catalog", "Magento_Catalog::products"} == admin.selection(
        TREE
    ).allowed(TREE)


# -- reading definitions ----------------------------------------------------------------------


def test_definitions_read_from_plain_data() -> None:
    data = [
        {
            "name": "ERP",
            "email": "erp@example.com",
            "endpoint_url": "https://erp.example/cb",
            "identity_link_url": "https://erp.example/login",
            "resources": ["Magento_Sales::invoice"],
        }
    ]
    assert ConfigIntegration.from_data(data) == (ERP,)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "ERP"}, "integrations: expected a list, got dict"),
        (["ERP"], "integrations[0]: expected a mapping, got str"),
        ([{"name": "ERP", "colour": "red"}], "integrations[0].colour: unknown key"),
        ([{"name": 7}], "integrations[0].name: expected a string, got int"),
        ([{"name": "E", "email": None}], "integrations[0].email: expected a string, got NoneType"),
        (
            [{"name": "E", "resources": [1]}],
            "integrations[0].resources[0]: expected a string, got int",
        ),
    ],
)
def test_malformed_data_names_the_entry_and_key(data: object, message: str) -> None:
    with pytest.raises(IntegrationConfigError) as raised:
        ConfigIntegration.from_data(data)  # type: ignore[arg-type]
    assert message == str(raised.value)


def test_integration_xml_documents_merge_by_name_in_order() -> None:
    first = """<config>
        <integration name="ERP">
            <email>old@example.com</email>
            <endpoint_url> https://erp.example/cb </endpoint_url>
            <resources><resource name="Magento_Sales::invoice"/></resources>
        </integration>
        <integration name="CRM"><email>crm@example.com</email></integration>
    </config>"""
    second = b"""<?xml version="1.0"?><config><integration name="ERP">
        <email>erp@example.com</email>
        <identity_link_url>https://erp.example/login</identity_link_url>
        <resources>
            <resource name="Magento_Sales::invoice"/><resource name="Magento_Catalog::products"/>
        </resources></integration></config>"""
    erp, crm = ConfigIntegration.from_magento_xml({"A/integration.xml": first, "B.xml": second})
    expected = attrs.evolve(ERP, resources=["Magento_Sales::invoice", "Magento_Catalog::products"])
    assert expected == erp
    assert ConfigIntegration("CRM", "crm@example.com") == crm


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("<config>", "integration.xml: malformed XML: no element found: line 1, column 8"),
        (
            '<!DOCTYPE x [<!ENTITY a "b">]><config/>',
            "integration.xml: refused hostile XML: DTDForbidden(name='x', system_id=None, public_id=None)",
        ),
        (
            "<integrations/>",
            "integration.xml: the root element must be <config>, got <integrations>",
        ),
        ("<config><acl/></config>", "integration.xml: /config/acl: expected <integration>"),
        (
            "<config><integration/></config>",
            "integration.xml: /config/integration: needs a 'name' attribute",
        ),
        (
            '<config><integration name="E"><colour/></integration></config>',
            "integration.xml: /config/integration[@name='E']/colour: unexpected element",
        ),
        (
            '<config><integration name="E"><resources><resource/></resources></integration></config>',
            "integration.xml: /config/integration[@name='E']/resources/resource: expected <resource name=\"...\"/>",
        ),
    ],
)
def test_bad_integration_xml_is_refused_naming_document_and_element(
    document: str, message: str
) -> None:
    with pytest.raises(IntegrationConfigError) as raised:
        ConfigIntegration.from_magento_xml(document)
    assert message == str(raised.value)


def test_a_document_that_is_not_text_is_refused() -> None:
    with pytest.raises(IntegrationConfigError, match="must be str or bytes, got int"):
        ConfigIntegration.from_magento_xml({"x.xml": 7})  # type: ignore[dict-item]


# -- syncing ------------------------------------------------------------------------------------


def test_sync_creates_new_definitions_as_inactive_config_integrations() -> None:
    service, _ = make_service()
    report = service.sync_config([ERP])
    integration = service.repository.get_by_name("ERP")
    assert (
        report.created,
        report.unchanged,
        report.reset,
        report.orphaned,
    ) == (("ERP",), (), (), ())
    assert (
        integration.setup_type,
        integration.status,
    ) == (SetupType.CONFIG, IntegrationStatus.INACTIVE)
    assert integration.callback_url == "https://erp.example/cb"


def test_syncing_unchanged_definitions_again_changes_nothing_magento_11374() -> None:
    service, clock = make_service()
    service.sync_config([ERP])
    before = service.repository.get_by_name("ERP")
    clock.advance(timedelta(days=1))
    report = service.sync_config([ERP])
    assert (report.created, report.unchanged, report.reset, report.events) == ((), ("ERP",), (), ())
    assert before == service.repository.get_by_name("ERP")


def test_a_grown_tree_alone_does_not_reset_an_integration() -> None:
    service, clock = make_service()
    service.sync_config([ERP])
    grown = AclTree.from_data([*TREE.to_data(), {"id": "Vendor_New::thing", "title": "Thing"}])
    later = IntegrationService(service.repository, grown, clock, SETTINGS, sealer=sample_sealer())
    assert later.sync_config([ERP]).unchanged == ("ERP",)


def test_a_changed_definition_recreates_the_integration_with_status_reset() -> None:
    service, clock = make_service()
    service.sync_config([ERP])
    activated = service.activate(service.repository.get_by_name("ERP").id)
    old = activated.integration
    clock.advance(timedelta(hours=1))
    changed = attrs.evolve(ERP, email="ops@example.com", resources=["Magento_Catalog::products"])
    report = service.sync_config([changed])
    new = service.repository.get_by_name("ERP")
    assert report.reset == ("ERP",)
    assert (new.status, new.email) == (IntegrationStatus.RESET, "ops@example.com")
    assert old.consumer.key != new.consumer.key
    assert (new.access, new.exchange) == (None, None)
    reset, permissions = report.events
    assert IntegrationReset(old.id, clock.now(), "ERP", ("email", "selection")) == reset
    assert isinstance(permissions, PermissionsChanged)
    assert {"Magento_Catalog::catalog", "Magento_Catalog::products"} == permissions.diff.allowed


def test_a_reset_integration_can_be_activated_again() -> None:
    service, _ = make_service()
    service.sync_config([ERP])
    service.sync_config([attrs.evolve(ERP, endpoint_url="")])
    integration = service.repository.get_by_name("ERP")
    result = service.activate(integration.id)
    assert result.integration.status == IntegrationStatus.ACTIVE


def test_a_manual_integration_with_a_configured_name_becomes_a_config_one() -> None:
    service, _ = make_service()
    service.save(IntegrationForm(name="erp", email="erp@example.com"))
    report = service.sync_config([ERP])
    assert report.reset == ("ERP",)
    integration = service.repository.get_by_name("ERP")
    assert integration.setup_type == SetupType.CONFIG


def test_integrations_no_longer_configured_are_reported_not_deleted() -> None:
    service, _ = make_service()
    service.sync_config([ERP, ConfigIntegration("CRM", "crm@example.com")])
    service.save(IntegrationForm(name="Manual"))
    report = service.sync_config([ERP])
    assert report.orphaned == ("CRM",)
    assert len(service.repository.list()) == 3


def test_sync_checks_every_definition_first_and_changes_nothing_on_a_problem() -> None:
    service, _ = make_service()
    definitions = [
        ERP,
        ConfigIntegration("X"),
        ConfigIntegration("erp", "erp@example.com", resources=["Vendor_X::y"]),
    ]
    with pytest.raises(IntegrationValidationError) as raised:
        service.sync_config(definitions)
    assert [(p.field, p.code) for p in raised.value.problems] == [
        ("integrations[1].name", "too_short"),
        ("integrations[1].email", "required"),
        ("integrations[2].resources", "unknown_resource"),
        ("integrations[2].name", "duplicate"),
    ]
    assert service.repository.list() == ()


def test_the_configuration_reader_takes_a_sequence_of_documents_like_the_tree_reader() -> None:
    assert ConfigIntegration.from_magento_xml(["<config/>"]) == ()
    with pytest.raises(IntegrationConfigError) as raised:
        ConfigIntegration.from_magento_xml(["<config/>", "<config><x/></config>"])
    assert raised.value.source.startswith("documents[1]")


def test_documents_of_another_type_are_refused_naming_the_argument() -> None:
    with pytest.raises(IntegrationConfigError) as raised:
        ConfigIntegration.from_magento_xml(7)  # type: ignore[arg-type]
    assert raised.value.source == "documents"


def test_text_that_is_not_valid_unicode_is_refused_naming_the_document() -> None:
    with pytest.raises(IntegrationConfigError) as raised:
        ConfigIntegration.from_magento_xml({"erp.xml": "<config>\ud800</config>"})
    assert raised.value.source == "erp.xml"
    assert raised.value.reason.startswith("text that is not valid Unicode")


@pytest.mark.parametrize("encoding", ["shift_jis", "utf-32", "big5", "utf-7", "foo"])
def test_an_unreadable_encoding_is_refused_naming_the_document(encoding: str) -> None:
    document = f'<?xml version="1.0" encoding="{encoding}"?><config/>'.encode("ascii")
    with pytest.raises(IntegrationConfigError) as raised:
        ConfigIntegration.from_magento_xml({"erp.xml": document})
    assert raised.value.source == "erp.xml"
    assert repr(encoding) in raised.value.reason


def test_an_entry_without_a_name_is_refused_naming_the_key() -> None:
    with pytest.raises(IntegrationConfigError) as raised:
        ConfigIntegration.from_data([{"name": "ERP"}, {}])
    assert str(raised.value) == "integrations[1].name: required key is missing"


@pytest.mark.parametrize(
    ("arguments", "source"),
    [
        ({"name": "ab", "resources": [None, 0]}, "resources[0]"),
        ({"name": "ab", "resources": ["a", 0]}, "resources[1]"),
        ({"name": "ab", "resources": "a"}, "resources"),
        ({"name": "ab", "resources": None}, "resources"),
        ({"name": 123}, "name"),
        ({"name": "ab", "email": None}, "email"),
        ({"name": "ab", "endpoint_url": 1}, "endpoint_url"),
        ({"name": "ab", "identity_link_url": b"x"}, "identity_link_url"),
    ],
)
def test_a_definition_of_the_wrong_types_is_refused_naming_the_field(
    arguments: dict[str, Any], source: str
) -> None:
    with pytest.raises(IntegrationConfigError) as raised:
        ConfigIntegration(**arguments)
    assert source == raised.value.source


def test_syncing_something_that_is_not_a_definition_names_its_position_and_changes_nothing() -> (
    None
):
    service, _ = make_service()
    with pytest.raises(IntegrationValidationError) as raised:
        service.sync_config([ERP, {"name": "ERP"}])  # type: ignore[list-item]
    assert [(p.field, p.code) for p in raised.value.problems] == [
        ("integrations[1]", "invalid_type")
    ]
    assert service.repository.list() == ()
    with pytest.raises(InvalidArgumentError) as wrong:
        service.sync_config(None)  # type: ignore[arg-type]
    assert wrong.value.field == "definitions"

"""Forms and configuration definitions fuzzed: a value or our error naming the field or document."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from integration_core import (
    ConfigIntegration,
    IntegrationForm,
    IntegrationStatus,
    ResourceSelection,
    SetupType,
)
from integration_core.errors import (
    IntegrationConfigError,
    IntegrationCoreError,
    IntegrationValidationError,
    InvalidArgumentError,
)
from integration_core.integrations import GridSort, IntegrationQuery
from integration_core.integrations._form import clean_form
from tests.fuzz._gate import FUZZ, outcome
from tests.fuzz._values import ANY, ODD_TEXT
from tests.lifecycle_support import TREE

FORM_FIELDS = ("name", "email", "callback_url", "identity_link_url", "selection")
CONFIG_KEYS = ("name", "email", "endpoint_url", "identity_link_url", "resources")
TEXT_OR_ANY = ODD_TEXT | ANY

INTEGRATION_XML = (
    st.sampled_from(
        [
            "<config>",
            "</config>",
            '<integration name="A">',
            '<integration name="\u0405hop">',
            "</integration>",
            "<email>a@b.example</email>",
            "<endpoint_url>https://a.example/cb</endpoint_url>",
            "<resources>",
            "</resources>",
            '<resource name="Magento_Sales::sales"/>',
            '<resource name="Magento_Sales::invoice"/>',
            '<!DOCTYPE x [<!ENTITY a "a">]>',
            "&a;",
        ]
    )
    | ODD_TEXT
)


@FUZZ
@given(st.dictionaries(st.sampled_from(FORM_FIELDS), TEXT_OR_ANY))
def test_a_form_of_any_values_is_built_or_refused_naming_its_fields(fields: dict[str, Any]) -> None:
    fields.setdefault("name", "Shop")
    form = outcome(lambda: IntegrationForm(**fields))
    if isinstance(form, IntegrationCoreError):
        assert isinstance(form, IntegrationValidationError)
        assert set(form.fields) <= set(FORM_FIELDS)
        return
    clean, problems = clean_form(form, TREE)
    assert {problem.field for problem in problems} <= set(FORM_FIELDS)
    assert isinstance(clean.selection, ResourceSelection)


@FUZZ
@given(st.dictionaries(st.sampled_from(CONFIG_KEYS), TEXT_OR_ANY | st.lists(TEXT_OR_ANY)))
def test_a_definition_of_any_values_is_built_or_refused_naming_its_field(
    fields: dict[str, Any],
) -> None:
    fields.setdefault("name", "ERP")
    definition = outcome(lambda: ConfigIntegration(**fields))
    if isinstance(definition, IntegrationCoreError):
        assert isinstance(definition, IntegrationConfigError)
        assert definition.source.split("[")[0] in CONFIG_KEYS
        return
    outcome(lambda: definition.selection(TREE))


@FUZZ
@given(ANY | st.lists(st.dictionaries(st.sampled_from(CONFIG_KEYS), TEXT_OR_ANY)))
def test_any_data_reads_as_definitions_or_is_refused(data: Any) -> None:
    result = outcome(lambda: ConfigIntegration.from_data(data))
    assert isinstance(result, tuple | IntegrationConfigError)


@FUZZ
@given(
    st.lists(INTEGRATION_XML, max_size=12).map("".join) | ANY,
    st.sampled_from(["str", "utf-8", "utf-16", "shift_jis-declared", "list"]),
)
def test_any_integration_xml_reads_as_definitions_or_is_refused(document: Any, form: str) -> None:
    given_documents: Any = document
    if isinstance(document, str):
        if form == "utf-8":
            given_documents = document.encode("utf-8", "surrogatepass")
        elif form == "utf-16":
            given_documents = document.encode("utf-16", "replace")
        elif form == "shift_jis-declared":
            given_documents = f'<?xml version="1.0" encoding="shift_jis"?>{document}'.encode(
                "utf-8", "surrogatepass"
            )
        elif form == "list":
            given_documents = [document, document]
    result = outcome(lambda: ConfigIntegration.from_magento_xml(given_documents))
    assert isinstance(result, tuple | IntegrationConfigError)


QUERY_FIELDS = (
    "name_contains",
    "statuses",
    "setup_types",
    "sort",
    "descending",
    "page",
    "page_size",
)
QUERY_VALUES = (
    TEXT_OR_ANY
    | st.sampled_from([*IntegrationStatus, *SetupType, *GridSort])
    | st.sets(st.sampled_from([*IntegrationStatus, *SetupType]))
    | st.integers(-3, 2**31 + 3)
)


@FUZZ
@given(st.dictionaries(st.sampled_from(QUERY_FIELDS), QUERY_VALUES))
def test_a_grid_query_of_any_values_is_built_or_refused_naming_its_field(
    fields: dict[str, Any],
) -> None:
    query = outcome(lambda: IntegrationQuery(**fields))
    if isinstance(query, IntegrationCoreError):
        assert isinstance(query, InvalidArgumentError)
        assert query.field in QUERY_FIELDS
        return
    assert (query.page_of(()).items, query.page_of(()).total) == ((), 0)

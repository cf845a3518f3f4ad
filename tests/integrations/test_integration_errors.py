"""The errors of the integration lifecycle."""

from __future__ import annotations

from integration_core.errors import IntegrationNotFoundError, IntegrationValidationError, Problem


def test_problems_are_values() -> None:
    problem = Problem("name", "required", "This is a required field.")
    assert problem == Problem("name", "required", "This is a required field.")
    assert problem != ("name", "required", "This is a required field.")
    assert len({problem, Problem("name", "required", "This is a required field.")}) == 1


def test_a_validation_error_lists_each_offending_field_once_in_order() -> None:
    error = IntegrationValidationError(
        [Problem("url", "a", "A."), Problem("name", "b", "B."), Problem("url", "c", "C.")]
    )
    assert error.fields == ("url", "name")
    assert str(error) == "url: A.; name: B.; url: C."


def test_not_found_by_name_says_so() -> None:
    assert (
        str(IntegrationNotFoundError("Shop", field="name"))
        == 'The integration with name "Shop" doesn\'t exist.'
    )

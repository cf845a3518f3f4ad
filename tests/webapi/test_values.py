"""Matches and decisions are frozen values: equal by fields, of their own class only, copyable."""

from __future__ import annotations

import copy
import pickle
from unittest import mock

import pytest

from integration_core.webapi import Route, RouteDecision, RouteDenial, RouteMatch

ROUTE = Route("GET", "/V1/orders/:id", "S", "get", ("Magento_Sales::sales",))
MATCH = RouteMatch(ROUTE, (("id", "7"),))
DECISION = RouteDecision(
    allowed=False,
    reason=RouteDenial.MISSING_RESOURCES,
    match=MATCH,
    denied=("Magento_Sales::sales",),
)


def test_values_with_equal_fields_are_equal_and_hash_alike() -> None:
    again = RouteDecision(
        allowed=False,
        reason=RouteDenial.MISSING_RESOURCES,
        match=RouteMatch(route=ROUTE, params=(("id", "7"),)),
        denied=("Magento_Sales::sales",),
    )
    assert again == DECISION
    assert not again != DECISION  # noqa: SIM202  # != is its own method
    assert hash(again) == hash(DECISION)
    assert RouteMatch(ROUTE) != MATCH


def test_a_value_is_never_equal_to_a_plain_tuple_nor_to_another_class() -> None:
    assert MATCH != (ROUTE, (("id", "7"),))
    assert (ROUTE, (("id", "7"),)) != MATCH
    assert RouteDecision(allowed=True, reason=None, match=None) != RouteMatch(ROUTE)
    assert MATCH != "GET /V1/orders/:id"
    # Other objects still answer for themselves, as with any value class.
    assert MATCH == mock.ANY


def test_values_are_not_ordered() -> None:
    with pytest.raises(TypeError, match="not ordered"):
        assert RouteMatch(ROUTE) > MATCH
    with pytest.raises(TypeError, match="not ordered"):
        assert RouteDecision(allowed=True, reason=None, match=None) <= DECISION


def test_values_read_their_fields_and_show_them_as_attrs_does() -> None:
    assert (DECISION.allowed, DECISION.reason, DECISION.match, DECISION.route) == (
        False,
        RouteDenial.MISSING_RESOURCES,
        MATCH,
        ROUTE,
    )
    assert repr(MATCH) == f"RouteMatch(route={ROUTE!r}, params=(('id', '7'),))"
    assert repr(DECISION) == (
        "RouteDecision(allowed=False, reason=<RouteDenial.MISSING_RESOURCES: 'missing_resources'>, "
        f"match={MATCH!r}, denied=('Magento_Sales::sales',))"
    )
    match DECISION:
        case RouteDecision(False, RouteDenial.MISSING_RESOURCES, RouteMatch(route, params)):
            assert (route, params) == (ROUTE, (("id", "7"),))
        case _:
            pytest.fail("the decision's fields are matched by position")


@pytest.mark.parametrize(
    "value", [MATCH, DECISION, RouteDecision(allowed=True, reason=None, match=None)]
)
def test_values_survive_pickle_and_copy(value: object) -> None:
    assert pickle.loads(pickle.dumps(value)) == value  # noqa: S301  # our own value
    assert copy.copy(value) == value
    assert copy.deepcopy(value) == value
    assert type(copy.copy(value)) is type(value)

"""Grid rows decoded once: an unchanged row gives back the integration decoded before."""

from __future__ import annotations

import attrs
import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

from integration_core.adapters.sqlalchemy import SqlIntegrationRepository, create_tables
from integration_core.adapters.sqlalchemy._rows import DecodedRows, integration_from
from integration_core.adapters.sqlalchemy._schema import integrations
from integration_core.integrations import IntegrationQuery
from integration_core.testing.builders import sample_integration


def _repository() -> SqlIntegrationRepository:
    engine = sa.create_engine("sqlite://", poolclass=StaticPool)
    create_tables(engine)
    return SqlIntegrationRepository(engine)


def test_an_unchanged_row_is_the_integration_decoded_before_and_a_changed_one_is_decoded_again() -> (
    None
):
    repository = _repository()
    first = repository.add(sample_integration("Shop", access_token="a" * 32))
    repository.add(sample_integration("ERP"))
    before = repository.query(IntegrationQuery())
    again = repository.query(IntegrationQuery())
    assert [a is b for a, b in zip(before.items, again.items, strict=True)] == [True, True]
    renamed = repository.save(attrs.evolve(first, name="Shop Sync"))
    after = repository.query(IntegrationQuery())
    assert renamed in after.items
    assert after.items == tuple(sorted(repository.list(), key=lambda item: item.name_key))


def test_past_its_limit_the_memo_starts_afresh_and_still_decodes_each_row_as_core_does() -> None:
    repository = _repository()
    for name in ("A", "B", "C"):
        repository.add(sample_integration(name))
    with repository._engine.connect() as connection:
        rows = connection.execute(sa.select(integrations).order_by(integrations.c.name)).all()
    core = [integration_from(row._mapping) for row in rows]
    for limit, remembered in ((3, [True, True, True]), (2, [False, False, False])):
        decoded = DecodedRows(limit=limit)
        first = [decoded.integration(row) for row in rows]
        second = [decoded.integration(row) for row in rows]
        assert first == second == core
        # Through a memo of two, each third id clears it: nothing read in turn is still there.
        assert [a is b for a, b in zip(first, second, strict=True)] == remembered

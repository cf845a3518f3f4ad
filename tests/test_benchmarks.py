"""The benchmark harness, run once in smoke mode so that it never rots: structure only, no timing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def smoke_output() -> str:
    # Exactly the documented command, run by this interpreter from the project root.
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    success = 0
    assert success == completed.returncode, completed.stderr
    return completed.stdout


@pytest.fixture(scope="module")
def rows(smoke_output: str) -> dict[tuple[str, str], list[str]]:
    lines = [line for line in smoke_output.splitlines() if line.startswith("| ")]
    header, *body = ([cell.strip() for cell in line.strip("|").split("|")] for line in lines)
    columns = ["Benchmark", "Case", "Result", "Compared", "Goal", "Holds"]
    assert columns == header
    return {(cells[0], cells[1]): cells for cells in body}


def test_the_smoke_run_names_the_machine_and_python(smoke_output: str) -> None:
    first = smoke_output.splitlines()[0]
    assert first.startswith("integration-core benchmarks (smoke run")
    assert f"{sys.version_info.major}.{sys.version_info.minor}." in first


def test_every_benchmark_family_reports_rows(rows: dict[tuple[str, str], list[str]]) -> None:
    expected = {"check", "scaling", "magento", "routes", "integration", "grid", "oauth"}
    assert expected == {family for family, _case in rows}


def test_casbin_and_the_anytree_walk_agree_with_is_allowed_before_anything_is_timed(
    rows: dict[tuple[str, str], list[str]],
) -> None:
    expected = "40/40 same answers"
    assert expected == rows["check", "agreement before timing"][2]


def test_the_check_rows_compare_is_allowed_with_the_baseline_and_the_alternatives(
    rows: dict[tuple[str, str], list[str]],
) -> None:
    cases = {case for family, case in rows if family == "check"}
    assert {
        "bound `frozenset.__contains__` (baseline)",
        "`is_allowed` as a local bound reference",
        "`permissions.is_allowed(x)` attribute call",
        "naive walk up an anytree tree",
        "casbin `enforce` (g2 resource roles + deny)",
    } <= cases


def test_casbin_is_shown_unable_to_reallow_a_grandchild_under_an_excluded_child(
    rows: dict[tuple[str, str], list[str]],
) -> None:
    # n4 and its 3 children: re-allowed by us, still denied by casbin's global deny-override.
    expected = "4/40 answers differ"
    assert expected == rows["check", "casbin: n4 re-allowed under excluded n1"][2]


def test_scaling_covers_every_operation_on_both_shapes(
    rows: dict[tuple[str, str], list[str]],
) -> None:
    operations = [
        "build `AclTree.from_data`, per resource",
        "build `AclTree.from_data`, GC running, per resource",
        "compile a selection, per resource",
        "check states of every resource, per resource",
        "grant every resource at once, per resource",
        "exclude every resource at once, per resource",
        "`ConfigIntegration.selection` listing every resource, per resource",
        "read `integration.xml` repeating one name per resource, per resource",
        "render with `style='depth'`, per resource",
        "reference: `frozenset(tree.ids)`, per resource",
        "reference: `dict.fromkeys(tree.ids, False)`, per resource",
        "reference: `tree.layout.positions(tree.ids)`, per resource",
        "memory held by the built tree, per resource",
        "memory peak while building, per resource",
    ]
    expected = {
        f"{shape}: {operation}" for shape in ("balanced", "chain") for operation in operations
    }
    assert expected == {case for family, case in rows if family == "scaling"}


def test_the_integration_hot_path_is_timed_for_allowed_denied_and_unknown_tokens(
    rows: dict[tuple[str, str], list[str]],
) -> None:
    cases = [case for family, case in rows if family == "integration"]
    assert any(case.startswith("`authorize(token, [1 resource])`, allowed") for case in cases)
    assert "`authorize(token, [2 resources])`, one denied" in cases
    assert "`authorize` with an unknown token" in cases


def test_the_magento_benchmark_merges_every_fixture(
    rows: dict[tuple[str, str], list[str]],
) -> None:
    fixtures = len(list((ROOT / "tests" / "fixtures" / "magento-acl" / "2.4").glob("*.xml")))
    cases = [case for family, case in rows if family == "magento"]
    assert any(case.startswith(f"parse + merge {fixtures} acl.xml files") for case in cases)


def test_the_oauth_rows_time_a_signed_call_count_its_statements_and_face_the_driver(
    rows: dict[tuple[str, str], list[str]],
) -> None:
    cases = {case for family, case in rows if family == "oauth"}
    assert {
        "oauthlib `ResourceEndpoint`, trivial in-memory validator (baseline)",
        "`protected_resource`: signature, nonce, `authorize` (in memory, 50 integrations)",
        "SQL statements per signed call, SQLite (repository + `SqlNonceStore`)",
        "driver's own `SELECT` of the row by token digest on SQLite on a file (baseline)",
        "`authorize(token, [1 resource])` through SQLAlchemy on SQLite on a file",
    } <= cases
    # A count, not a timing: a whole number of statements per call, its goal beside it.
    statements = rows[
        "oauth", "SQL statements per signed call, SQLite (repository + `SqlNonceStore`)"
    ]
    assert statements[2].isdigit()
    assert statements[4] == "2"


def test_the_grid_rows_face_each_page_with_the_drivers_query_and_a_goal(
    rows: dict[tuple[str, str], list[str]],
) -> None:
    cases = {case for family, case in rows if family == "grid"}
    for page in (
        "name contains 'shop', Inactive, newest first, page 3",
        "no filter, by name, page 1",
    ):
        baseline = (
            f"driver's own `SELECT` of the page and total, {page}, SQLite on a file (baseline)"
        )
        ours = f"`repository.query`, {page}, SQLite on a file (1000 integrations)"
        assert {baseline, ours} <= cases
        assert rows["grid", ours][4] == "<= 3x"

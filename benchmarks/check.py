"""
Check cost: the compiled ``is_allowed`` against the physical limit and the alternatives.

All checkers answer for the same selection on the same balanced tree (1,111 resources
in the full run): the root granted, its first child excluded. Before anything is timed,
every checker must answer exactly as ``is_allowed`` does for every resource.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import attrs
from anytree import Node

from benchmarks.casbin_model import casbin_enforcer, disagreements
from benchmarks.config import Config
from benchmarks.report import Row, format_ns, format_ratio
from benchmarks.timing import Measure, interleaved_best_ns
from benchmarks.trees import balanced, balanced_parent, node_id
from integration_core import AclTree, Permissions, ResourceSelection

__all__ = ["AgreementError", "check_rows"]

Check = Callable[[str], bool]

IS_ALLOWED_GOAL = 1.2
"""``is_allowed`` may cost at most this many times a bound ``frozenset.__contains__``."""
CASBIN_GOAL = 1_000
"""``is_allowed`` must be at least this many times faster than casbin's ``enforce``."""


class AgreementError(AssertionError):
    """Two checkers answered differently where they must agree: timing them would be moot."""


def anytree_walk(tree: AclTree, allow: Sequence[str], deny: Sequence[str]) -> Check:
    """
    The naive alternative: anytree nodes carrying decisions, walked up on every check.

    The nearest ancestor-or-self with a decision decides; no decision means deny.
    """
    decisions = dict.fromkeys(allow, True) | dict.fromkeys(deny, False)
    nodes: dict[str, Node] = {}
    for resource in tree:
        parent = tree.parent(resource.id)
        nodes[resource.id] = Node(
            resource.id,
            parent=None if parent is None else nodes[parent.id],
            decision=decisions.get(resource.id),
        )

    def walk(resource_id: str) -> bool:
        node = nodes[resource_id]
        while node is not None:
            decision: bool | None = node.decision
            if decision is not None:
                return decision
            node = node.parent
        return False

    return walk


def _loop(check: Check, ids: Sequence[str], passes: int) -> Callable[[], None]:
    def run() -> None:
        for _ in range(passes):
            for resource_id in ids:
                check(resource_id)

    return run


def _attribute_loop(
    permissions: Permissions, ids: Sequence[str], passes: int
) -> Callable[[], None]:
    def run() -> None:
        for _ in range(passes):
            for resource_id in ids:
                permissions.is_allowed(resource_id)

    return run


@attrs.frozen
class _Holder:
    """An object whose attribute is a bound ``frozenset.__contains__``: a check kept in an attribute."""

    contains: Check


def _holder_loop(holder: _Holder, ids: Sequence[str], passes: int) -> Callable[[], None]:
    def run() -> None:
        for _ in range(passes):
            for resource_id in ids:
                holder.contains(resource_id)

    return run


def _operator_loop(allowed: frozenset[str], ids: Sequence[str], passes: int) -> Callable[[], None]:
    def run() -> None:
        for _ in range(passes):
            for resource_id in ids:
                resource_id in allowed  # noqa: B015  # the bare operator is what is measured

    return run


def _empty_loop(ids: Sequence[str], passes: int) -> Callable[[], None]:
    def run() -> None:
        for _ in range(passes):
            for _resource_id in ids:
                pass

    return run


def _require_agreement(ids: Sequence[str], reference: Check, checks: dict[str, Check]) -> None:
    for name, check in checks.items():
        differing = disagreements(ids, reference, check)
        if differing:
            raise AgreementError(f"{name} disagrees with is_allowed on {differing[:10]}")


def check_rows(config: Config) -> list[Row]:
    """Verify that every checker agrees, then time them; one row per checker."""
    fanout = config.check_fanout
    tree = AclTree.from_data(balanced(config.check_nodes, fanout))
    ids = tree.ids
    edges = [
        (node_id(number), node_id(balanced_parent(number, fanout))) for number in range(1, len(ids))
    ]
    root, child = node_id(0), node_id(1)
    permissions = ResourceSelection.custom(tree, allow=[root], deny=[child]).compile(tree)
    allowed = frozenset(permissions.allowed)
    contains = allowed.__contains__
    is_allowed = permissions.is_allowed
    walk = anytree_walk(tree, [root], [child])
    enforce = casbin_enforcer(edges, [root], [child])
    _require_agreement(
        ids, is_allowed, {"frozenset": contains, "anytree walk": walk, "casbin": enforce}
    )

    passes, casbin_passes = config.check_passes, config.casbin_passes
    best = interleaved_best_ns(
        {
            "baseline": Measure(_loop(contains, ids, passes)),
            "bound": Measure(_loop(is_allowed, ids, passes)),
            "attribute": Measure(_attribute_loop(permissions, ids, passes)),
            "holder": Measure(_holder_loop(_Holder(contains), ids, passes)),
            "operator": Measure(_operator_loop(allowed, ids, passes)),
            "empty": Measure(_empty_loop(ids, passes)),
            "walk": Measure(_loop(walk, ids, passes)),
            "casbin": Measure(_loop(enforce, ids, casbin_passes)),
        },
        config.repeats,
    )
    per_check = {
        name: elapsed / (len(ids) * (casbin_passes if name == "casbin" else passes))
        for name, elapsed in best.items()
    }
    baseline, bound, attribute = per_check["baseline"], per_check["bound"], per_check["attribute"]
    operator, empty, holder = per_check["operator"], per_check["empty"], per_check["holder"]
    walking, enforcing = per_check["walk"], per_check["casbin"]

    size = f"{len(ids):,} resources"
    return [
        Row(
            "check",
            f"loop overhead alone ({size})",
            format_ns(empty),
            "included in every check row",
        ),
        Row(
            "check",
            "`x in frozenset` operator",
            format_ns(operator),
            format_ratio(operator / baseline),
        ),
        Row("check", "bound `frozenset.__contains__` (baseline)", format_ns(baseline), "1x"),
        _goal_row("`is_allowed` as a local bound reference", bound, baseline),
        Row(
            "check",
            "`permissions.is_allowed(x)` attribute call",
            format_ns(attribute),
            f"{format_ratio(attribute / baseline)}: one slot read more than the bound call",
        ),
        Row(
            "check",
            "a bound `frozenset.__contains__` in an attribute: `holder.contains(x)`",
            format_ns(holder),
            f"{format_ratio(holder / baseline)}; `permissions.is_allowed(x)` is "
            f"{format_ratio(attribute / holder)} this",
        ),
        Row(
            "check",
            "naive walk up an anytree tree",
            format_ns(walking),
            f"{format_ratio(walking / bound)} the time of `is_allowed`",
        ),
        Row(
            "check",
            "casbin `enforce` (g2 resource roles + deny)",
            format_ns(enforcing),
            f"`is_allowed` {format_ratio(enforcing / bound)} faster",
            f">= {CASBIN_GOAL:,}x",
            enforcing / bound >= CASBIN_GOAL,
        ),
        Row(
            "check",
            "agreement before timing",
            f"{len(ids):,}/{len(ids):,} same answers",
            "frozenset, anytree walk, casbin vs `is_allowed`",
        ),
        _nearest_rule_row(tree, edges, fanout),
    ]


def _goal_row(case: str, measured: float, baseline: float) -> Row:
    ratio = measured / baseline
    return Row(
        "check",
        case,
        format_ns(measured),
        format_ratio(ratio),
        f"<= {IS_ALLOWED_GOAL}x",
        ratio <= IS_ALLOWED_GOAL,
    )


def _nearest_rule_row(tree: AclTree, edges: Sequence[tuple[str, str]], fanout: int) -> Row:
    """Re-allow a grandchild under the excluded child: casbin's deny-override cannot."""
    root, child, grandchild = node_id(0), node_id(1), node_id(fanout + 1)
    allow, deny = [root, grandchild], [child]
    ours = ResourceSelection.custom(tree, allow=allow, deny=deny).compile(tree).is_allowed
    differing = disagreements(tree.ids, ours, casbin_enforcer(edges, allow, deny))
    _require_agreement(tree.ids, ours, {"anytree walk": anytree_walk(tree, allow, deny)})
    return Row(
        "check",
        f"casbin: {grandchild} re-allowed under excluded {child}",
        f"{len(differing):,}/{len(tree):,} answers differ",
        "deny-override is global: nearest-rule-wins is not expressible",
    )

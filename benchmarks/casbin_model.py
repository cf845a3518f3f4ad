"""
The same selection expressed in PyCasbin, as a user would: resource roles plus deny.

Every tree edge is a ``g2, child, parent`` rule, so a policy on a resource matches its
whole subtree (``g2`` is reflexive and transitive). A grant is an ``allow`` policy and an
exclusion a ``deny`` policy, combined by casbin's deny-override effect. That effect is
global: a deny anywhere above a resource wins over an allow nearer to it, so casbin
cannot re-allow a grandchild under an excluded child, which integration-core's
nearest-decision-wins rule can. :func:`disagreements` measures exactly that.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import casbin
from casbin.model import Model

__all__ = ["MODEL", "SUBJECT", "casbin_enforcer", "disagreements"]

SUBJECT = "integration"
ACTION = "call"

MODEL = """
[request_definition]
r = sub, obj, act

[policy_definition]
p = sub, obj, act, eft

[role_definition]
g = _, _
g2 = _, _

[policy_effect]
e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

[matchers]
m = g(r.sub, p.sub) && g2(r.obj, p.obj) && r.act == p.act
"""
"""Resource roles (``g2``) with deny-override: PyCasbin's ``rbac_with_resource_roles`` plus deny.

``g`` is declared although no user roles exist: casbin 1.43 refuses ``g2`` rules otherwise.
"""


def casbin_enforcer(
    edges: Iterable[tuple[str, str]], allow: Iterable[str], deny: Iterable[str]
) -> Callable[[str], bool]:
    """
    A casbin check ``resource_id -> bool`` for one integration.

    Args:
        edges: ``(child, parent)`` pairs of the resource tree.
        allow: Resources granted with their subtrees.
        deny: Resources excluded with their subtrees.
    """
    model = Model()
    model.load_model_from_text(MODEL)
    enforcer = casbin.Enforcer(model)
    enforcer.add_named_grouping_policies("g2", [[child, parent] for child, parent in edges])
    for resource_id in allow:
        enforcer.add_policy(SUBJECT, resource_id, ACTION, "allow")
    for resource_id in deny:
        enforcer.add_policy(SUBJECT, resource_id, ACTION, "deny")

    def enforce(resource_id: str) -> bool:
        return bool(enforcer.enforce(SUBJECT, resource_id, ACTION))

    return enforce


def disagreements(
    ids: Sequence[str], ours: Callable[[str], bool], theirs: Callable[[str], bool]
) -> list[str]:
    """The resources on which the two checks answer differently, in the order given."""
    return [resource_id for resource_id in ids if ours(resource_id) != theirs(resource_id)]

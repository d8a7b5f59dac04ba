"""Which unit of a case each case action is checked at; the rules themselves are org's.

A dispatcher acts where a case came from; a handler where it was sent; a supervisor and a
reader at either (each step says which in its row of ``cases.steps``). ``case_scope_q`` is the
filter every case list applies.
"""

from django.db.models import Q

from xinsheng.cases import steps
from xinsheng.cases.models import Case
from xinsheng.core.actors import Actor
from xinsheng.core.errors import Forbidden
from xinsheng.org import permissions

Basis = steps.Basis

# Reading is allowed at either unit; every step says where its own permission is checked.
BASIS: dict[str, Basis] = {
    "case.view": "either",
    "case.view_identity": "either",
    **steps.bases(),
}


def case_scope_q(actor: Actor, action: str = "case.view", prefix: str = "") -> Q:
    """Return the filter keeping the cases ``actor`` may do ``action`` to."""
    basis = BASIS[action]
    origin = permissions.scope_q(actor, action, path_field=f"{prefix}origin_unit__path")
    responsible = permissions.scope_q(actor, action, path_field=f"{prefix}responsible_unit__path")
    if basis == "origin":
        return origin
    if basis == "responsible":
        return responsible
    return origin | responsible


def may_case(actor: Actor, action: str, case: Case) -> bool:
    """Return whether ``actor`` may do ``action`` to ``case``."""
    basis = BASIS[action]
    at_origin = basis != "responsible" and permissions.may(actor, action, case.origin_unit)
    at_responsible = (
        basis != "origin"
        and case.responsible_unit is not None
        and permissions.may(actor, action, case.responsible_unit)
    )
    return at_origin or at_responsible


def require_case(actor: Actor, action: str, case: Case) -> None:
    """Raise ``Forbidden`` unless ``actor`` may do ``action`` to ``case``."""
    if not may_case(actor, action, case):
        raise Forbidden()

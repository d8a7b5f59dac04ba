"""Every read of the reports app, filtered to the units the acting user may report on.

A leader sees the figures of the subtrees where they hold a role granting ``report.view``; a
unit outside them answers "not found", like a unit that does not exist.
"""

from django.db.models import QuerySet

from xinsheng.cases import permissions as case_permissions
from xinsheng.cases.models import Case
from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit
from xinsheng.reports.metrics import CaseSelection, counted_cases

ACTION = "report.view"


def report_units_for(*, actor: Actor) -> QuerySet[OrgUnit]:
    """Return the units whose figures ``actor`` may see."""
    return permissions.units_for(actor, ACTION).order_by("path")


def report_roots_for(*, actor: Actor) -> QuerySet[OrgUnit]:
    """Return the top units of ``actor``'s reporting scope."""
    return OrgUnit.objects.filter(path__in=permissions.scope_paths(actor, ACTION)).order_by("path")


def report_unit_get_for(*, actor: Actor, code: str = "") -> OrgUnit:
    """Return the unit ``code`` (or the top of ``actor``'s scope) if ``actor`` may report on it."""
    units = report_roots_for(actor=actor) if not code else report_units_for(actor=actor)
    unit = units.filter(code=code).first() if code else units.first()
    if unit is None:
        raise NotFound()
    return unit


def report_cases_for(*, actor: Actor, selection: CaseSelection) -> QuerySet[Case]:
    """Return the cases ``selection``'s number counts that ``actor`` may open, newest first.

    ``selection.unit`` must come from ``report_unit_get_for``.
    """
    cases = counted_cases(selection).filter(case_permissions.case_scope_q(actor, "case.view"))
    return cases.select_related("origin_unit", "responsible_unit", "category")

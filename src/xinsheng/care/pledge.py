"""The 三不让 pledge as three indicators with target 0, for a unit subtree on a day:

- families on file not visited this quarter (no family below the poverty line unseen),
- illness relief applications waiting for a decision past their deadline (no employee unable
  to afford treatment),
- eligible students not aided (no student unable to afford school).

Each is read straight from the rows, with no actor (the callers have checked the reader's
scope). The definitions are in docs/metrics.md, "The 三不让 pledge".
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Sum

from xinsheng.care.applications import rules, workflow
from xinsheng.care.applications.validation import child_key
from xinsheng.care.choices import FileStatus, ProgrammeKind, Relation, SchoolLevel
from xinsheng.care.families.selectors import visited_in_quarter
from xinsheng.care.models import (
    Application,
    HardshipFile,
    HouseholdMember,
    Payment,
    Programme,
)
from xinsheng.org.models import OrgUnit

# The age at which a child enters each school level, and how many years it lasts.
ENTRY_AGE: dict[str, tuple[int, int]] = {
    SchoolLevel.HIGH_SCHOOL: (15, 3),
    SchoolLevel.VOCATIONAL: (15, 3),
    SchoolLevel.JUNIOR_COLLEGE: (18, 3),
    SchoolLevel.UNDERGRADUATE: (18, 4),
    SchoolLevel.POSTGRADUATE: (22, 3),
}


@dataclass(frozen=True)
class Pledge:
    """The three indicators of one subtree on one day; each should be 0."""

    day: dt.date
    unvisited_families: int
    relief_overdue: int
    students_not_aided: int

    @property
    def kept(self) -> bool:
        return not (self.unvisited_families or self.relief_overdue or self.students_not_aided)

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "unvisited_families": self.unvisited_families,
            "relief_overdue": self.relief_overdue,
            "students_not_aided": self.students_not_aided,
        }


def unvisited_families(unit_path: str, day: dt.date) -> QuerySet[HardshipFile]:
    """Return the active files under ``unit_path`` with no care visit in ``day``'s quarter,
    by unit (the families' own list counts the same way)."""
    return (
        HardshipFile.objects.filter(status=FileStatus.ACTIVE, unit_path__startswith=unit_path)
        .exclude(visited_in_quarter(day))
        .order_by("unit_path", "id")
    )


def relief_overdue(unit_path: str, day: dt.date) -> QuerySet[Application]:
    """Return the illness relief applications under ``unit_path`` waiting for a decision past
    their deadline on ``day`` (what ``relief_overdue_for`` shows a reader in their scope)."""
    return Application.objects.filter(
        unit_path__startswith=unit_path,
        kind=ProgrammeKind.ILLNESS_RELIEF,
        status__in=workflow.UNDECIDED,
        decide_by__lt=day,
    )


def aid_ages(unit: OrgUnit, year: int) -> set[int]:
    """Return the ages (in ``year``) of children the student aid of ``year`` reaches in ``unit``:
    the school levels its programmes run by the unit or a unit above it pay (the default rules
    when there is none), at the age of entry only when they pay new students only."""
    step = OrgUnit.steplen
    above = [unit.path[:end] for end in range(step, len(unit.path) + 1, step)]
    programme_rules = Programme.objects.filter(
        kind=ProgrammeKind.STUDENT_AID, year=year, unit_path__in=above
    ).values_list("rules", flat=True)
    rule_sets = [{**rules.STUDENT_DEFAULTS, **found} for found in programme_rules]
    if not rule_sets:
        rule_sets = [rules.STUDENT_DEFAULTS]
    ages: set[int] = set()
    for found in rule_sets:
        for level in found.get("amounts", {}):
            if level not in ENTRY_AGE:
                continue
            entry, years = ENTRY_AGE[level]
            last = entry if found.get("new_students_only", True) else entry + years - 1
            ages.update(range(entry, last + 1))
    return ages


def _children_of_age(unit: OrgUnit, year: int, ages: set[int]) -> QuerySet[HouseholdMember]:
    """Return the children of active families on file under ``unit`` of one of ``ages`` in
    ``year``."""
    return HouseholdMember.objects.filter(
        file__status=FileStatus.ACTIVE,
        file__unit_path__startswith=unit.path,
        relation=Relation.CHILD,
        birth_year__in=[year - age for age in ages],
    )


def _aided(year: int, person_ids: set[int]) -> set[tuple[int, str]]:
    """Return (employee, child) of the student aid paid in ``year`` to ``person_ids`` that still
    stands."""
    return {
        (person_id, subject)
        for person_id, subject, total in Payment.objects.filter(
            application__kind=ProgrammeKind.STUDENT_AID,
            application__year=year,
            person_id__in=person_ids,
        )
        .order_by()
        .values_list("person_id", "application__subject")
        .annotate(total=Sum("amount"))
        if total and total > 0
    }


def students_not_aided(unit: OrgUnit, year: int) -> list[HouseholdMember]:
    """Return the children of active families on file under ``unit`` who are of an age the
    year's student aid reaches and for whom no student aid paid that year still stands."""
    ages = aid_ages(unit, year)
    if not ages:
        return []
    children = list(
        _children_of_age(unit, year, ages)
        .select_related("file")
        .order_by("file__unit_path", "file_id", "id")
    )
    if not children:
        return []
    aided = _aided(year, {child.file.person_id for child in children})
    return [
        child for child in children if (child.file.person_id, child_key(child.name)) not in aided
    ]


def students_not_aided_count(unit: OrgUnit, year: int) -> int:
    """Return how many children ``students_not_aided`` lists, reading their names only."""
    ages = aid_ages(unit, year)
    if not ages:
        return 0
    children = list(_children_of_age(unit, year, ages).values_list("file__person_id", "name"))
    if not children:
        return 0
    aided = _aided(year, {person_id for person_id, _name in children})
    return sum((person_id, child_key(name)) not in aided for person_id, name in children)


def pledge_of(unit: OrgUnit, day: dt.date) -> Pledge:
    """Return the three indicators of ``unit``'s subtree on ``day``."""
    return Pledge(
        day=day,
        unvisited_families=unvisited_families(unit.path, day).count(),
        relief_overdue=relief_overdue(unit.path, day).count(),
        students_not_aided=students_not_aided_count(unit, day.year),
    )

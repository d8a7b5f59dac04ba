"""The projects part of the demo enterprise: a dozen practical-matter projects, a workers'
congress list of ten promises, milestones, sub-projects, and demo voices linked to them.

Everything is made through the services, as the administrator, so that the demo's projects have
the same events, audit rows and case timelines as real ones. Projects that are done answer
their linked voices, whose submitters can then rate the answer. The projects are in
``demo_texts.toml`` next to this module.

The services stamp what they do with the time of the load; the demo then moves each project's
history to the days it tells of (queryset updates, as the cases demo does): set up after the
congress, milestones done on or before their dates, and a done project finished before the
current month began, so that last month's briefing and today's pages count the same promises
kept.
"""

import datetime as dt
import functools
import random
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from xinsheng.cases.choices import CaseStatus
from xinsheng.cases.models import Case
from xinsheng.core.notifications import notifications_suppressed
from xinsheng.org import demo as org_demo
from xinsheng.org.choices import UnitKind
from xinsheng.org.models import OrgUnit
from xinsheng.projects import services
from xinsheng.projects.choices import ProjectEventKind, ProjectKind
from xinsheng.projects.models import CommitmentBody, Milestone, Project, ProjectEvent

MILESTONE_STEP = dt.timedelta(days=10)  # between the milestones of a demo project
WORK_TIME = dt.time(10, 30)  # when the demo's project steps are recorded

LINKABLE = (
    CaseStatus.SUBMITTED,
    CaseStatus.ACCEPTED,
    CaseStatus.DISPATCHED,
    CaseStatus.IN_PROGRESS,
)


TEXTS_FILE = Path(__file__).with_name("demo_texts.toml")


@dataclass(frozen=True)
class Phase:
    """A phase of a phased demo project: a sub-project owned by the company."""

    title: str
    weight: int  # in the parent's progress
    milestones: tuple[str, ...]
    done_milestones: int
    state: str  # "done" or "running"
    leader: str
    answer: str = ""


@dataclass(frozen=True)
class Plan:
    """One demo project: where it sits, what it answers and how far it has come."""

    title: str
    where: str  # "company", "mine", "union" or "group"
    kind: str
    category: str  # demo case category whose voices it answers
    due_days: int  # from today; negative: already late
    milestones: tuple[str, ...]
    done_milestones: int
    state: str  # "done", "running", "planned"
    promised: bool  # one of the congress's ten promises
    budget: int | None
    leader: str
    description: str
    answer: str = ""
    phases: tuple[Phase, ...] = ()


@dataclass(frozen=True)
class Texts:
    """The demo projects as ``demo_texts.toml`` holds them: the congress and the projects."""

    body_name: str
    plans: tuple[Plan, ...]


def _phase(data: dict[str, Any]) -> Phase:
    return Phase(
        title=data["title"],
        weight=data["weight"],
        milestones=tuple(data["milestones"]),
        done_milestones=data["done_milestones"],
        state=data["state"],
        leader=data["leader"],
        answer=data.get("answer", ""),
    )


def _plan(data: dict[str, Any]) -> Plan:
    return Plan(
        title=data["title"],
        where=data["where"],
        kind=ProjectKind(data["kind"]),
        category=data["category"],
        due_days=data["due_days"],
        milestones=tuple(data["milestones"]),
        done_milestones=data["done_milestones"],
        state=data["state"],
        promised=data["promised"],
        budget=data.get("budget"),
        leader=data["leader"],
        description=data["description"],
        answer=data.get("answer", ""),
        phases=tuple(_phase(phase) for phase in data.get("phases", ())),
    )


@functools.cache
def texts() -> Texts:
    """Return the demo projects, read from ``demo_texts.toml`` once."""
    with TEXTS_FILE.open("rb") as file:
        data = tomllib.load(file)
    return Texts(data["body_name"], tuple(_plan(plan) for plan in data["projects"]))


def demo_projects_exist() -> bool:
    """Return whether demo projects exist."""
    group = OrgUnit.objects.filter(code=org_demo.GROUP_CODE).first()
    return (
        group is not None
        and Project.objects.filter(owner_unit__path__startswith=group.path).exists()
    )


def _children(unit: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("path")


def _units(group: OrgUnit) -> dict[str, OrgUnit]:
    company = _children(group).filter(kind=UnitKind.COMPANY).first() or group
    mine = _children(company).filter(kind=UnitKind.MINE).first() or company
    union = _children(company).filter(name__contains="工会").first() or company
    return {"group": group, "company": company, "mine": mine, "union": union}


@transaction.atomic
def demo_load(*, seed: int = org_demo.DEFAULT_SEED) -> dict[str, int]:
    """Build the demo projects unless they exist; return how many of what were made."""
    if not org_demo.demo_exists() or demo_projects_exist():
        return {}
    actor = User.objects.filter(username="admin").first()
    if actor is None:
        return {}
    rng = random.Random(f"xinsheng.projects.demo:{seed}")
    units = _units(org_demo.demo_group())
    body_name = texts().body_name
    with notifications_suppressed():
        body = CommitmentBody.objects.filter(name=body_name).first() or (
            services.commitment_body_create(
                actor=actor,
                unit=units["company"],
                name=body_name,
                held_on=timezone.localdate().replace(month=1, day=20),
            )
        )
        return _build(actor, rng, units, body)


def _build(
    actor: User, rng: random.Random, units: dict[str, OrgUnit], body: CommitmentBody
) -> dict[str, int]:
    today = timezone.localdate()
    counts = {"projects": 0, "done": 0, "linked": 0, "answered": 0, "commitments": 0}
    number = 0
    for plan in texts().plans:
        promised_no = None
        if plan.promised:
            number += 1
            promised_no = number
        project = services.project_create(
            actor=actor,
            data=services.ProjectData(
                title=plan.title,
                owner_unit=units[plan.where],
                due_date=today + dt.timedelta(days=plan.due_days),
                kind=plan.kind,
                description=plan.description,
                leader_name=plan.leader,
                budget=Decimal(plan.budget) if plan.budget is not None else None,
                commitment_body=body if plan.promised else None,
                commitment_no=promised_no,
            ),
        )
        counts["projects"] += 1
        counts["commitments"] += int(plan.promised)
        if plan.phases:
            counts = _phases(actor, project, plan.phases, units, today, counts)
        elif not plan.milestones and plan.state == "running":
            services.project_progress_set(actor=actor, project=project, progress=60)
        finished = _finished_on(today, project.due_date) if plan.state == "done" else None
        days = _milestones(
            actor, project, plan.milestones, plan.done_milestones, today, plan.due_days, finished
        )
        # The union's projects serve the whole company; the others, the unit that owns them.
        served = units["company"] if plan.where == "union" else units[plan.where]
        counts["linked"] += _link(actor, rng, project, plan.category, served)
        if plan.state == "done":
            done = services.project_complete(actor=actor, project=project, answer=plan.answer)
            counts["done"] += 1
            counts["answered"] += len(done.answered)
        _dated(project, body.held_on, days, finished, today)
    counts["delayed"] = services.projects_mark_delayed(today=today)
    return counts


def _finished_on(today: dt.date, due: dt.date) -> dt.date:
    """Return the day a done demo project was finished: a little before it was due, and before
    the current month began."""
    return min(due - dt.timedelta(days=2), today.replace(day=1) - dt.timedelta(days=1))


def _milestone_dues(titles: tuple[str, ...], done: int, today: dt.date, days: int) -> list[dt.date]:
    """Return the due dates of a project's milestones, the last on the project's due date.

    A project due in the past has them every ten days up to its date; one still running has its
    done ones in the past and the others spread up to its date.
    """
    count, due = len(titles), today + dt.timedelta(days=days)
    if days <= 0 or done >= count:
        return [due - MILESTONE_STEP * (count - index) for index in range(1, count + 1)]
    past = [today - MILESTONE_STEP * (done - index + 1) for index in range(1, done + 1)]
    left = count - done
    return past + [today + (due - today) * step // left for step in range(1, left + 1)]


def _milestones(
    actor: User,
    project: Project,
    titles: tuple[str, ...],
    done: int,
    today: dt.date,
    days: int,
    finished: dt.date | None,
) -> dict[int, dt.date]:
    """Add the milestones of a project, the first ``done`` of them done; return the day each of
    those was done (by its date, and before ``finished`` or today), by milestone id."""
    last = finished or today - dt.timedelta(days=1)
    done_on: dict[int, dt.date] = {}
    for index, (title, due) in enumerate(
        zip(titles, _milestone_dues(titles, done, today, days), strict=True), start=1
    ):
        milestone = services.milestone_add(
            actor=actor, project=project, title=title, due_date=due, weight=1 + index % 2
        )
        if index <= done:
            services.milestone_done(actor=actor, milestone=milestone)
            done_on[milestone.pk] = min(due, last - dt.timedelta(days=3 * (done - index)))
    return done_on


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, WORK_TIME))


def _dated(
    project: Project,
    held_on: dt.date | None,
    done_on: dict[int, dt.date],
    finished: dt.date | None,
    today: dt.date,
) -> None:
    """Move the history the services stamped with the load's time to the days the demo tells
    of: set up a week after the congress (two weeks before its first step at the latest), each
    milestone done on its day, the project finished on ``finished``."""
    steps = sorted([*done_on.values(), *([finished] if finished else [])])
    begun = min((held_on or today) + dt.timedelta(days=7), today - dt.timedelta(days=7))
    if steps:
        begun = min(begun, steps[0] - dt.timedelta(days=14))
    projects = Project.objects.filter(pk=project.pk)
    projects.update(created_at=_at(begun), updated_at=_at(steps[-1] if steps else begun))
    projects.filter(started_at__isnull=False).update(started_at=_at(steps[0] if steps else begun))
    events = ProjectEvent.objects.filter(project=project)
    events.filter(kind__in=[ProjectEventKind.CREATED, ProjectEventKind.MILESTONE_ADDED]).update(
        at=_at(begun)
    )
    for milestone_id, day in done_on.items():
        Milestone.objects.filter(pk=milestone_id).update(done_at=_at(day))
        events.filter(kind=ProjectEventKind.MILESTONE_DONE, data__milestone=milestone_id).update(
            at=_at(day)
        )
    if finished is not None:
        projects.update(done_at=_at(finished))
        events.filter(kind=ProjectEventKind.DONE).update(at=_at(finished))


def _phases(
    actor: User,
    parent: Project,
    phases: tuple[Phase, ...],
    units: dict[str, OrgUnit],
    today: dt.date,
    counts: dict[str, int],
) -> dict[str, int]:
    for plan in phases:
        days = -15 if plan.state == "done" else 280
        phase = services.project_create(
            actor=actor,
            data=services.ProjectData(
                title=plan.title,
                owner_unit=units["company"],
                due_date=today + dt.timedelta(days=days),
                kind=ProjectKind.DEADLINE,
                leader_name=plan.leader,
                parent=parent,
                weight=plan.weight,
            ),
        )
        finished = _finished_on(today, phase.due_date) if plan.state == "done" else None
        done_on = _milestones(
            actor, phase, plan.milestones, plan.done_milestones, today, days, finished
        )
        if plan.state == "done":
            services.project_complete(actor=actor, project=phase, answer=plan.answer)
            counts["done"] += 1
        held_on = parent.commitment_body.held_on if parent.commitment_body else None
        _dated(phase, held_on, done_on, finished, today)
        counts["projects"] += 1
    return counts


def _link(actor: User, rng: random.Random, project: Project, category: str, unit: OrgUnit) -> int:
    """Link a few open demo voices of ``category`` raised in ``unit``'s subtree."""
    candidates = list(
        Case.objects.filter(
            category__code=category,
            status__in=LINKABLE,
            origin_unit__path__startswith=unit.path,
            project_links__isnull=True,
        )
        .order_by("id")
        .values_list("pk", flat=True)[:40]
    )
    if not candidates:
        return 0
    chosen = rng.sample(candidates, min(len(candidates), rng.randint(2, 5)))
    cases = list(Case.objects.filter(pk__in=chosen))
    source = "demo"
    return len(
        services.project_link_cases(actor=actor, project=project, cases=cases, source=source)
    )

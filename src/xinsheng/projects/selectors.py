"""Every read of projects, filtered to what the acting user may see.

A project belongs to its owner unit: whoever may view projects there (``project.view``, held at
the unit or above) sees it. The public reads (the board, a project's QR page, the follow-up page
of a linked case) have no acting user and show public projects only.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.cases.models import Case
from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.core.plain_sql import column, fetch, moment, prefix, starts_with, table
from xinsheng.core.ratings import Satisfaction
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit, in_subtree
from xinsheng.projects.choices import FINISHED, RUNNING, LinkOutcome, ProjectStatus
from xinsheng.projects.models import (
    CommitmentBody,
    Milestone,
    Project,
    ProjectCase,
    ProjectEvent,
    ProjectPhoto,
)
from xinsheng.projects.progress import rate


@dataclass
class ProjectFilters:
    """What the project list is narrowed by; every field optional."""

    unit: OrgUnit | None = None  # owner unit within this subtree
    statuses: list[str] = field(default_factory=list)
    kind: str = ""
    body: CommitmentBody | None = None
    overdue: bool = False  # running and past the due date
    text: str = ""
    top_level: bool = False  # leave sub-projects out


def _scoped(actor: Actor, action: str = "project.view") -> QuerySet[Project]:
    return permissions.in_scope(Project.objects.all(), actor, action, via="owner_unit")


def project_list_for(*, actor: Actor, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    """Return the projects ``actor`` may see, narrowed by ``filters``, soonest due first."""
    return (
        _filtered(actor, filters)
        .select_related("owner_unit", "commitment_body", "parent")
        .annotate(case_count=Count("links", distinct=True))
        .order_by("due_date", "id")
    )


def _filtered(actor: Actor, filters: ProjectFilters | None) -> QuerySet[Project]:
    projects = _scoped(actor)
    f = filters or ProjectFilters()
    if f.unit is not None:
        projects = projects.filter(**in_subtree(f.unit.path, via="owner_unit"))
    if f.statuses:
        projects = projects.filter(status__in=f.statuses)
    if f.kind:
        projects = projects.filter(kind=f.kind)
    if f.body is not None:
        projects = projects.filter(commitment_body=f.body)
    if f.overdue:
        projects = projects.filter(status__in=RUNNING, due_date__lt=timezone.localdate())
    if f.top_level:
        projects = projects.filter(parent__isnull=True)
    if text := f.text.strip():
        projects = projects.filter(Q(title__icontains=text) | Q(description__icontains=text))
    return projects


def project_behind_count_for(*, actor: Actor, today: dt.date) -> int:
    """Return how many projects ``actor`` must move forward (``project.update``) are past their
    due date and still running: the list ``ProjectFilters(overdue=True)`` shows them; one query.
    """
    return _scoped(actor, "project.update").filter(status__in=RUNNING, due_date__lt=today).count()


def project_get_for(*, actor: Actor, project_id: int) -> Project:
    """Return project ``project_id`` if ``actor`` may see it; ``NotFound`` otherwise (the same)."""
    project = (
        _scoped(actor, "project.view")
        .select_related("owner_unit", "commitment_body", "parent")
        .filter(pk=project_id)
        .first()
    )
    if project is None:
        raise NotFound()
    return project


def project_milestones_for(*, actor: Actor, project: Project) -> QuerySet[Milestone]:
    """Return the milestones of a project ``actor`` may see, by date."""
    return project.milestones.order_by("due_date", "id")


def milestone_get_for(*, actor: Actor, project: Project, milestone_id: int) -> Milestone:
    """Return one milestone of ``project``; ``NotFound`` otherwise."""
    milestone = project.milestones.filter(pk=milestone_id).first()
    if milestone is None:
        raise NotFound()
    return milestone


def project_children_for(*, actor: Actor, project: Project) -> QuerySet[Project]:
    """Return the sub-projects of ``project`` that ``actor`` may see."""
    return _scoped(actor).filter(parent=project).select_related("owner_unit").order_by("id")


def project_links_for(*, actor: Actor, project: Project) -> QuerySet[ProjectCase]:
    """Return the cases linked to ``project``, with their states, in the order linked."""
    return project.links.select_related(
        "case", "case__origin_unit", "case__responsible_unit"
    ).order_by("linked_at", "id")


def project_events_for(*, actor: Actor, project: Project) -> QuerySet[ProjectEvent]:
    """Return the timeline of ``project``."""
    return project.events.select_related("actor").order_by("at", "id")


def project_photos_public(*, project: Project) -> QuerySet[ProjectPhoto]:
    """Return the photos of a project's result (shown on its public page too)."""
    return project.photos.order_by("id")


def project_photo_get(*, project: Project, photo_id: int) -> ProjectPhoto:
    """Return one photo of ``project``; ``NotFound`` otherwise."""
    photo = project.photos.filter(pk=photo_id).first()
    if photo is None:
        raise NotFound()
    return photo


def project_parent_choices_for(*, actor: Actor) -> QuerySet[Project]:
    """Return the running projects ``actor`` may place a sub-project under."""
    return (
        _scoped(actor, "project.manage")
        .exclude(status__in=FINISHED)
        .select_related("owner_unit")
        .order_by("title", "id")
    )


def project_may(*, actor: Actor, project: Project, action: str) -> bool:
    """Return whether ``actor`` may do ``action`` (``project.manage``/``update``) to it."""
    return permissions.may(actor, action, project.owner_unit)


def project_rating_counts(*, project: Project) -> dict[str, int]:
    """Return how many public ratings a project has, by satisfaction, and how many say solved."""
    rows = dict(project.ratings.values_list("satisfaction").annotate(n=Count("id")).order_by())
    counts = {value: rows.get(value, 0) for value in Satisfaction.values}
    counts["total"] = sum(rows.values())
    counts["solved"] = project.ratings.filter(solved=True).count()
    return counts


# --- commitments ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentList:
    """A body's list of promised projects (十件实事) and how many are kept."""

    body: CommitmentBody
    projects: list[Project]
    done: int
    total: int

    @property
    def completion_rate(self) -> float | None:
        """Return the share of promises kept, in percent (cancelled ones not counted)."""
        return rate(self.done, self.total)


def commitment_bodies_for(*, actor: Actor) -> QuerySet[CommitmentBody]:
    """Return the bodies ``actor`` may see lists of (held at a unit in scope or above it)."""
    units = permissions.scope_paths(actor, "project.view")
    if not units:
        return CommitmentBody.objects.none()
    query = Q()
    for path in units:
        query |= Q(**in_subtree(path, via="unit")) | Q(
            **in_subtree(path, via="projects__owner_unit")
        )
    return CommitmentBody.objects.filter(query).distinct().select_related("unit")


def commitment_body_get_for(*, actor: Actor, body_id: int) -> CommitmentBody:
    """Return a body ``actor`` may see; ``NotFound`` otherwise."""
    body = commitment_bodies_for(actor=actor).filter(pk=body_id).first()
    if body is None:
        raise NotFound()
    return body


def commitment_list_for(*, actor: Actor, body: CommitmentBody) -> CommitmentList:
    """Return ``body``'s list as ``actor`` may see it, by number, with its completion rate."""
    projects = list(
        _scoped(actor)
        .filter(commitment_body=body)
        .select_related("owner_unit")
        .order_by("commitment_no", "id")
    )
    counted = [p for p in projects if p.status != ProjectStatus.CANCELLED]
    done = sum(1 for p in counted if p.status == ProjectStatus.DONE)
    return CommitmentList(body, projects, done, len(counted))


# --- the monthly report and the figures -----------------------------------------------------------


@dataclass(frozen=True)
class ProgressReport:
    """The monthly progress report of a subtree (月度推进情况)."""

    unit: OrgUnit | None
    month_start: dt.date
    month_end: dt.date  # the last day of the month
    total: int
    done: int
    started: int
    done_this_month: int
    delayed: list[Project]  # 挂牌督办: late projects with their owners
    commitments: list[CommitmentList]

    @property
    def completion_rate(self) -> float | None:
        """Return done of all projects (cancelled ones not counted), in percent."""
        return rate(self.done, self.total)

    @property
    def started_rate(self) -> float | None:
        """Return started (any progress, or done) of all projects, in percent."""
        return rate(self.started, self.total)


def project_report_for(
    *, actor: Actor, unit: OrgUnit | None, month_start: dt.date
) -> ProgressReport:
    """Return the progress report of the projects in scope (under ``unit``) as of a month."""
    month_start = month_start.replace(day=1)
    month_end = (month_start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    projects = _filtered(actor, ProjectFilters(unit=unit)).exclude(status=ProjectStatus.CANCELLED)
    tz = timezone.get_current_timezone()
    end = dt.datetime.combine(month_end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    begin = dt.datetime.combine(month_start, dt.time.min, tzinfo=tz)
    # As of the end of the month: projects set up by then, done by then, started by then.
    existing = projects.filter(created_at__lt=end)
    figures = existing.aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=ProjectStatus.DONE, done_at__lt=end)),
        started=Count("id", filter=Q(started_at__lt=end)),
        done_this_month=Count(
            "id", filter=Q(status=ProjectStatus.DONE, done_at__gte=begin, done_at__lt=end)
        ),
    )
    delayed = list(
        projects.filter(status=ProjectStatus.DELAYED)
        .select_related("owner_unit")
        .order_by("due_date", "id")
    )
    bodies = CommitmentBody.objects.filter(
        pk__in=existing.exclude(commitment_body__isnull=True).values("commitment_body")
    ).order_by("-held_on", "name")
    return ProgressReport(
        unit=unit,
        month_start=month_start,
        month_end=month_end,
        total=figures["total"],
        done=figures["done"],
        started=figures["started"],
        done_this_month=figures["done_this_month"],
        delayed=delayed,
        commitments=[commitment_list_for(actor=actor, body=body) for body in bodies],
    )


@dataclass(frozen=True)
class ProjectFigures:
    """The project figures of a subtree and period, for the dashboard and the briefing."""

    projects_done: int  # projects finished (销号) in the period
    commitments: dict[str, tuple[int, int]]  # body name → (kept, promised), kept by period end
    voices_answered: int  # linked cases that received a project's answer in the period


def project_figures(
    actor: Actor, unit: OrgUnit | None, start: dt.date, end: dt.date
) -> ProjectFigures:
    """Return projects done, commitments kept per body and voices answered by projects.

    ``start`` and ``end`` are days, both included; only projects ``actor`` may see count.
    """
    return _figures_of(_filtered(actor, ProjectFilters(unit=unit)), start, end)


def project_figures_of(unit: OrgUnit, start: dt.date, end: dt.date) -> ProjectFigures:
    """Return the same figures for ``unit``'s whole subtree, for a caller that checked the scope
    of the figures it shows (the dashboard, a briefing).

    The two statements of ``_figures_of`` written out (the dashboard asks on every visit), over
    the projects whose owner unit lies in the subtree.
    """
    begin, until = _day_bounds(start, end)
    owner = (
        f"INNER JOIN {table(OrgUnit)} u "
        f"ON {column(Project, 'owner_unit', 'p')} = {column(OrgUnit, 'id', 'u')} "
        f"WHERE {starts_with(column(OrgUnit, 'path', 'u'))}"
    )
    status, done_at = column(Project, "status", "p"), column(Project, "done_at", "p")
    body_name = column(CommitmentBody, "name", "b")
    promised = fetch(
        f"SELECT {body_name}, COUNT(*), "  # noqa: S608 - our names
        f"COUNT(CASE WHEN {status} = %s AND {done_at} < %s THEN 1 END) "
        f"FROM {table(Project)} p INNER JOIN {table(CommitmentBody)} b "
        f"ON {column(Project, 'commitment_body', 'p')} = {column(CommitmentBody, 'id', 'b')} "
        f"{owner} AND NOT ({status} = %s) GROUP BY {body_name} ORDER BY {body_name}",
        [ProjectStatus.DONE.value, moment(until), prefix(unit.path), ProjectStatus.CANCELLED.value],
    )
    link_project, outcome = column(ProjectCase, "project", "l"), column(ProjectCase, "outcome", "l")
    projects_done, answered = fetch(
        f"SELECT COUNT(DISTINCT {column(Project, 'id', 'p')}), "  # noqa: S608 - our names
        f"COUNT(CASE WHEN {outcome} = %s THEN {column(ProjectCase, 'id', 'l')} END) "
        f"FROM {table(Project)} p LEFT OUTER JOIN {table(ProjectCase)} l "
        f"ON {column(Project, 'id', 'p')} = {link_project} "
        f"{owner} AND {status} = %s AND {done_at} >= %s AND {done_at} < %s",
        [
            LinkOutcome.ANSWERED.value,
            prefix(unit.path),
            ProjectStatus.DONE.value,
            moment(begin),
            moment(until),
        ],
    )[0]
    return ProjectFigures(
        projects_done=projects_done,
        commitments={name: (kept, total) for name, total, kept in promised},
        voices_answered=answered,
    )


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Return the first midnight of ``start`` and the midnight after ``end``, where the page is
    read."""
    tz = timezone.get_current_timezone()
    begin = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return begin, until


def _figures_of(projects: QuerySet[Project], start: dt.date, end: dt.date) -> ProjectFigures:
    begin, until = _day_bounds(start, end)
    done = projects.filter(status=ProjectStatus.DONE, done_at__gte=begin, done_at__lt=until)
    promised = (
        projects.exclude(commitment_body__isnull=True)
        .exclude(status=ProjectStatus.CANCELLED)
        .values("commitment_body__name")
        .annotate(
            total=Count("id"),
            kept=Count("id", filter=Q(status=ProjectStatus.DONE, done_at__lt=until)),
        )
        .order_by("commitment_body__name")
    )
    commitments = {row["commitment_body__name"]: (row["kept"], row["total"]) for row in promised}
    # The projects done and the voices they answered, in one statement (each link once).
    counted = done.aggregate(
        projects=Count("id", distinct=True),
        answered=Count("links", filter=Q(links__outcome=LinkOutcome.ANSWERED)),
    )
    return ProjectFigures(
        projects_done=counted["projects"],
        commitments=commitments,
        voices_answered=counted["answered"],
    )


# --- public reads ---------------------------------------------------------------------------------


def public_board_enabled() -> bool:
    """Return whether the public board is open without login (``XINSHENG["PUBLIC_BOARD"]``)."""
    return bool(settings.XINSHENG.get("PUBLIC_BOARD", True))


def board_unit_get(code: str) -> OrgUnit:
    """Return the active unit a board link names; ``NotFound`` otherwise."""
    unit = OrgUnit.objects.filter(code=code, is_active=True).first()
    if unit is None:
        raise NotFound(_("找不到该单位，请确认链接是否正确。"), code="unit_not_found")
    return unit


def board_projects(*, unit: OrgUnit) -> QuerySet[Project]:
    """Return the public, not cancelled projects of ``unit``'s subtree, top-level first."""
    return (
        Project.objects.filter(**in_subtree(unit.path, via="owner_unit"), is_public=True)
        .exclude(status=ProjectStatus.CANCELLED)
        .select_related("owner_unit", "commitment_body")
        .annotate(case_count=Count("links", distinct=True))
        .order_by("status", "due_date", "id")
    )


@dataclass(frozen=True)
class LinkedProject:
    """A project a case is part of, as its submitter sees it."""

    title: str
    status: str
    status_label: str
    progress: int
    due_date: dt.date
    public_token: str | None


def projects_of_case(*, case: Case) -> list[LinkedProject]:
    """Return the projects ``case`` (or the case it was merged into) is linked to, for its
    submitter's follow-up page."""
    links = (
        ProjectCase.objects.filter(case__in={case.pk, case.followed_case.pk})
        .exclude(project__status=ProjectStatus.CANCELLED)
        .select_related("project")
        .order_by("linked_at", "id")
    )
    return [
        LinkedProject(
            title=link.project.title,
            status=link.project.status,
            status_label=str(link.project.get_status_display()),
            progress=link.project.progress,
            due_date=link.project.due_date,
            public_token=link.project.public_token if link.project.is_public else None,
        )
        for link in {link.project_id: link for link in links}.values()
    ]

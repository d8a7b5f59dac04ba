"""Every write of projects. One transaction each; checked, written, and recorded.

Each service locks the project row, checks the actor's permission at the project's owner unit
(``project.manage`` to set up, change, link and finish; ``project.update`` to report progress and
add photos), writes, appends a ``ProjectEvent`` to the project's timeline and an ``AuditEvent``
in the same transaction, and keeps the progress of the project and of its parents up to date.
"""

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.cases import permissions as case_permissions
from xinsheng.cases.models import Case
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record, snapshot
from xinsheng.core.errors import Conflict, NotFound
from xinsheng.core.photos import photo_clean
from xinsheng.core.ratings import Satisfaction
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit
from xinsheng.projects import case_answers, validation
from xinsheng.projects.choices import (
    FINISHED,
    LinkOutcome,
    ProjectEventKind,
    ProjectKind,
    ProjectStatus,
)
from xinsheng.projects.models import (
    CommitmentBody,
    Milestone,
    Project,
    ProjectCase,
    ProjectEvent,
    ProjectPhoto,
    ProjectRating,
)
from xinsheng.projects.progress import progress_of

MAX_PHOTOS = 9
EDITED_FIELDS = [
    "title",
    "description",
    "owner_unit",
    "leader_name",
    "manager_name",
    "kind",
    "due_date",
    "budget",
    "parent",
    "weight",
    "is_public",
    "commitment_body",
    "commitment_no",
]


@dataclass
class ProjectData:
    """What staff enter about a project, on creation and on every edit."""

    title: str
    owner_unit: OrgUnit
    due_date: dt.date
    kind: str = ProjectKind.DEADLINE
    description: str = ""
    leader_name: str = ""
    manager_name: str = ""
    budget: Decimal | None = None
    parent: Project | None = None
    weight: int = 1
    is_public: bool = True
    commitment_body: CommitmentBody | None = None
    commitment_no: int | None = None


@dataclass
class Completion:
    """What finishing a project did to its linked voices."""

    project: Project
    answered: list[str] = field(default_factory=list)  # case numbers that received the answer
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (case number, why not)


# --- helpers --------------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _locked(project: Project) -> Project:
    return (
        Project.objects.select_for_update(of=("self",))
        .select_related("owner_unit", "parent")
        .get(pk=project.pk)
    )


def _record(
    project: Project,
    kind: ProjectEventKind,
    *,
    actor: Actor | None,
    note: str = "",
    data: dict[str, Any] | None = None,
    before: dict[str, Any] | None = None,
) -> ProjectEvent:
    """Append the project's event and the audit event of the same write."""
    user = actor if actor is not None and actor.is_authenticated else None
    event = ProjectEvent.objects.create(
        project=project,
        kind=kind,
        actor_id=user.pk if user is not None else None,
        note=note,
        data=data or {},
    )
    audit_record(
        actor=user, action=f"project.{kind}", obj=project, before=before, after=data, note=note
    )
    return event


def _require_running(project: Project) -> None:
    if project.status in FINISHED:
        raise Conflict(
            _("项目%(status)s，不能再修改。") % {"status": project.get_status_display()},
            code="project_finished",
        )


def _status_when_running(project: Project, today: dt.date) -> str:
    """Return the state a running project is in on ``today``: late, started or not yet."""
    if project.due_date < today:
        return ProjectStatus.DELAYED
    return ProjectStatus.IN_PROGRESS if project.progress > 0 else ProjectStatus.PLANNED


def _refresh(project: Project) -> None:
    """Work out ``project``'s progress from its parts again, then its parents'."""
    seen: set[int] = set()
    current: Project | None = project
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        parts = [
            (m.weight, 100 if m.done_at else 0)
            for m in Milestone.objects.filter(project=current).only("weight", "done_at")
        ]
        parts += [
            (child.weight, child.progress)
            for child in Project.objects.filter(parent=current)
            .exclude(status=ProjectStatus.CANCELLED)
            .only("weight", "progress")
        ]
        progress = (
            100
            if current.status == ProjectStatus.DONE
            else progress_of(parts, manual=current.manual_progress)
        )
        changes: dict[str, Any] = {"progress": progress}
        if progress > 0 and current.started_at is None:
            changes["started_at"] = timezone.now()
        if current.status not in FINISHED:
            current.progress = progress
            changes["status"] = _status_when_running(current, _today())
        Project.objects.filter(pk=current.pk).update(**changes, updated_at=timezone.now())
        for name, value in changes.items():
            setattr(current, name, value)
        current = (
            Project.objects.filter(pk=current.parent_id).first() if current.parent_id else None
        )


def _clean(actor: Actor, data: ProjectData, *, project: Project | None = None) -> dict[str, Any]:
    """Return the checked fields of ``data``; the owner unit and parent must be in scope."""
    if not data.owner_unit.is_active or not permissions.may(
        actor, "project.manage", data.owner_unit
    ):
        raise validation.invalid("owner_unit", _("责任单位无效。"))
    parent = data.parent
    if parent is not None:
        if not permissions.may(actor, "project.manage", parent.owner_unit):
            raise validation.invalid("parent", _("上级项目无效。"))
        ancestor: Project | None = parent
        while ancestor is not None:
            if project is not None and ancestor.pk == project.pk:
                raise validation.invalid("parent", _("上级项目不能是本项目或其子项目。"))
            ancestor = ancestor.parent
        if parent.status in FINISHED:
            raise validation.invalid("parent", _("上级项目已销号或已取消。"))
    body = data.commitment_body
    number = data.commitment_no if body is not None else None
    if body is not None and number is not None:
        taken = Project.objects.filter(commitment_body=body, commitment_no=number)
        if project is not None:
            taken = taken.exclude(pk=project.pk)
        if taken.exists():
            raise validation.invalid("commitment_no", _("该承诺序号已被使用。"))
    return {
        "title": validation.clean_line(
            "title", data.title, limit=validation.TITLE_MAX, required=True
        ),
        "description": validation.clean_block(
            "description", data.description, limit=validation.DESCRIPTION_MAX
        ),
        "owner_unit": data.owner_unit,
        "leader_name": validation.clean_line(
            "leader_name", data.leader_name, limit=validation.NAME_MAX
        ),
        "manager_name": validation.clean_line(
            "manager_name", data.manager_name, limit=validation.NAME_MAX
        ),
        "kind": validation.clean_kind(data.kind),
        "due_date": validation.clean_date("due_date", data.due_date),
        "budget": validation.clean_budget(data.budget),
        "parent": parent,
        "weight": validation.clean_weight("weight", data.weight),
        "is_public": bool(data.is_public),
        "commitment_body": body,
        "commitment_no": number,
    }


# --- setting up and changing ----------------------------------------------------------------------


@transaction.atomic
def project_create(*, actor: Actor, data: ProjectData) -> Project:
    """Set up a project owned by ``data.owner_unit``."""
    permissions.require(actor, "project.manage", data.owner_unit)
    fields = _clean(actor, data)
    project = Project.objects.create(
        **fields,
        public_token=secrets.token_urlsafe(12),
        created_by_id=actor.pk if actor.is_authenticated else None,
    )
    _refresh(project)
    project.refresh_from_db()
    _record(project, ProjectEventKind.CREATED, actor=actor, data=snapshot(project, EDITED_FIELDS))
    return project


@transaction.atomic
def project_edit(*, actor: Actor, project: Project, data: ProjectData) -> Project:
    """Change what a running project is, who owns it, and when it is due."""
    project = _locked(project)
    permissions.require(actor, "project.manage", project.owner_unit)
    _require_running(project)
    fields = _clean(actor, data, project=project)
    before = snapshot(project, EDITED_FIELDS)
    old_parent = project.parent
    for name, value in fields.items():
        setattr(project, name, value)
    project.save()
    _refresh(project)
    if old_parent is not None and old_parent.pk != project.parent_id:
        _refresh(old_parent)
    after = snapshot(project, EDITED_FIELDS)
    changed = {name: value for name, value in after.items() if before.get(name) != value}
    _record(project, ProjectEventKind.EDITED, actor=actor, data=changed, before=before)
    return project


@transaction.atomic
def project_cancel(*, actor: Actor, project: Project, reason: str) -> Project:
    """Drop a running project with a reason everyone sees; its linked voices stay as they are."""
    project = _locked(project)
    permissions.require(actor, "project.manage", project.owner_unit)
    _require_running(project)
    reason = validation.clean_line("reason", reason, limit=validation.REASON_MAX, required=True)
    project.status = ProjectStatus.CANCELLED
    project.cancel_reason = reason
    project.save()
    _record(project, ProjectEventKind.CANCELLED, actor=actor, note=reason)
    if project.parent is not None:
        _refresh(project.parent)
    return project


# --- milestones and progress ----------------------------------------------------------------------


@transaction.atomic
def milestone_add(
    *, actor: Actor, project: Project, title: str, due_date: dt.date, weight: int = 1
) -> Milestone:
    """Add a step with its date and weight; the progress is worked out again."""
    project = _locked(project)
    permissions.require(actor, "project.manage", project.owner_unit)
    _require_running(project)
    milestone = Milestone.objects.create(
        project=project,
        title=validation.clean_line("title", title, limit=validation.TITLE_MAX, required=True),
        due_date=validation.clean_date("due_date", due_date),
        weight=validation.clean_weight("weight", weight),
    )
    _refresh(project)
    _record(
        project,
        ProjectEventKind.MILESTONE_ADDED,
        actor=actor,
        note=milestone.title,
        data={"milestone": milestone.pk, "due_date": milestone.due_date.isoformat()},
    )
    return milestone


@transaction.atomic
def milestone_done(*, actor: Actor, milestone: Milestone) -> Milestone:
    """Mark a step done; the progress of the project and its parents moves on."""
    project = _locked(milestone.project)
    permissions.require(actor, "project.update", project.owner_unit)
    _require_running(project)
    milestone = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if milestone.done_at is not None:
        raise Conflict(_("该节点已完成。"), code="milestone_done")
    milestone.done_at = timezone.now()
    milestone.save()
    _refresh(project)
    _record(
        project,
        ProjectEventKind.MILESTONE_DONE,
        actor=actor,
        note=milestone.title,
        data={"milestone": milestone.pk, "progress": project.progress},
    )
    return milestone


@transaction.atomic
def project_progress_set(
    *, actor: Actor, project: Project, progress: int, note: str = ""
) -> Project:
    """Enter the progress of a project that has no milestones or sub-projects to derive it from."""
    project = _locked(project)
    permissions.require(actor, "project.update", project.owner_unit)
    _require_running(project)
    if (
        project.milestones.exists()
        or project.children.exclude(status=ProjectStatus.CANCELLED).exists()
    ):
        raise Conflict(_("该项目的进度由节点和子项目计算，请更新节点。"), code="progress_derived")
    before = project.progress
    project.manual_progress = validation.clean_percent("progress", progress)
    project.save(update_fields=["manual_progress", "updated_at"])
    _refresh(project)
    _record(
        project,
        ProjectEventKind.PROGRESS,
        actor=actor,
        note=validation.clean_block("note", note, limit=validation.REASON_MAX),
        data={"progress": project.progress},
        before={"progress": before},
    )
    return project


@transaction.atomic
def project_photo_add(*, actor: Actor, project: Project, data: bytes) -> ProjectPhoto:
    """Add a photo of the result, re-encoded without EXIF or location."""
    project = _locked(project)
    permissions.require(actor, "project.update", project.owner_unit)
    if project.status == ProjectStatus.CANCELLED:
        _require_running(project)
    if project.photos.count() >= MAX_PHOTOS:
        raise validation.invalid("photo", _("每个项目最多上传9张照片。"))
    stored = ProjectPhoto.store(photo_clean(data), project=project)
    _record(project, ProjectEventKind.PHOTO, actor=actor, data={"photo": stored.pk})
    return stored


# --- linked voices --------------------------------------------------------------------------------


@transaction.atomic
def project_link_cases(
    *, actor: Actor, project: Project, cases: Iterable[Case], source: str = ""
) -> list[ProjectCase]:
    """Link ``cases`` to a running project in one step; return the new links.

    Cases already linked are left as they are. A case the actor may not see is "not found", so
    a list gathered elsewhere (a hot topic, say, named in ``source``) links whole or not at all.
    """
    project = _locked(project)
    permissions.require(actor, "project.manage", project.owner_unit)
    _require_running(project)
    source = validation.clean_line("source", source, limit=64)
    wanted = {case.pk: case for case in cases}
    linked = set(
        ProjectCase.objects.filter(project=project, case_id__in=wanted).values_list(
            "case_id", flat=True
        )
    )
    created = []
    for case in Case.objects.filter(pk__in=wanted).select_related(
        "origin_unit", "responsible_unit"
    ):
        if not case_permissions.may_case(actor, "case.view", case):
            raise NotFound(_("找不到该诉求，或它不在您的范围内。"), code="case_not_found")
        if case.pk in linked:
            continue
        created.append(
            ProjectCase.objects.create(
                project=project, case=case, linked_by_id=actor.pk, source=source
            )
        )
    if len(wanted) != len(linked) + len(created):
        raise NotFound(_("找不到该诉求，或它不在您的范围内。"), code="case_not_found")
    if created:
        numbers = [link.case.case_no for link in created]
        _record(
            project,
            ProjectEventKind.LINKED,
            actor=actor,
            note=", ".join(numbers)[:500],
            data={"cases": numbers, "source": source},
        )
    return created


@transaction.atomic
def project_unlink_case(*, actor: Actor, project: Project, case: Case) -> None:
    """Remove a case linked by mistake; one that already received the answer stays."""
    project = _locked(project)
    permissions.require(actor, "project.manage", project.owner_unit)
    link = ProjectCase.objects.filter(project=project, case=case).first()
    if link is None:
        raise NotFound(_("该诉求未关联到本项目。"), code="link_not_found")
    if link.outcome != LinkOutcome.PENDING:
        raise Conflict(_("该诉求已收到项目答复，不能取消关联。"), code="link_answered")
    link.delete()
    _record(
        project,
        ProjectEventKind.UNLINKED,
        actor=actor,
        note=case.case_no,
        data={"cases": [case.case_no]},
    )


# --- finishing ------------------------------------------------------------------------------------


@transaction.atomic
def project_complete(*, actor: Actor, project: Project, answer: str) -> Completion:
    """Finish a project (销号) and answer every linked voice with ``answer`` at once.

    Each linked case goes through the loop's own steps to "answered", with public events, so
    its submitter sees the answer on the follow-up page and can rate it. A case that can take
    no answer now (closed, merged, rejected, or answered and waiting for its rating) is skipped
    and said so in the result.
    """
    project = _locked(project)
    permissions.require(actor, "project.manage", project.owner_unit)
    _require_running(project)
    answer = validation.clean_block("answer", answer, limit=validation.ANSWER_MAX, required=True)
    if project.children.exclude(status__in=FINISHED).exists():
        raise Conflict(_("尚有未销号的子项目，请先办结子项目。"), code="children_running")
    project.status = ProjectStatus.DONE
    project.answer = answer
    project.done_at = timezone.now()
    project.progress = 100
    if project.started_at is None:
        project.started_at = project.done_at
    project.save()
    completion = Completion(project)
    links = ProjectCase.objects.filter(project=project, outcome=LinkOutcome.PENDING)
    for link in links.select_related("case").order_by("id"):
        outcome, note = case_answers.case_answer_from_project(
            case=link.case, project=project, actor=actor, text=answer
        )
        link.outcome = outcome
        link.outcome_note = note[:200]
        link.save(update_fields=["outcome", "outcome_note"])
        if outcome == LinkOutcome.ANSWERED:
            completion.answered.append(link.case.case_no)
        else:
            completion.skipped.append((link.case.case_no, note))
    _record(
        project,
        ProjectEventKind.DONE,
        actor=actor,
        note=answer,
        data={"answered": completion.answered, "skipped": [no for no, _ in completion.skipped]},
    )
    if project.parent is not None:
        _refresh(project.parent)
    return completion


# --- the public's judgement -----------------------------------------------------------------------


def project_for_token(token: str) -> Project:
    """Return the public project behind a QR code; a wrong token and a hidden project look alike."""
    project = (
        Project.objects.select_related("owner_unit")
        .filter(public_token=token, is_public=True, owner_unit__is_active=True)
        .first()
        if token
        else None
    )
    if project is None:
        raise NotFound(_("找不到该项目，请确认二维码是否正确。"), code="project_not_found")
    return project


@transaction.atomic
def project_rate(
    *, project: Project, satisfaction: str, solved: bool, comment: str = ""
) -> ProjectRating:
    """Record an employee's judgement of a done project (验单); nothing about them is kept."""
    project = _locked(project)
    if project.status != ProjectStatus.DONE:
        raise Conflict(_("项目尚未销号，暂不能评价。"), code="project_not_done")
    if satisfaction not in Satisfaction.values:
        raise validation.invalid("satisfaction", _("选项无效。"))
    rating = ProjectRating.objects.create(
        project=project,
        satisfaction=satisfaction,
        solved=bool(solved),
        comment=validation.clean_block("comment", comment, limit=validation.REASON_MAX),
    )
    ProjectEvent.objects.create(
        project=project,
        kind=ProjectEventKind.RATED,
        data={"satisfaction": satisfaction, "solved": bool(solved)},
    )
    return rating


# --- commitments ----------------------------------------------------------------------------------


@transaction.atomic
def commitment_body_create(
    *, actor: Actor, unit: OrgUnit, name: str, held_on: dt.date | None = None
) -> CommitmentBody:
    """Add a body projects can be promised to, such as a year's workers' congress."""
    permissions.require(actor, "project.manage", unit)
    name = validation.clean_line("name", name, limit=100, required=True)
    try:
        with transaction.atomic():
            body = CommitmentBody.objects.create(name=name, unit=unit, held_on=held_on)
    except IntegrityError:
        raise validation.invalid("name", _("已有同名的承诺对象。")) from None
    audit_record(actor=actor, action="project.commitment_body", obj=body, after={"name": name})
    return body


# --- the sweep ------------------------------------------------------------------------------------


@transaction.atomic
def projects_mark_delayed(*, today: dt.date | None = None) -> int:
    """Mark running projects past their due date as delayed; return how many (each once)."""
    today = today or _today()
    late = Project.objects.select_for_update().filter(
        status__in=[ProjectStatus.PLANNED, ProjectStatus.IN_PROGRESS], due_date__lt=today
    )
    count = 0
    for project in late:
        project.status = ProjectStatus.DELAYED
        project.save(update_fields=["status", "updated_at"])
        _record(
            project,
            ProjectEventKind.DELAYED,
            actor=None,
            data={"due_date": project.due_date.isoformat()},
        )
        count += 1
    return count

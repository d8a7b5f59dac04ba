"""Give a linked case the answer of its finished project, through the loop's own steps.

When the actor may answer the case itself (a handler of its unit), the loop's service
``case_answer`` does it. Project managers usually hold dispatching roles instead, and a linked
case may not have reached a unit yet; then the case is taken here, on behalf of the project's
owner unit, through the same moves the loop allows (accepted → dispatched → signed → answered),
each written as the same public ``CaseEvent`` the loop writes, so that the case's timeline, the
follow-up page, the rating and the figures all read it like any other answer (the figures are
told after commit, as the loop's own events do).
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinsheng.cases import permissions as case_permissions
from xinsheng.cases import services as case_services
from xinsheng.cases import workflow
from xinsheng.cases.choices import CaseStatus, EventKind
from xinsheng.cases.event_hooks import case_events_written
from xinsheng.cases.models import Case, CaseEvent
from xinsheng.core.actors import Actor
from xinsheng.projects.choices import LinkOutcome
from xinsheng.projects.models import Project

NOT_YET_WITH_UNIT = frozenset({CaseStatus.SUBMITTED, CaseStatus.ACCEPTED, CaseStatus.RETURNED})
WHY_SKIPPED = {
    CaseStatus.ANSWERED: gettext_lazy("已答复，待提出人评价"),
    CaseStatus.CLOSED: gettext_lazy("已办结"),
    CaseStatus.REJECTED: gettext_lazy("不予受理"),
    CaseStatus.MERGED: gettext_lazy("已合并至其他诉求"),
}


def case_answer_from_project(
    *, case: Case, project: Project, actor: Actor, text: str
) -> tuple[str, str]:
    """Answer ``case`` with ``text`` for ``project``; return the link's outcome and a note.

    Runs inside the project's completion transaction and locks the case row.
    """
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("origin_unit", "responsible_unit", "category")
        .get(pk=case.pk)
    )
    if case.status in WHY_SKIPPED:
        return LinkOutcome.SKIPPED, str(WHY_SKIPPED[CaseStatus(case.status)])
    if case.status == CaseStatus.IN_PROGRESS and case_permissions.may_case(
        actor, "case.answer", case
    ):
        case_services.case_answer(case=case, actor=actor, text=text, solved=True)
        return LinkOutcome.ANSWERED, _("已由承办单位答复")
    note = _("纳入实事项目“%(title)s”统一办理") % {"title": project.title}
    if case.status in NOT_YET_WITH_UNIT:
        _bring_to_unit(case, project, actor, note)
    if case.status == CaseStatus.DISPATCHED:
        _move(case, CaseStatus.IN_PROGRESS, EventKind.SIGNED, actor, note="", project=project)
        case.signed_at = timezone.now()
        case.save()
    _answer(case, project, actor, text)
    return LinkOutcome.ANSWERED, _("已随项目销号答复")


def _move(
    case: Case,
    target: CaseStatus,
    kind: EventKind,
    actor: Actor,
    *,
    note: str,
    project: Project,
    data: dict[str, object] | None = None,
) -> None:
    """Move ``case`` to ``target`` as the loop allows, with its public event."""
    workflow.require_transition(case.status, target)
    previous = case.status
    case.status = target
    CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor_id=actor.pk if actor.is_authenticated else None,
        from_status=previous,
        to_status=target,
        note=note,
        is_public=True,
        unit=case.responsible_unit,
        data={**(data or {}), "project": project.pk},
    )
    case_events_written()  # like every case event


def _bring_to_unit(case: Case, project: Project, actor: Actor, note: str) -> None:
    """Accept (when new) and dispatch ``case`` to the project's owner unit, due today."""
    now = timezone.now()
    today = timezone.localdate()
    if case.status == CaseStatus.SUBMITTED:
        case.accepted_at = now
        category = case.category.code if case.category else ""
        _move(
            case,
            CaseStatus.ACCEPTED,
            EventKind.ACCEPTED,
            actor,
            note=note,
            project=project,
            data={"category": category},
        )
    case.responsible_unit = project.owner_unit
    case.handler = None
    case.dispatched_at = now
    case.response_deadline = today
    case.deadline = today
    case.is_overdue = False
    case.extension_until = None
    case.extension_reason = ""
    _move(
        case,
        CaseStatus.DISPATCHED,
        EventKind.DISPATCHED,
        actor,
        note=note,
        project=project,
        data={"deadline": today.isoformat()},
    )
    case.save()


def _answer(case: Case, project: Project, actor: Actor, text: str) -> None:
    """Write the project's answer as the case's answer; a rating round opens."""
    case.answer = text
    case.answered_at = timezone.now()
    case.answer_count += 1
    case.solved_by_unit = True
    case.extension_until = None
    _move(
        case,
        CaseStatus.ANSWERED,
        EventKind.ANSWERED,
        actor,
        note=text,
        project=project,
        data={"solved": True, "round": case.answer_count},
    )
    case.save()

"""Give a linked case the answer of its finished project, through the loop's own service.

``cases.services.case_answer_for_unit`` answers the case for the project's owner unit: by the
actor when they may answer it themselves (a handler of its unit), otherwise by bringing it to the
unit through the moves the loop allows, each written as the same public event the loop writes.
This module only says what that means for the project's link.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinsheng.cases import services as case_services
from xinsheng.cases.choices import CaseStatus
from xinsheng.cases.models import Case
from xinsheng.core.actors import Actor
from xinsheng.projects.choices import LinkOutcome
from xinsheng.projects.models import Project

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

    Runs inside the project's completion transaction; the service locks the case row.
    """
    done = case_services.case_answer_for_unit(
        case=case,
        unit=project.owner_unit,
        actor=actor,
        text=text,
        note=_("纳入实事项目“%(title)s”统一办理") % {"title": project.title},
        detail={"project": project.pk},
    )
    if done.how == "skipped":
        return LinkOutcome.SKIPPED, str(WHY_SKIPPED[CaseStatus(done.case.status)])
    if done.how == "by_handler":
        return LinkOutcome.ANSWERED, _("已由承办单位答复")
    return LinkOutcome.ANSWERED, _("已随项目销号答复")

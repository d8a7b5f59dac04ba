"""Staff pages of projects: the list and its Excel export, a project's page and its actions,
the forms, the commitment lists and the monthly progress report.

Load through selectors, change through services. A project outside the user's scope is "not
found" like a missing one; an action the user may not take on a project they can see is
"forbidden". A service's refusal shows as a message on the project's page, nothing changed.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xinsheng.cases import selectors as case_selectors
from xinsheng.core.actors import Actor
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xinsheng.core.photos import photo_response
from xinsheng.org import permissions
from xinsheng.projects import exports, selectors, services
from xinsheng.projects.choices import FINISHED, LinkOutcome
from xinsheng.projects.forms import (
    CancelForm,
    CommitmentBodyForm,
    CompleteForm,
    LinkForm,
    MilestoneForm,
    PhotoForm,
    ProgressForm,
    ProjectFilterForm,
    ProjectForm,
    ReportForm,
)
from xinsheng.projects.models import Project
from xinsheng.projects.selectors import ProjectFilters

PAGE_LIMIT = 500  # projects listed on one page; the export has them all


def _require_view(actor: Actor) -> None:
    if not permissions.may_anywhere(actor, "project.view"):
        raise Forbidden()


def _detail_url(project: Project) -> str:
    return reverse("projects:detail", args=[project.pk])


# --- The list and its export ----------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[ProjectFilterForm, ProjectFilters | None]:
    form = ProjectFilterForm(request.GET or None, actor=request.user)
    if not request.GET:
        return form, ProjectFilters()
    return form, form.filters() if form.is_valid() else None


@staff_view
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    """Show the projects in the user's scope, filtered; link to the Excel export of the same."""
    _require_view(request.user)
    form, filters = _filtered(request)
    projects = (
        list(selectors.project_list_for(actor=request.user, filters=filters)[:PAGE_LIMIT])
        if filters is not None
        else []
    )
    context = {
        "form": form,
        "projects": projects,
        "query": request.GET.urlencode(),
        "may_manage": permissions.may_anywhere(request.user, "project.manage"),
        "today": timezone.localdate(),
    }
    return render(request, "projects/list.html", context)


@staff_view
@require_GET
def project_export(request: HttpRequest) -> HttpResponse:
    """Send the filtered project list as an Excel workbook."""
    _require_view(request.user)
    _form, filters = _filtered(request)
    if filters is None:
        raise InvalidInput(_("筛选条件有误，请返回修改。"))
    projects = selectors.project_list_for(actor=request.user, filters=filters)
    response = HttpResponse(exports.projects_workbook(projects), content_type=exports.CONTENT_TYPE)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="projects-{stamp}.xlsx"'
    return response


# --- Creating and editing -------------------------------------------------------------------------


@staff_view
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    """Set up a project."""
    actor = request.user
    if not permissions.may_anywhere(actor, "project.manage"):
        raise Forbidden()
    form = ProjectForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=actor, data=form.project_data())
        except InvalidInput as error:
            form.add_service_error(error)
        except Forbidden:
            form.add_error("unit", _("您不能为该单位设立项目。"))
        else:
            messages.success(request, _("项目已设立。"))
            return redirect(_detail_url(project))
    status = 400 if form.errors else 200
    return render(request, "projects/form.html", {"form": form, "project": None}, status=status)


@staff_view
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    """Change a running project."""
    actor = request.user
    project = selectors.project_get_for(actor=actor, project_id=project_id)
    if not selectors.project_may(actor=actor, project=project, action="project.manage"):
        raise Forbidden()
    form = ProjectForm(request.POST or None, actor=actor, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_edit(actor=actor, project=project, data=form.project_data())
        except InvalidInput as error:
            form.add_service_error(error)
        except (Conflict, Forbidden) as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("项目已修改。"))
            return redirect(_detail_url(project))
    status = 400 if form.errors else 200
    return render(request, "projects/form.html", {"form": form, "project": project}, status=status)


# --- A project's page -----------------------------------------------------------------------------


@staff_view
@require_GET
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    """Show a project: progress, milestones, sub-projects, linked voices, timeline, actions."""
    actor = request.user
    project = selectors.project_get_for(actor=actor, project_id=project_id)
    running = project.status not in FINISHED
    may_manage = selectors.project_may(actor=actor, project=project, action="project.manage")
    may_update = selectors.project_may(actor=actor, project=project, action="project.update")
    links = list(selectors.project_links_for(actor=actor, project=project))
    context = {
        "project": project,
        "milestones": list(selectors.project_milestones_for(actor=actor, project=project)),
        "children": list(selectors.project_children_for(actor=actor, project=project)),
        "links": links,
        "answered": sum(1 for link in links if link.outcome == LinkOutcome.ANSWERED),
        "events": list(selectors.project_events_for(actor=actor, project=project)),
        "photos": list(selectors.project_photos_public(project=project)),
        "ratings": selectors.project_rating_counts(project=project),
        "may_manage": may_manage and running,
        "may_update": may_update and running,
        "may_photo": may_update,
        "derived": bool(project.milestones.exists() or project.children.exists()),
        "milestone_form": MilestoneForm(),
        "progress_form": ProgressForm(initial={"progress": project.manual_progress}),
        "link_form": LinkForm(),
        "complete_form": CompleteForm(),
        "cancel_form": CancelForm(),
        "photo_form": PhotoForm(),
        "today": timezone.localdate(),
    }
    return render(request, "projects/detail.html", context)


def _add_milestone(request: HttpRequest, project: Project) -> str:
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(_first_error(form.errors))
    data = form.cleaned_data
    services.milestone_add(
        actor=request.user,
        project=project,
        title=data["title"],
        due_date=data["due_date"],
        weight=data["weight"],
    )
    return _("节点已添加。")


def _milestone_done(request: HttpRequest, project: Project) -> str:
    try:
        milestone_id = int(request.POST.get("milestone", ""))
    except ValueError:
        raise NotFound() from None
    milestone = selectors.milestone_get_for(
        actor=request.user, project=project, milestone_id=milestone_id
    )
    services.milestone_done(actor=request.user, milestone=milestone)
    return _("节点“%(title)s”已完成。") % {"title": milestone.title}


def _progress(request: HttpRequest, project: Project) -> str:
    form = ProgressForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(_first_error(form.errors))
    services.project_progress_set(
        actor=request.user,
        project=project,
        progress=form.cleaned_data["progress"],
        note=form.cleaned_data["note"],
    )
    return _("进度已更新。")


def _link(request: HttpRequest, project: Project) -> str:
    form = LinkForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(_first_error(form.errors))
    cases = []
    for case_no in form.cleaned_data["case_nos"]:
        try:
            cases.append(case_selectors.case_get_for(actor=request.user, case_no=case_no))
        except NotFound:
            raise InvalidInput(
                _("找不到诉求 %(no)s，或它不在您的范围内。") % {"no": case_no}
            ) from None
    created = services.project_link_cases(actor=request.user, project=project, cases=cases)
    return _("已关联%(count)d条诉求。") % {"count": len(created)}


def _unlink(request: HttpRequest, project: Project) -> str:
    case = case_selectors.case_get_for(actor=request.user, case_no=request.POST.get("case_no", ""))
    services.project_unlink_case(actor=request.user, project=project, case=case)
    return _("已取消关联 %(no)s。") % {"no": case.case_no}


def _complete(request: HttpRequest, project: Project) -> str:
    form = CompleteForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(_first_error(form.errors))
    done = services.project_complete(
        actor=request.user, project=project, answer=form.cleaned_data["answer"]
    )
    text = _("项目已销号，%(count)d条关联诉求已收到答复。") % {"count": len(done.answered)}
    if done.skipped:
        skipped = "；".join(f"{no}（{why}）" for no, why in done.skipped)
        text += _("未答复：%(list)s。") % {"list": skipped}
    return text


def _cancel(request: HttpRequest, project: Project) -> str:
    form = CancelForm(request.POST)
    if not form.is_valid():
        raise InvalidInput(_first_error(form.errors))
    services.project_cancel(actor=request.user, project=project, reason=form.cleaned_data["reason"])
    return _("项目已取消。")


def _photo(request: HttpRequest, project: Project) -> str:
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        raise InvalidInput(_first_error(form.errors))
    services.project_photo_add(
        actor=request.user, project=project, data=form.cleaned_data["photo"].read()
    )
    return _("照片已上传。")


def _first_error(errors: Any) -> str:
    for messages_ in errors.values():
        for message in messages_:
            return str(message)
    return str(_("输入有误，请检查后重试。"))


ACTIONS: dict[str, Callable[[HttpRequest, Project], str]] = {
    "milestone": _add_milestone,
    "milestone-done": _milestone_done,
    "progress": _progress,
    "link": _link,
    "unlink": _unlink,
    "complete": _complete,
    "cancel": _cancel,
    "photo": _photo,
}


@staff_view
@require_POST
def project_action(request: HttpRequest, project_id: int, action: str) -> HttpResponse:
    """Take one action on a project; say what it did, or why not, on the project's page."""
    project = selectors.project_get_for(actor=request.user, project_id=project_id)
    perform = ACTIONS.get(action)
    if perform is None:
        raise NotFound()
    try:
        text = perform(request, project)
    except (InvalidInput, Conflict) as error:
        messages.error(request, str(error.message))
    except NotFound as error:
        if error.code == "not_found":
            raise
        messages.error(request, str(error.message))
    else:
        messages.success(request, text)
    return redirect(_detail_url(project))


@login_required
@require_GET
def project_photo(request: HttpRequest, project_id: int, photo_id: int) -> FileResponse:
    """Send a photo of a project's result to a user who may see the project."""
    project = selectors.project_get_for(actor=request.user, project_id=project_id)
    return photo_response(selectors.project_photo_get(project=project, photo_id=photo_id))


# --- Commitments and the monthly report -----------------------------------------------------------


@staff_view
@require_http_methods(["GET", "POST"])
def commitments(request: HttpRequest) -> HttpResponse:
    """List the bodies projects are promised to, with their completion rates; add one."""
    actor = request.user
    _require_view(actor)
    may_manage = permissions.may_anywhere(actor, "project.manage")
    form = CommitmentBodyForm(request.POST or None, actor=actor)
    if request.method == "POST":
        if not may_manage:
            raise Forbidden()
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.commitment_body_create(
                    actor=actor, unit=data["unit"], name=data["name"], held_on=data["held_on"]
                )
            except InvalidInput as error:
                form.add_service_error(error)
            except Forbidden:
                form.add_error("unit", _("您不能为该单位添加承诺对象。"))
            else:
                messages.success(request, _("承诺对象已添加。"))
                return redirect("projects:commitments")
    lists = [
        selectors.commitment_list_for(actor=actor, body=body)
        for body in selectors.commitment_bodies_for(actor=actor)
    ]
    context = {"lists": lists, "form": form, "may_manage": may_manage}
    return render(request, "projects/commitments.html", context, status=400 if form.errors else 200)


@staff_view
@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """Show the monthly progress report: completion and started rates, 挂牌督办, commitments."""
    actor = request.user
    if not permissions.may_anywhere(actor, "project.view"):
        raise Forbidden()
    form = ReportForm(request.GET, actor=actor)
    result = None
    if form.is_valid():
        result = selectors.project_report_for(
            actor=actor, unit=form.cleaned_data["unit"], month_start=form.cleaned_data["month"]
        )
    return render(request, "projects/report.html", {"form": form, "report": result})

"""Staff work pages: the inboxes of dispatchers, handlers and supervisors, and the action forms.

Load through selectors, change through services. A case outside the user's scope is "not found"
(``case_get_for``); an action the user may not take on a case they can see is "forbidden". A
service that refuses because the case moved on meanwhile (``Conflict``) or because of the input
(``InvalidInput``) shows its message on the form, with what was typed kept and nothing changed.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from xinsheng.cases import selectors, services, steps, workflow
from xinsheng.cases.choices import WITH_UNIT, CaseStatus, EventKind
from xinsheng.cases.models import Case, CaseEvent
from xinsheng.cases.work.forms import (
    AcceptForm,
    ActionForm,
    AnswerForm,
    DecideExtensionForm,
    DispatchForm,
    ExtendForm,
    MergeForm,
    NoteForm,
    RejectForm,
    ReturnForm,
    SignForm,
    SuperviseForm,
)
from xinsheng.core.actors import Actor
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xinsheng.org.models import OrgUnit

SECTION_LIMIT = 100  # cases listed per inbox section; the ledger has the rest
PER_PAGE = 50

Perform = Callable[[Case, Actor, dict[str, Any]], str]


# --- The actions --------------------------------------------------------------------------------


def _accept(case: Case, actor: Actor, data: dict[str, Any]) -> str:
    services.case_accept(
        case=case,
        actor=actor,
        category=data["category"],
        urgency=data["urgency"],
        note=data["note"],
    )
    return _("已受理，类别：%(category)s。") % {"category": data["category"].name}


def _reject(case: Case, actor: Actor, data: dict[str, Any]) -> str:
    services.case_reject(case=case, actor=actor, reason=data["reason"])
    return _("已不予受理，原因将告知提出人。")


def _merge(case: Case, actor: Actor, data: dict[str, Any]) -> str:
    services.case_merge(case=case, actor=actor, into=data["into"], note=data["note"])
    return _("已合并到 %(no)s，提出人将跟踪该诉求。") % {"no": data["into"].case_no}


def _dispatch(case: Case, actor: Actor, data: dict[str, Any]) -> str:
    done = services.case_dispatch(
        case=case, actor=actor, unit=data["unit"], deadline=data["deadline"], note=data["note"]
    )
    return _("已派单给%(unit)s，办理时限 %(date)s。") % {
        "unit": data["unit"].name,
        "date": done.deadline.isoformat() if done.deadline else "",
    }


def _sign(case: Case, actor: Actor, data: dict[str, Any]) -> str:
    services.case_sign(case=case, actor=actor)
    return _("已签收，请在办理时限内答复。")


def _note(case: Case, actor: Actor, data: dict[str, Any]) -> str:
    services.case_note(case=case, actor=actor, text=data["text"])
    return _("已添加办理记录。")


def _answer(case: Case, actor: Actor, data: dict[str, Any]) -> str:
    photos = [photo.read() for photo in data.get("photos") or []]
    services.case_answer(
        case=case, actor=actor, text=data["text"], solved=data["solved"], photos=photos
    )
    return _("已答复，等待提出人评价。")


def _return(case: Case, actor: Actor, data: dict[str, Any]) -> str:
    services.case_return(case=case, actor=actor, reason=data["reason"])
    return _("已退单，派单员将重新派单。")


def _extend(case: Case, actor: Actor, data: dict[str, Any]) -> str:
    services.case_extension_request(
        case=case, actor=actor, until=data["until"], reason=data["reason"]
    )
    return _("已申请延期至 %(date)s，等待派单员审批。") % {"date": data["until"].isoformat()}


def _grant(case: Case, actor: Actor, data: dict[str, Any]) -> str:
    done = services.case_extension_grant(case=case, actor=actor, note=data["note"])
    return _("已同意延期，办理时限改为 %(date)s。") % {
        "date": done.deadline.isoformat() if done.deadline else ""
    }


def _refuse(case: Case, actor: Actor, data: dict[str, Any]) -> str:
    services.case_extension_refuse(case=case, actor=actor, note=data["note"])
    return _("已不同意延期，办理时限不变。")


def _supervise(case: Case, actor: Actor, data: dict[str, Any]) -> str:
    services.case_supervise(case=case, actor=actor, text=data["text"])
    return _("已发出督办通知。")


@dataclass(frozen=True)
class Action:
    """The page of a step on a case: its form, the service call behind it, and its words."""

    form: type[ActionForm]
    perform: Perform
    button: str | Promise
    notice: str | Promise = ""  # what the user must know before doing it
    title: str | Promise = ""  # the step's label, from the table of steps


# The page of each step, without its title (the step's label).
PAGES: dict[str, Action] = {
    "accept": Action(AcceptForm, _accept, gettext_lazy("受理")),
    "reject": Action(
        RejectForm,
        _reject,
        pgettext_lazy("case action", "不予受理"),
        gettext_lazy("不予受理后诉求即告结束，原因会显示给提出人。"),
    ),
    "merge": Action(
        MergeForm,
        _merge,
        gettext_lazy("合并"),
        gettext_lazy("重复的诉求合并到另一条诉求后，随该诉求一起办理和答复。"),
    ),
    "dispatch": Action(DispatchForm, _dispatch, gettext_lazy("派单")),
    "sign": Action(
        SignForm,
        _sign,
        gettext_lazy("确认签收"),
        gettext_lazy("签收表示本单位接手办理，响应计时随即停止。"),
    ),
    "note": Action(NoteForm, _note, gettext_lazy("保存记录")),
    "answer": Action(
        AnswerForm,
        _answer,
        gettext_lazy("提交答复"),
        gettext_lazy("答复将公开给提出人，提出人可以看到答复内容并评价是否满意。"),
    ),
    "return": Action(
        ReturnForm,
        _return,
        gettext_lazy("退单"),
        gettext_lazy("诉求不属于本单位办理时退回派单员，由其重新派单。"),
    ),
    "extend": Action(ExtendForm, _extend, gettext_lazy("提交申请")),
    "grant-extension": Action(DecideExtensionForm, _grant, gettext_lazy("同意延期")),
    "refuse-extension": Action(DecideExtensionForm, _refuse, gettext_lazy("不同意延期")),
    "supervise": Action(
        SuperviseForm,
        _supervise,
        gettext_lazy("发出督办通知"),
        gettext_lazy("督办通知会发送给承办单位，记入办理过程并计入督办次数。"),
    ),
}

# Every step staff take, in the loop's order, with its page (a step without one fails here).
ACTIONS: dict[str, Action] = {
    step.name: replace(PAGES[step.name], title=step.label) for step in steps.STAFF_STEPS
}


def _last_event(actor: Actor, case: Case, kind: EventKind) -> CaseEvent | None:
    return selectors.case_events_for(actor=actor, case=case).filter(kind=kind).last()


def _act_page(
    request: HttpRequest,
    case: Case,
    name: str,
    form: ActionForm,
    *,
    status: int = 200,
    refusal: str = "",
) -> HttpResponse:
    actor = request.user
    context = {
        "refusal": refusal,
        "case": case,
        "action": name,
        "spec": ACTIONS[name],
        "form": form,
        "available": name in selectors.case_actions_for(actor=actor, case=case),
        "overdue": case.is_overdue and case.status in WITH_UNIT,
        "origin": selectors.case_origin_shown(actor=actor, case=case),
        "submitter": selectors.case_submitter_shown(actor=actor, case=case),
        "returned": (
            _last_event(actor, case, EventKind.RETURNED)
            if case.status == CaseStatus.RETURNED
            else None
        ),
    }
    return render(request, "cases/inbox/act.html", context, status=status)


def _wrong_state(case: Case, action: str, spec: Action) -> str:
    """Return why step ``action`` cannot be taken on ``case`` in its present state."""
    step = steps.STEP[action]
    words = {"status": case.get_status_display(), "step": spec.title}
    if case.status == CaseStatus.SUBMITTED:
        return _("这条诉求还没有受理（当前状态：%(status)s），受理后才能%(step)s。") % words
    refusal = workflow.refusal(step, case)
    if case.status in step.start and refusal is not None:
        return str(refusal.message)  # the state is right, the step's guard is not met
    return _("这条诉求当前状态为“%(status)s”，不能%(step)s。") % words


def _fresh(actor: Actor, case: Case) -> Case:
    """Return ``case`` as it is now, to show after another user acted first."""
    try:
        return selectors.case_get_for(actor=actor, case_no=case.case_no)
    except NotFound:  # it has moved out of sight; show it as it was
        return case


@login_required
@require_http_methods(["GET", "POST"])
def case_act(request: HttpRequest, case_no: str, action: str) -> HttpResponse:
    """Show the form of ``action`` on a case, and take the action when it is sent."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise NotFound()
    actor = request.user
    case = selectors.case_get_for(actor=actor, case_no=case_no)
    if request.method == "GET":
        if action in selectors.case_actions_for(actor=actor, case=case):
            return _act_page(request, case, action, spec.form(case=case, actor=actor))
        if not workflow.may_ever(actor, action, case):
            raise Forbidden()
        # The user may take this step, but not while the case is where it is: say so.
        form = spec.form(case=case, actor=actor)
        refusal = _wrong_state(case, action, spec)
        return _act_page(request, case, action, form, status=409, refusal=refusal)
    # A form sent after someone else acted is for the service to judge: it says what changed.
    if not workflow.may_ever(actor, action, case):
        raise Forbidden()
    form = spec.form(request.POST, files=request.FILES, case=case, actor=actor)
    if not form.is_valid():
        return _act_page(request, case, action, form, status=400)
    try:
        done = spec.perform(case, actor, form.cleaned_data)
    except InvalidInput as error:
        form.add_service_error(error)
        return _act_page(request, case, action, form, status=400)
    except Conflict as error:
        form.add_error(None, str(error.message))
        return _act_page(request, _fresh(actor, case), action, form, status=409)
    messages.success(request, done)
    return redirect("cases:detail", case.case_no)


# --- Inboxes ------------------------------------------------------------------------------------


@dataclass
class Row:
    """A case as a row of an inbox: where it came from and the actions this user may take."""

    case: Case
    origin: OrgUnit
    actions: list[tuple[str, str | Promise]]
    overdue: bool = False
    due_today: bool = False


@dataclass
class Section:
    """A kind of work in an inbox, with its count and its oldest cases."""

    key: str
    title: str | Promise
    count: int
    rows: list[Row] = field(default_factory=list)

    @property
    def more(self) -> int:
        return max(self.count - len(self.rows), 0)


class _Origins:
    """The origin each case is shown with (small units hidden), worked out once per unit."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.shown: dict[tuple[int, bool], OrgUnit] = {}

    def __call__(self, case: Case) -> OrgUnit:
        key = (case.origin_unit_id, case.is_anonymous)
        if key not in self.shown:
            self.shown[key] = selectors.case_origin_shown(actor=self.actor, case=case)
        return self.shown[key]


def _rows(actor: Actor, cases: Iterable[Case], today: dt.date) -> list[Row]:
    origin = _Origins(actor)
    rows = []
    for case in cases:
        allowed = selectors.case_actions_for(actor=actor, case=case)
        deadline = case.deadline if case.status in WITH_UNIT else None
        overdue = deadline is not None and (case.is_overdue or deadline < today)
        rows.append(
            Row(
                case=case,
                origin=origin(case),
                actions=[(name, ACTIONS[name].title) for name in allowed],
                overdue=overdue,
                due_today=not overdue and deadline == today,
            )
        )
    return rows


def _page(request: HttpRequest, cases: QuerySet[Case]) -> tuple[Any, list[Row]]:
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    return page, _rows(request.user, page.object_list, timezone.localdate())


DISPATCH_SECTIONS: list[tuple[str, str | Promise, Q]] = [
    ("new", gettext_lazy("待受理"), selectors.DISPATCH_WORK["new"]),
    ("accepted", gettext_lazy("待派单"), selectors.DISPATCH_WORK["accepted"]),
    ("returned", gettext_lazy("退单待重新派单"), selectors.DISPATCH_WORK["returned"]),
    ("extension", gettext_lazy("延期申请待审批"), selectors.DISPATCH_WORK["extension"]),
]
# The lists of the handler's and the supervisor's inboxes, each a kind of their work
# (``selectors.handler_work``, ``selectors.SUPERVISION_WORK``); the staff home links to them.
HANDLER_SHOWS: dict[str, str | Promise] = {
    "to_sign": gettext_lazy("待签收"),
    "in_progress": gettext_lazy("办理中"),
    "overdue": gettext_lazy("已超期"),
    "due_soon": gettext_lazy("今明两天到期"),
}
SUPERVISION_SHOWS: dict[str, str | Promise] = {
    "overdue": gettext_lazy("超期未办结"),
    "reopened": gettext_lazy("群众不满意重办"),
    "escalated": gettext_lazy("多次不满意转督办"),
}


@dataclass(frozen=True)
class Tab:
    """A kind of work an inbox can be narrowed to: its count, and whether it is shown now."""

    key: str
    title: str | Promise
    count: int
    current: bool
    tone: str = ""  # "danger" or "warn": how the count stands out


def _shown(request: HttpRequest, shows: dict[str, str | Promise]) -> str:
    """Return the kind of work asked for (``?show=``), or "" for all of it."""
    show = request.GET.get("show", "")
    return show if show in shows else ""


def _tabs(
    shows: dict[str, str | Promise], counts: dict[str, int], shown: str, tones: dict[str, str]
) -> list[Tab]:
    return [
        Tab(key, title, counts[key], key == shown, tones.get(key, ""))
        for key, title in shows.items()
    ]


@login_required
@require_GET
def dispatcher_inbox(request: HttpRequest) -> HttpResponse:
    """Show what waits for the dispatcher, by kind of work, oldest first."""
    actor = request.user
    inbox = selectors.dispatcher_inbox_for(actor=actor)
    today = timezone.localdate()
    sections = []
    for key, title, where in DISPATCH_SECTIONS:
        cases = inbox.filter(where)
        sections.append(
            Section(key, title, cases.count(), _rows(actor, cases[:SECTION_LIMIT], today))
        )
    context = {"sections": sections, "total": sum(s.count for s in sections)}
    return render(request, "cases/inbox/dispatcher_inbox.html", context)


@login_required
@require_GET
def handler_inbox(request: HttpRequest) -> HttpResponse:
    """Show the cases the user's units hold, soonest due first; late and due today stand out.

    ``?show=`` narrows the list to one kind of work (to sign, overdue …), as the staff home's
    to-do items link to it.
    """
    actor = request.user
    today = timezone.localdate()
    inbox = selectors.handler_inbox_for(actor=actor)
    shown = _shown(request, HANDLER_SHOWS)
    page, rows = _page(
        request, inbox.filter(selectors.handler_work(today)[shown]) if shown else inbox
    )
    counts = selectors.handler_work_counts(actor=actor, today=today)
    tones = {"overdue": "danger", "due_soon": "warn"}
    context = {
        "page": page,
        "rows": rows,
        "counts": counts,
        "tabs": _tabs(HANDLER_SHOWS, counts, shown, tones),
        "shown": shown,
        "today": today,
    }
    return render(request, "cases/inbox/handler_inbox.html", context)


@login_required
@require_GET
def supervision(request: HttpRequest) -> HttpResponse:
    """Show the overdue, reopened and escalated cases the user supervises (``?show=`` one kind)."""
    actor = request.user
    watched = selectors.supervision_list_for(actor=actor)
    shown = _shown(request, SUPERVISION_SHOWS)
    page, rows = _page(
        request, watched.filter(selectors.SUPERVISION_WORK[shown]) if shown else watched
    )
    counts = selectors.supervision_work_counts(actor=actor)
    tones = {"overdue": "danger", "reopened": "warn", "escalated": "danger"}
    context = {
        "page": page,
        "rows": rows,
        "counts": counts,
        "tabs": _tabs(SUPERVISION_SHOWS, counts, shown, tones),
        "shown": shown,
    }
    return render(request, "cases/inbox/supervision.html", context)

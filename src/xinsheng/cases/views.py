"""Staff pages of the closed loop: the ledger, the case page, its photos, and the notebook.

Load through selectors, change through services. A case outside the user's scope is "not found",
the same as one that does not exist (``case_get_for`` raises ``NotFound``). The inboxes and the
action forms are in ``work_views``.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from xinsheng.cases import selectors, services, steps
from xinsheng.cases.choices import CloseReason, EventKind
from xinsheng.cases.forms import (
    LedgerFilterForm,
    NotebookForm,
    record_units,
    sitting_dump,
    sitting_load,
    unit_label,
)
from xinsheng.cases.ledger.keyset import cursor_load, page_of
from xinsheng.cases.ledger.rows import rows_html
from xinsheng.cases.models import Case, CaseEvent
from xinsheng.core import remembered_widgets
from xinsheng.core.actors import Actor
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput
from xinsheng.core.photos import photo_response
from xinsheng.core.ratings import Satisfaction
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit

PAGE_SIZE = 50
# The ledger counts its rows up to this many and says "more than" beyond: a bounded count stays
# fast on a million cases, where an exact one would read every matching row on each page.
TOTAL_CAP = 10_000
LEDGER_TARGET = "ledger-table"
NOTEBOOK_DONE_KEY = "cases.notebook.done"  # entry tokens already saved: a reload saves nothing
NOTEBOOK_DONE_MAX = 200

ACTION_LABELS: dict[str, Any] = {step.name: step.label for step in steps.STAFF_STEPS}
PRIMARY_ACTIONS = frozenset({"accept", "dispatch", "sign", "answer", "grant-extension"})


@dataclass(frozen=True)
class EventRow:
    """A step of the timeline: what it was, who did it, and what its data says in words."""

    event: CaseEvent
    kind: str
    actor_name: str
    detail: str
    unit: OrgUnit | None


@functools.cache
def _choices(model: type[Model], field: str) -> dict[Any, Any]:
    """Return the labels of ``field``'s choices by value, untranslated (lazy), once per process.

    ``get_FOO_display`` builds this dictionary on every call, hashing each lazy label, which
    translates it: the timeline's kinds cost some twenty translations per event that way.
    """
    return dict(model._meta.get_field(field).flatchoices)  # type: ignore[union-attr]


def _label(model: type[Model], field: str, value: Any) -> str:
    """Return the label of ``value`` among ``field``'s choices, as ``get_FOO_display`` does."""
    return str(_choices(model, field).get(value, value))


# --- Ledger -----------------------------------------------------------------------------------


def _origins(actor: Actor, cases: list[Any]) -> Callable[[Any], str]:
    """Return the name of the origin each ledger row may show; those of anonymous rows are read
    at once for the page (``selectors.anonymous_origin_names_shown``)."""
    anonymous = {
        case.origin_unit_id: (case.origin_unit__path, case.origin_unit__name)
        for case in cases
        if case.is_anonymous
    }
    shown = (
        selectors.anonymous_origin_names_shown(actor=actor, units=anonymous) if anonymous else {}
    )

    def origin(case: Any) -> str:
        return shown[case.origin_unit_id] if case.is_anonymous else case.origin_unit__name

    return origin


@dataclass(frozen=True)
class Total:
    """How many cases the ledger holds under its filters, counted up to ``TOTAL_CAP``."""

    count: int
    capped: bool

    @property
    def shown(self) -> str:
        return f"{self.count:,}"


def _total(rows: list[Any]) -> Total:
    """Return the ledger's total as its page read it (``listed``, counted up to the cap + 1)."""
    found = int(rows[0].listed or 0) if rows else 0
    return Total(min(found, TOTAL_CAP), found > TOTAL_CAP)


def _filters_html(request: HttpRequest, form: LedgerFilterForm) -> SafeString:
    """Return the filter form of a valid ``form`` as HTML, rendered once per distinct input.

    The form shows the same few values on every page of the ledger; rendered afresh, its labels,
    options and the unit picker were about a third of the page's template. What it depends on
    is all in the key: the query string (the form's values; not the page's cursor), the
    categories as offered (added or renamed ones make a new key) and the language (added by
    ``remembered``).
    """
    values = tuple((name, tuple(found)) for name, found in request.GET.lists() if name != "cursor")
    choices = remembered_widgets.frozen(form.fields["category"].choices)  # type: ignore[attr-defined]
    return remembered_widgets.remembered(
        ("cases.ledger.filters", values, choices),
        lambda: render_to_string("cases/_ledger_filters.html", {"form": form}),
    )


@staff_view
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    """Show the ledger (台账) of the cases in the user's scope, filtered, one keyset page."""
    form = LedgerFilterForm(request.GET, actor=request.user)
    context: dict[str, Any] = {"form": form, "rows": [], "page": None}
    if form.is_valid():
        sort = form.sort_name
        cursor = None
        if token := request.GET.get("cursor", ""):
            try:
                cursor = cursor_load(token, sort=sort)
            except InvalidInput as error:
                context["notice"] = error.message
        cases = selectors.case_ledger_for(
            actor=request.user, filters=form.filters(), count_up_to=TOTAL_CAP
        )
        page = page_of(cases, sort=sort, cursor=cursor, size=PAGE_SIZE)
        context["total"] = _total(page.rows)
        params = request.GET.copy()
        params.pop("cursor", None)
        rows = page.rows
        context.update(
            page=page,
            rows=rows,
            rows_html=rows_html(rows, _origins(request.user, rows)),
            page_query=params.urlencode(),
        )
    fragment = request.headers.get("HX-Target") == LEDGER_TARGET
    if form.is_valid() and not fragment:
        context["filters_html"] = _filters_html(request, form)
    template = "cases/_ledger_table.html" if fragment else "cases/ledger.html"
    response = render(request, template, context)  # 200 with the errors shown: htmx swaps it
    patch_vary_headers(response, ["HX-Target"])
    return response


# --- Case page --------------------------------------------------------------------------------


def _person_name(user: Any) -> str:
    try:
        return str(user.person.name)
    except ObjectDoesNotExist:
        return str(user.get_username())


def _actor_name(event: CaseEvent) -> str:
    if event.actor is not None:
        return _person_name(event.actor)
    if event.kind in {EventKind.SUBMITTED, EventKind.RATED}:
        return _("提出人")
    return _("系统")


def _event_detail(event: CaseEvent, categories: dict[str, str]) -> str:
    """Return what an event's data means, in words (the deadline set, the rating given …)."""
    data = event.data or {}
    kind = event.kind
    if kind == EventKind.ACCEPTED and data.get("category"):
        code = str(data["category"])
        return _("类别：%(name)s") % {"name": categories.get(code, code)}
    if kind == EventKind.DISPATCHED and data.get("deadline"):
        return _("办理时限：%(date)s") % {"date": data["deadline"]}
    if kind == EventKind.MERGED and data.get("into"):
        return _("合并至 %(no)s") % {"no": data["into"]}
    if kind == EventKind.SUPPORTED and data.get("merged"):
        return _("%(no)s 已合并至本件") % {"no": data["merged"]}
    if kind == EventKind.EXTENSION_REQUESTED and data.get("until"):
        return _("申请延期至 %(date)s") % {"date": data["until"]}
    if kind == EventKind.EXTENSION_GRANTED and data.get("to"):
        return _("办理时限延至 %(date)s") % {"date": data["to"]}
    if kind == EventKind.EXTENSION_REFUSED and data.get("asked"):
        return _("申请延期至 %(date)s，未同意") % {"date": data["asked"]}
    if kind == EventKind.ANSWERED and data.get("solved"):
        return _("承办单位认为问题已解决")
    if kind == EventKind.RATED and data.get("satisfaction") in Satisfaction.values:
        solved = _("问题已解决") if data.get("solved") else _("问题未解决")
        label = Satisfaction(data["satisfaction"]).label
        return _("%(label)s，%(solved)s") % {"label": label, "solved": solved}
    if kind == EventKind.REOPENED and data.get("deadline"):
        return _("第%(round)s次重办，办理时限：%(date)s") % {
            "round": data.get("round", ""),
            "date": data["deadline"],
        }
    if kind == EventKind.CLOSED and data.get("reason") in CloseReason.values:
        return str(CloseReason(data["reason"]).label)
    return ""


def _categories_named(case: Case, events: list[CaseEvent]) -> dict[str, str]:
    """Return the names of the categories the timeline's acceptances name, by code.

    Nearly always that is the case's own category, already read with the case; the others (a
    case accepted again under another category) are looked up, in one query.
    """
    codes = {
        str(event.data["category"])
        for event in events
        if event.kind == EventKind.ACCEPTED and (event.data or {}).get("category")
    }
    named = {case.category.code: case.category.label} if case.category is not None else {}
    if codes - named.keys():
        named |= selectors.category_labels(codes - named.keys())
    return named


def _event_rows(actor: Actor, case: Case, origin: OrgUnit) -> list[EventRow]:
    """Return the timeline; the origin of an anonymous case shows as ``origin`` there too."""
    events = selectors.case_timeline_for(actor=actor, case=case)
    categories = _categories_named(case, events)
    rows = []
    for event in events:
        unit = event.unit
        hidden = case.is_anonymous and event.unit_id == case.origin_unit_id
        if hidden and event.unit_id != case.responsible_unit_id:
            unit = origin
        kind, detail = _label(CaseEvent, "kind", event.kind), _event_detail(event, categories)
        rows.append(EventRow(event, kind, _actor_name(event), detail, unit))
    return rows


@staff_view
@require_GET
def case_detail(request: HttpRequest, case_no: str) -> HttpResponse:
    """Show one case: its facts, submitter as this user may see them, photos, timeline, actions."""
    actor = request.user
    case, has = selectors.case_page_get_for(actor=actor, case_no=case_no)
    origin = selectors.case_origin_shown(actor=actor, case=case)
    action_names = selectors.case_actions_for(actor=actor, case=case)
    photos = list(selectors.case_photos_for(actor=actor, case=case)) if has.photos else []
    context = {
        "case": case,
        "origin": origin,
        "submitter": selectors.case_submitter_shown(actor=actor, case=case),
        "events": _event_rows(actor, case, origin),
        "actions": [
            {"name": a, "label": ACTION_LABELS[a], "primary": a in PRIMARY_ACTIONS}
            for a in action_names
        ],
        "other_actions": selectors.case_contributed_actions_for(actor=actor, case=case),
        # Related rows of a case the user may see: the case's own photos, ratings and merges.
        "photos": [p for p in photos if p.answer_round is None],
        "answer_photos": [p for p in photos if p.answer_round is not None],
        "ratings": (
            list(selectors.case_ratings_for(actor=actor, case=case)) if has.ratings else []
        ),
        "merged_cases": (
            selectors.case_merged_numbers_for(actor=actor, case=case) if has.merged else []
        ),
        "recorder": _person_name(case.recorded_by) if case.recorded_by else "",
        "labels": {
            name: _label(Case, name, getattr(case, name))
            for name in ("kind", "channel", "status", "urgency", "close_reason")
        },
    }
    # Dispatchers get the suggestion card (insight), loaded after the page.
    context["suggest"] = bool({"accept", "dispatch"} & set(action_names))
    return render(request, "cases/detail.html", context)


@login_required
@require_GET
def case_photo(request: HttpRequest, case_no: str, photo_id: int) -> FileResponse:
    """Send a photo of a case the user may see. Photos are not public media: no scope, no photo."""
    photo = selectors.case_photo_get_for(actor=request.user, case_no=case_no, photo_id=photo_id)
    response = photo_response(photo)
    response["Content-Disposition"] = "inline"
    return response


# --- Notebook (民情记事本) ----------------------------------------------------------------------


def _notebook_page(
    request: HttpRequest,
    form: NotebookForm,
    sitting: list[dict[str, str]],
    *,
    saved: dict[str, str] | None = None,
) -> HttpResponse:
    units = record_units(request.user)
    top = min((unit.depth for unit in units), default=0) if units else 0
    context = {
        "form": form,
        "unit_choices": [(u.code, unit_label(u, top)) for u in units] if units else None,
        "sitting": list(reversed(sitting)),
        "sitting_token": sitting_dump(sitting, actor=request.user) if sitting else "",
        "saved": saved,
    }
    return render(request, "cases/notebook.html", context, status=400 if form.errors else 200)


def _already_saved(request: HttpRequest, token: str) -> str:
    """Return the case number an entry token was saved as, or "" when it is new."""
    done: dict[str, str] = request.session.get(NOTEBOOK_DONE_KEY, {})
    return done.get(token, "") if token else ""


def _remember_saved(request: HttpRequest, token: str, case_no: str) -> None:
    if not token:
        return
    done: dict[str, str] = request.session.get(NOTEBOOK_DONE_KEY, {})
    done[token] = case_no
    request.session[NOTEBOOK_DONE_KEY] = dict(list(done.items())[-NOTEBOOK_DONE_MAX:])


@staff_view
@never_cache  # the page shows receipt codes: no copy of it is kept by the browser or a proxy
@require_http_methods(["GET", "POST"])
def notebook(request: HttpRequest) -> HttpResponse:
    """Write down voices heard face to face, one after another (民情记事本).

    After each save the form comes back with unit, date, place and channel kept, above the list
    of what was entered in this sitting with each receipt code to hand over.
    """
    actor = request.user
    if not permissions.may_anywhere(actor, "case.record"):
        raise Forbidden()
    if request.method != "POST":
        return _notebook_page(request, NotebookForm.fresh(actor=actor), [])
    sitting = sitting_load(request.POST.get("sitting", ""), actor=actor)
    form = NotebookForm(request.POST, actor=actor)
    if not form.is_valid():
        return _notebook_page(request, form, sitting)
    token = form.cleaned_data["token"]
    if case_no := _already_saved(request, token):
        messages.info(request, _("这一条已保存为 %(no)s，未重复记录。") % {"no": case_no})
        return _notebook_page(request, NotebookForm.fresh(actor=actor, kept=form.kept()), sitting)
    data = form.cleaned_data
    try:
        submitted = services.case_record(
            actor=actor,
            unit=data["unit"],
            channel=data["channel"],
            kind=data["kind"],
            title="",
            text=data["text"],
            identity=form.identity(),
            heard_on=data["heard_on"],
            heard_place=data["heard_place"],
        )
    except InvalidInput as error:
        form.add_service_error(error)
        return _notebook_page(request, form, sitting)
    except (Conflict, Forbidden) as error:
        form.add_error(None, str(error.message))
        return _notebook_page(request, form, sitting)
    case = submitted.case
    _remember_saved(request, token, case.case_no)
    entry = {
        "case_no": case.case_no,
        "title": case.title,
        "receipt": submitted.receipt_code,
        "who": case.submitter_name or _("匿名"),
        "unit": data["unit"].name,
    }
    sitting.append(entry)
    fresh = NotebookForm.fresh(actor=actor, kept=form.kept())
    return _notebook_page(request, fresh, sitting, saved=entry)

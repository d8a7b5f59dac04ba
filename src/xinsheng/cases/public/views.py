"""Public pages for employees: the intake form behind a unit's QR code, and the follow-up page.

No login. Nothing here reads or keeps who the visitor is: the rate limits count a keyed hash of
the address in the cache only, and the receipt code travels in POST bodies, never in a URL.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from xinsheng.cases import selectors, services, workflow
from xinsheng.cases.choices import CaseStatus, CloseReason, EventKind
from xinsheng.cases.intake import idempotency
from xinsheng.cases.intake import insert as intake_insert
from xinsheng.cases.intake import limits as intake_limits
from xinsheng.cases.intake.limits import INTAKE, RECEIPT, Limit
from xinsheng.cases.models import Case, CaseEvent
from xinsheng.cases.photos import MAX_PHOTOS
from xinsheng.cases.public.answer_photos import answer_photo_links
from xinsheng.cases.public.forms import IntakeForm, RatingForm, ReceiptForm, intake_key_new
from xinsheng.cases.public.receipt_views import receipt_context
from xinsheng.cases.validation import TEXT_MAX, TEXT_MIN
from xinsheng.core.errors import Conflict, InvalidInput, NotFound, XinshengError
from xinsheng.core.photos import MAX_BYTES
from xinsheng.core.plugins import contributions
from xinsheng.core.ratings import Rated, Satisfaction, rating_take
from xinsheng.core.remembered_pages import remembered_page
from xinsheng.core.remembered_widgets import frozen
from xinsheng.org.models import OrgUnit

public_page = require_http_methods(["GET", "HEAD", "POST"])


@dataclass(frozen=True)
class Step:
    """One line of the public timeline."""

    at: dt.datetime
    label: str
    detail: str = ""


# --- shared responses --------------------------------------------------------------------------


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return render(
        request,
        "cases/public/error.html",
        {"message": message, "status": status},
        status=status,
    )


def _user_error(request: HttpRequest, error: XinshengError) -> HttpResponse:
    return _error(request, str(error.message), error.status)


def _limited(request: HttpRequest, limit: Limit) -> HttpResponse:
    response = render(
        request,
        "cases/public/limited.html",
        {"minutes": max(1, limit.retry_after // 60)},
        status=429,
    )
    response["Retry-After"] = str(limit.retry_after)
    return response


# --- intake ---------------------------------------------------------------------------------------


def _intake_page(
    request: HttpRequest, unit: OrgUnit, form: IntakeForm, status: int = 200
) -> HttpResponse:
    context = {
        "unit": unit,
        "form": form,
        "text_min": TEXT_MIN,
        "text_max": TEXT_MAX,
        "max_photos": MAX_PHOTOS,
        "max_photo_bytes": MAX_BYTES,
        "photos_lost": status != 200 and bool(request.FILES),
        "draft_key": _draft_key(unit),
        "similar_days": settings.XINSHENG.get("SIMILAR_PUBLIC_DAYS", 90),
        "tabs": intake_tabs(unit, str(request.POST.get("k") or request.GET.get("k") or "")),
    }
    return render(request, "cases/public/intake.html", context, status=status)


def _blank_intake_page(request: HttpRequest, unit: OrgUnit, token: str) -> HttpResponse:
    """Show the empty form: the same page for everyone at one address, kept once rendered
    (``core.remembered_pages``) and given a fresh intake key and CSRF token each time."""

    def page(placeholders: Mapping[str, str]) -> HttpResponse:
        form = IntakeForm(initial={"intake_key": placeholders["intake_key"], "k": token})
        return _intake_page(request, unit, form)

    # Every field of the unit as read (name, code, its settings, …): a change is a new page.
    shown = frozen({name: value for name, value in vars(unit).items() if name[0] != "_"})
    return remembered_page(
        request, ("cases.intake", unit.pk, shown), page, {"intake_key": intake_key_new}
    )


def intake_tabs(unit: OrgUnit, token: str) -> list[tuple[str, str]]:
    """Return the other forms of ``unit``'s QR page (``INTAKE_TABS``) as (label, address)."""
    query = f"?{urlencode({'k': token})}" if token else ""
    return [
        (str(tab.label), reverse(tab.url_name, args=[unit.code]) + query)
        for tab in contributions("INTAKE_TABS")
    ]


# Both pages are ``never_cache``: they hold a fresh idempotency key, a CSRF token, a receipt
# code or a case's progress, none of which a browser or proxy may keep.


@never_cache
@public_page
def intake_form(request: HttpRequest, unit_code: str) -> HttpResponse:
    """Show a unit's form; take a voice, and show its case number and receipt code once."""
    token = str(request.POST.get("k") or request.GET.get("k") or "")
    if request.method == "POST" and _one_statement(request):
        # The statement that takes the voice checks the unit and its code itself; the unit is
        # read only when the form has to be shown again, or the statement finds it refusing.
        unit: OrgUnit | None = None
    else:
        try:
            unit = _unit_taking_voices(unit_code, token)
        except (NotFound, Conflict) as error:
            return _user_error(request, error)
    if unit is not None and request.method != "POST":
        return _blank_intake_page(request, unit, token)

    with intake_limits.limit_slot(request, INTAKE) as slot:
        if slot.over and not intake_limits.replay_known(unit_code, request.POST.get("intake_key")):
            return _limited(request, slot.limit)
        try:
            return _intake_take(request, unit_code, unit, token, slot)
        except (NotFound, Conflict) as error:
            return _user_error(request, error)


def _one_statement(request: HttpRequest) -> bool:
    """Return whether the voice sent goes the one-statement way (``services.case_submit_at``):
    on PostgreSQL, a new voice without photos."""
    return intake_insert.available() and not request.FILES and not request.POST.get("support")


def _unit_taking_voices(unit_code: str, token: str) -> OrgUnit:
    """Return the unit of ``unit_code`` if it takes voices (``NotFound``/``Conflict`` if not)."""
    unit = selectors.intake_unit_get(unit_code)
    return services.intake_unit_check(unit=unit, token=token or None)


def _intake_take(
    request: HttpRequest,
    unit_code: str,
    unit: OrgUnit | None,
    token: str,
    slot: intake_limits.Slot,
) -> HttpResponse:
    """Take the voice the form sent; keep the slot if a voice was taken, the honeypot was filled
    or photos were decoded. ``unit`` is None when the statement taking the voice checks it."""
    form = IntakeForm(request.POST, request.FILES)
    if form.honeypot_filled:
        unit = unit or _unit_taking_voices(unit_code, token)
        slot.keep()
        return _error(request, _("提交未成功，请稍后重试。"), 400)
    if not form.is_valid():
        unit = unit or _unit_taking_voices(unit_code, token)
        return _intake_page(request, unit, form, status=400)
    data = form.cleaned_data
    try:
        if data["support"]:
            unit = unit or _unit_taking_voices(unit_code, token)
            submitted = services.case_support(
                unit=unit,
                case_no=data["support"],
                text=data["text"],
                identity=form.identity_value(),
                intake_key=data["intake_key"] or None,
                token=token or None,
            )
        else:  # the API's path: on PostgreSQL a voice without photos is one statement
            submitted = services.case_submit_at(
                unit_code=unit_code,
                kind=data["kind"],
                title=data["title"],
                text=data["text"],
                identity=form.identity_value(),
                photos=form.photo_bytes(),
                intake_key=data["intake_key"] or None,
                token=token or None,
            )
    except idempotency.IntakeKeyReused:
        return _intake_key_reused(request, unit or _unit_taking_voices(unit_code, token))
    except InvalidInput as error:
        if request.FILES:  # photos cost the server their decoding, refused or not
            slot.keep()
        form.add_service_error(error)
        return _intake_page(request, unit or _unit_taking_voices(unit_code, token), form, 400)
    if submitted.created:
        slot.keep()
    # Rendered in the answer to the POST, never redirected to: the code must not land in a URL.
    return _done_page(request, submitted.case, submitted.receipt_code, unit_code)


def _done_page(request: HttpRequest, case: Case, code: str, unit_code: str) -> HttpResponse:
    """Show the voice's number and receipt code: the page is the same for every voice taken at
    one address but for those and the contact shown, so it is kept once rendered
    (``core.remembered_pages``) and given each voice's own values."""
    context = receipt_context(case, code)
    groups: list[str] = context["receipt_groups"]
    values = {"case_no": case.case_no, "receipt_code": context["receipt_code"]}
    values.update((f"group{n}", group) for n, group in enumerate(groups))
    if context["contact_shown"]:
        values["contact"] = context["contact_shown"]
    merged = case.merged_into if case.merged_into_id else None
    if merged is not None:
        values["merged_no"] = merged.case_no

    def page(placeholders: Mapping[str, str]) -> HttpResponse:
        shown = {
            **placeholders,
            "code_id": context["code_id"],
            "receipt_groups": [placeholders[f"group{n}"] for n in range(len(groups))],
            "contact_shown": placeholders.get("contact", ""),
            "draft_key": _draft_key(unit_code),
        }
        return render(request, "cases/public/done.html", shown)

    key = ("cases.done", unit_code, len(groups), tuple(sorted(values)))
    return remembered_page(request, key, page, values)


def _intake_key_reused(request: HttpRequest, unit: OrgUnit) -> HttpResponse:
    """Answer a form sent again with another voice (e.g. changed after going back): nothing was
    written; the form comes back as filled in, with a fresh key, so that sending it once more is
    a new voice the person chose to send."""
    data = request.POST.copy()
    data["intake_key"] = intake_key_new()
    form = IntakeForm(data, request.FILES)
    form.is_valid()
    form.add_error(
        None,
        _(
            "此页面已提交过一条内容不同的诉求，这次没有受理。"
            "如确需另提一条新的诉求，请核对内容后再次提交。"
        ),
    )
    return _intake_page(request, unit, form, status=idempotency.IntakeKeyReused.status)


def _draft_key(unit: OrgUnit | str) -> str:
    """The key of the form's draft in the browser: the unit's, or the unit code's (the code a
    voice was taken at is its unit's exact code)."""
    return f"xinsheng-draft:{unit if isinstance(unit, str) else unit.code}"


# --- follow-up ------------------------------------------------------------------------------------


@never_cache
@public_page
def receipt_lookup(request: HttpRequest) -> HttpResponse:
    """Ask for a receipt code; show the case it opens, and take the rating of its answer."""
    if request.method != "POST":
        return render(request, "cases/public/lookup.html", {"form": ReceiptForm()})
    limit = intake_limits.limit_check(request, RECEIPT)
    if limit.exceeded:
        return _limited(request, limit)
    intake_limits.limit_count(request, RECEIPT)  # every look-up counts, right or wrong

    form = ReceiptForm(request.POST)
    code = str(request.POST.get("code", ""))
    try:
        via = services.case_for_receipt(code)
    except NotFound as error:
        for lookup in contributions("RECEIPT_LOOKUPS"):  # codes other apps hand out
            if (page := lookup.page(request=request, code=code)) is not None:
                return page  # type: ignore[no-any-return]
        form.errors.clear()
        form.add_error("code", str(error.message))
        return render(request, "cases/public/lookup.html", {"form": form}, status=404)

    rated = Rated(RatingForm(initial={"code": code}))
    if request.POST.get("action") == "rate":
        rated = _rate(request, code)
        via = services.case_for_receipt(code)  # show the state the rating left
    context = {"rating_form": rated.form, "notice": rated.notice, "problem": rated.problem}
    return render(
        request, "cases/public/receipt.html", {**_case_context(via), **context}, status=rated.status
    )


def _rate(request: HttpRequest, code: str) -> Rated[RatingForm]:
    """Record the rating posted with ``code``; return the form to show, status, thanks, trouble."""

    def record(satisfaction: str, solved: bool, comment: str) -> None:
        services.case_rate(
            receipt_code=code, satisfaction=satisfaction, solved=solved, comment=comment
        )

    return rating_take(
        RatingForm(request.POST), record, blank=lambda: RatingForm(initial={"code": code})
    )


def _case_context(via: Case) -> dict[str, Any]:
    """Return what the follow-up page shows of ``via`` and the case its submitter follows."""
    followed = via.followed_case
    merged = followed.pk != via.pk
    steps = _steps(selectors.case_public_events(case=via))
    if merged:
        steps += _steps(selectors.case_public_events(case=followed), followed=True)
    answered = followed.answered_at is not None and followed.status in {
        CaseStatus.ANSWERED,
        CaseStatus.CLOSED,
    }
    remaining = max(workflow.MAX_REOPENINGS - followed.reopen_count, 0)
    return {
        "case": via,
        "followed": followed,
        "merged": merged,
        "origin": selectors.case_origin_shown(actor=None, case=via),
        "steps": steps,
        "answer": followed.answer if answered else "",
        "answer_photos": answer_photo_links(followed) if answered else [],
        "next_step": _next_step(via, followed),
        "may_rate": selectors.case_rating_open_for(via=via),
        "reopenings_left": remaining,
        "sections": [
            {"template": section.template, "data": data}
            for section in contributions("RECEIPT_SECTIONS")
            if (data := section.data(case=via))
        ],
    }


def _next_step(via: Case, followed: Case) -> str:
    """Return, in a sentence, where the case stands and what happens next."""
    status = followed.status
    if via.status == CaseStatus.REJECTED:
        return _("您的诉求不予受理，原因见下方。如有疑问，可再次提交并补充说明。")
    if status == CaseStatus.SUBMITTED:
        return _("已收到，正在等待受理。")
    if status in {CaseStatus.ACCEPTED, CaseStatus.RETURNED}:
        return _("已受理，正在安排承办单位。")
    if status in {CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS}:
        if followed.deadline:
            return _("承办单位正在办理，办理时限为%(date)s。") % {
                "date": followed.deadline.isoformat()
            }
        return _("承办单位正在办理。")
    if status == CaseStatus.ANSWERED:
        return _("已答复，请阅读答复并作出评价。")
    if followed.close_reason == CloseReason.SUPERVISION:
        return _("您对答复仍不满意，已转交督导组督办。")
    if followed.close_reason == CloseReason.NOT_RATED:
        return _("已办结（答复后未在规定时间内评价）。")
    return _("已办结。")


# --- the public timeline --------------------------------------------------------------------------

# Notes written by staff are never shown on the public page, except a rejection's reason and the
# answer; a public event of a kind not listed in ``_step`` shows its name only.


def _steps(events: Iterable[CaseEvent], *, followed: bool = False) -> list[Step]:
    """Return the public timeline of ``events``; no actor is ever named.

    For the case a merged case follows (``followed``), its own intake is someone else's and left
    out.
    """
    steps = []
    for event in events:
        if followed and event.kind in {EventKind.SUBMITTED, EventKind.RECORDED}:
            continue
        steps.append(_step(event))
    return steps


def _step(event: CaseEvent) -> Step:
    kind, data = event.kind, event.data or {}
    unit = event.unit.name if event.unit is not None else ""
    if kind in {EventKind.SUBMITTED, EventKind.RECORDED}:
        return Step(event.at, _("已收到"))
    if kind == EventKind.ACCEPTED:
        return Step(event.at, _("已受理"))
    if kind == EventKind.REJECTED:
        return Step(event.at, _("不予受理"), event.note)
    if kind == EventKind.MERGED:
        detail = _("与同类诉求合并办理，请关注%(no)s的办理情况。") % {"no": data.get("into", "")}
        return Step(event.at, _("已合并至%(no)s") % {"no": data.get("into", "")}, detail)
    if kind == EventKind.DISPATCHED:
        detail = _("承办单位：%(unit)s；办理时限：%(date)s") % {
            "unit": unit,
            "date": data.get("deadline", ""),
        }
        return Step(event.at, _("已派单"), detail)
    if kind == EventKind.SIGNED:
        return Step(event.at, _("承办单位已签收"), unit)
    if kind == EventKind.ANSWERED:
        return Step(event.at, _("已答复"), event.note)
    if kind == EventKind.EXTENSION_GRANTED:
        return Step(event.at, _("延期办理"), _("办理时限延至%(date)s") % {"date": data.get("to")})
    if kind == EventKind.RATED:
        return Step(event.at, _("已评价"), _rating_text(data))
    if kind == EventKind.REOPENED:
        detail = _("第%(round)s次重新办理，办理时限：%(date)s") % {
            "round": data.get("round", ""),
            "date": data.get("deadline", ""),
        }
        return Step(event.at, _("重新办理"), detail)
    if kind == EventKind.CLOSED:
        reason = data.get("reason", "")
        label = CloseReason(reason).label if reason in CloseReason.values else ""
        return Step(event.at, _("已办结"), str(label))
    if kind == EventKind.SUPPORTED:
        return Step(event.at, _("同类诉求并入"), _("另有职工反映同一问题，合并办理。"))
    return Step(event.at, str(EventKind(kind).label) if kind in EventKind.values else kind)


def _rating_text(data: dict[str, Any]) -> str:
    satisfaction = data.get("satisfaction", "")
    label = Satisfaction(satisfaction).label if satisfaction in Satisfaction.values else ""
    solved = _("问题已解决") if data.get("solved") else _("问题未解决")
    return _("%(satisfaction)s，%(solved)s") % {"satisfaction": label, "solved": solved}

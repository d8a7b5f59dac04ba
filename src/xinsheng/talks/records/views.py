"""Staff pages of talk records: fast entry on a phone, the ledger (台账), a record's page, its
correction, the people picker and the ledger's export.

Load through the selectors, change through the services. A record out of the user's scope is
"not found" like a missing one. The entry page answers its script in JSON (the script keeps what
could not be sent and sends it again when the connection returns) and a plain form post in HTML.
"""

import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from xinsheng.core.actors import Actor
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xinsheng.org import permissions
from xinsheng.talks.models import TalkRecord
from xinsheng.talks.records import exports, selectors, services
from xinsheng.talks.records import vocabulary as words
from xinsheng.talks.records.forms import TalkEntryForm, TalkFilterForm
from xinsheng.talks.records.keyset import page_of

PAGE_SIZE = 50
LEDGER_TARGET = "talk-ledger-table"
PEOPLE_OPTIONS = 15


def _require(actor: Actor, action: str) -> None:
    if not permissions.may_anywhere(actor, action):
        raise Forbidden()


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _record_url(record: TalkRecord) -> str:
    return reverse("talks:record", args=[record.pk])


# --- Fast entry ---------------------------------------------------------------------------------


def _entry_page(
    request: HttpRequest, form: TalkEntryForm, *, saved: dict[str, Any] | None = None
) -> HttpResponse:
    actor = request.user
    units = selectors.talk_record_units(actor)
    context = {
        "form": form,
        "units": units,
        "recent": selectors.talk_recent_by(actor=actor),
        "saved": saved,
        "fresh": not form.is_bound,
        "tag_suggestions": [words.TAG_LABELS[tag] for tag in words.SUGGESTED_TAGS],
    }
    return render(request, "talks/records/entry.html", context, status=400 if form.errors else 200)


def _errors_json(form: TalkEntryForm) -> JsonResponse:
    errors = {name: [str(m) for m in found] for name, found in form.errors.items()}
    first = next(iter(errors.values()))[0] if errors else _("输入有误，请检查后重试。")
    return JsonResponse({"message": first, "errors": errors}, status=400)


def _saved(recorded: services.Recorded) -> dict[str, Any]:
    record = recorded.record
    message = _("已保存。") if recorded.created else _("这一条已经保存过，未重复记录。")
    if recorded.case_nos:
        message += _("反映的诉求已转为：%(nos)s。") % {"nos": "、".join(recorded.case_nos)}
    if recorded.receipt_codes:
        # Shown this once, as the notebook does: the recorder hands each code to the person who
        # raised the voice, who follows and rates the answer with it.
        message += _("查询码（只显示这一次，请交给反映人）：%(codes)s。") % {
            "codes": "、".join(recorded.receipt_codes)
        }
    return {
        "id": record.pk,
        "url": _record_url(record),
        "case_nos": recorded.case_nos,
        "receipt_codes": recorded.receipt_codes,
        "created": recorded.created,
        "message": message,
        "title": f"{record.held_on:%Y-%m-%d} {record.get_kind_display()}",
    }


@staff_view
@never_cache
@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest) -> HttpResponse:
    """Write one record after another (保存并继续记录下一条), on a phone as well as at a desk."""
    actor = request.user
    _require(actor, "talk.record")
    if request.method != "POST":
        return _entry_page(request, TalkEntryForm.fresh(actor=actor))
    form = TalkEntryForm(request.POST, actor=actor)
    recorded = None
    if form.is_valid():
        try:
            recorded = services.talk_record_create(
                actor=actor, data=form.talk_input(), client_key=form.cleaned_data["client_key"]
            )
        except InvalidInput as error:
            form.add_service_error(error)
        except (Conflict, Forbidden) as error:
            form.add_error(None, str(error.message))
    if recorded is None:
        return _errors_json(form) if _wants_json(request) else _entry_page(request, form)
    saved = _saved(recorded)
    if _wants_json(request):
        return JsonResponse(saved, status=201 if recorded.created else 200)
    return _entry_page(request, TalkEntryForm.fresh(actor=actor, kept=form.kept()), saved=saved)


@staff_view
@require_GET
def people_options(request: HttpRequest) -> HttpResponse:
    """Return ``<option>`` suggestions of people in the user's scope, by name or number."""
    search = request.GET.get("q", "")[:50]
    people = selectors.talk_people_options_for(
        actor=request.user, search=search, limit=PEOPLE_OPTIONS
    )
    return render(request, "talks/records/_people_options.html", {"people": people})


# --- Ledger -------------------------------------------------------------------------------------


@staff_view
@require_GET
def ledger(request: HttpRequest) -> HttpResponse:
    """Show the records in the user's scope, filtered, one keyset page."""
    actor = request.user
    _require(actor, "talk.view")
    form = TalkFilterForm(request.GET, actor=actor)
    context: dict[str, Any] = {"form": form, "page": None, "rows": []}
    if form.is_valid():
        records = selectors.talk_with_people(
            selectors.talk_list_for(actor=actor, filters=form.filters())
        )
        try:
            page = page_of(records, cursor=request.GET.get("cursor", ""), size=PAGE_SIZE)
        except InvalidInput as error:
            context["notice"] = error.message
            page = page_of(records, cursor="", size=PAGE_SIZE)
        params = request.GET.copy()
        params.pop("cursor", None)
        context.update(page=page, rows=page.rows, page_query=params.urlencode())
    context["may_record"] = permissions.may_anywhere(actor, "talk.record")
    context["may_import"] = permissions.may_anywhere(actor, "talk.import")
    context["tag_suggestions"] = [words.TAG_LABELS[tag] for tag in words.SUGGESTED_TAGS]
    fragment = request.headers.get("HX-Target") == LEDGER_TARGET
    template = "talks/records/_ledger_table.html" if fragment else "talks/records/ledger.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Target"])
    return response


# --- A record -----------------------------------------------------------------------------------


@staff_view
@never_cache  # the page may show a sensitive note: no copy is kept by the browser or a proxy
@require_GET
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    """Show a record: everything it says, and its voices with the state of their cases."""
    actor = request.user
    record = selectors.talk_get_for(actor=actor, record_id=record_id)
    voices = list(record.voices.all())
    visible = selectors.talk_cases_visible(actor=actor, cases=[v.case for v in voices])
    context = {
        "record": record,
        "voices": [(voice.case, voice.case_id in visible) for voice in voices],
        "sensitive_note": services.talk_sensitive_note_read(
            actor=actor, record=record, via=request.path
        ),
        "may_correct": selectors.talk_may_correct(actor=actor, record=record),
    }
    return render(request, "talks/records/detail.html", context)


@staff_view
@never_cache
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, record_id: int) -> HttpResponse:
    """Correct a record (its recorder only); voices added here become cases, old ones stay."""
    actor = request.user
    record = selectors.talk_get_for(actor=actor, record_id=record_id)
    if not selectors.talk_may_correct(actor=actor, record=record):
        raise Forbidden(_("只有记录人本人可以更正这条记录。"))
    may_read = selectors.talk_may_view_sensitive(actor=actor, record=record)
    note = ""
    if request.method != "POST" and may_read:
        note = services.talk_sensitive_note_read(actor=actor, record=record, via=request.path)
    data = request.POST if request.method == "POST" else None
    form = TalkEntryForm.of_record(record, actor=actor, data=data, sensitive_note=note)
    if request.method == "POST" and form.is_valid():
        try:
            services.talk_record_correct(actor=actor, record=record, data=form.talk_input())
        except InvalidInput as error:
            form.add_service_error(error)
        except (Conflict, Forbidden) as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("记录已更正。"))
            return redirect(_record_url(record))
    context = {
        "form": form,
        "record": record,
        "units": selectors.talk_record_units(actor),
        "voices": list(record.voices.all()),
        "sensitive_hidden": bool(record.sensitive_note) and not may_read,
    }
    return render(request, "talks/records/edit.html", context, status=400 if form.errors else 200)


# --- Export -------------------------------------------------------------------------------------


def _xlsx(stream: object, name: str) -> FileResponse:
    response = FileResponse(
        stream, as_attachment=True, filename=name, content_type=exports.XLSX_TYPE
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export_start(request: HttpRequest) -> HttpResponseBase:
    """Export the ledger with the filters of the query string: sent at once when small."""
    job = exports.talk_export_create(actor=request.user, params=exports.export_params(request.GET))
    if job.background:
        return redirect("talks:records_export_job", job_id=job.pk)
    scratch = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 — the response closes it
    exports.talk_export_inline(job=job, target=scratch)
    scratch.seek(0)
    return _xlsx(scratch, exports.export_file_name(job))


@staff_view
@require_GET
def export_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.talk_export_job_get_for(actor=request.user, job_id=job_id)
    return render(request, "talks/records/export_job.html", {"job": job})


@staff_view
@require_GET
def export_job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.talk_export_job_get_for(actor=request.user, job_id=job_id)
    return render(request, "talks/records/export_status.html", {"job": job})


@login_required
@require_GET
def export_download(request: HttpRequest, job_id: int) -> FileResponse:
    """Send the file of a finished export to its owner, and to nobody else."""
    job = selectors.talk_export_job_get_for(actor=request.user, job_id=job_id)
    if job.status != job.Status.DONE or not job.file:
        raise NotFound()
    try:
        stream = job.file.open("rb")
    except FileNotFoundError as exc:
        raise NotFound() from exc
    return _xlsx(stream, exports.export_file_name(job))

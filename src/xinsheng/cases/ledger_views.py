"""Staff pages of the ledger's spreadsheets: export (at once, or as a job with a progress bar),
and the import of historical ledgers (upload, dry run, apply).

Load through the ledger selectors, change through the ledger export and import services.
"""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from xinsheng.cases import ledger_export, ledger_import
from xinsheng.cases.ledger_forms import LedgerImportForm
from xinsheng.cases.ledger_selectors import (
    ledger_export_job_get_for,
    ledger_import_job_get_for,
    ledger_import_job_list_for,
)
from xinsheng.cases.ledger_template import template_file_name, template_workbook
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from xinsheng.org import permissions

RECENT_JOBS = 20


def _xlsx(stream: object, name: str) -> FileResponse:
    response = FileResponse(
        stream, as_attachment=True, filename=name, content_type=ledger_export.XLSX_TYPE
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Export -------------------------------------------------------------------------------------


@login_required
@require_GET
def export_start(request: HttpRequest) -> HttpResponseBase:
    """Export the ledger with the filters of the query string: sent at once when small."""
    params = ledger_export.export_params(request.GET)
    job = ledger_export.ledger_export_create(actor=request.user, params=params)
    if job.background:
        return redirect("cases:ledger_export_job", job_id=job.pk)
    scratch = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 — the response closes it
    ledger_export.ledger_export_inline(job=job, target=scratch)
    scratch.seek(0)
    return _xlsx(scratch, ledger_export.export_file_name(job))


@staff_view
@require_GET
def export_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = ledger_export_job_get_for(actor=request.user, job_id=job_id)
    return render(request, "cases/ledger_io/export_job.html", {"job": job})


@staff_view
@require_GET
def export_job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    job = ledger_export_job_get_for(actor=request.user, job_id=job_id)
    return render(request, "cases/ledger_io/export_status.html", {"job": job})


@login_required
@require_GET
def export_download(request: HttpRequest, job_id: int) -> FileResponse:
    """Send the file of a finished export to its owner, and to nobody else."""
    job = ledger_export_job_get_for(actor=request.user, job_id=job_id)
    if job.status != job.Status.DONE or not job.file:
        raise NotFound()
    try:
        stream = job.file.open("rb")
    except FileNotFoundError as exc:
        raise NotFound() from exc
    return _xlsx(stream, ledger_export.export_file_name(job))


# --- Import -------------------------------------------------------------------------------------


def _require_importer(request: HttpRequest) -> None:
    if not permissions.may_anywhere(request.user, "ledger.import"):
        raise Forbidden()


@staff_view
def import_start(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = LedgerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # One byte more than allowed is enough for the service to refuse an oversized file.
        content = upload.read(ledger_import.max_bytes() + 1)
        try:
            job = ledger_import.ledger_import_create(
                actor=request.user, file_name=upload.name or "", content=content
            )
        except InvalidInput as exc:
            form.add_error("file", str(exc.message))
        else:
            return redirect("cases:ledger_import_job", job_id=job.pk)
    context = {
        "form": form,
        "jobs": ledger_import_job_list_for(actor=request.user)[:RECENT_JOBS],
        "max_bytes": ledger_import.max_bytes(),
    }
    return render(
        request, "cases/ledger_io/import.html", context, status=400 if form.errors else 200
    )


@staff_view
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    response = HttpResponse(template_workbook(), content_type=ledger_export.XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=template_file_name()
    )
    return response


@staff_view
@require_GET
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = ledger_import_job_get_for(actor=request.user, job_id=job_id)
    return render(request, "cases/ledger_io/import_job.html", {"job": job})


@staff_view
@require_GET
def import_job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    job = ledger_import_job_get_for(actor=request.user, job_id=job_id)
    return render(request, "cases/ledger_io/import_status.html", {"job": job})


@staff_view
@require_POST
def import_apply(request: HttpRequest, job_id: int) -> HttpResponse:
    job = ledger_import_job_get_for(actor=request.user, job_id=job_id)
    try:
        ledger_import.ledger_import_request_apply(actor=request.user, job=job)
    except Conflict as exc:
        messages.error(request, str(exc.message))
    return redirect("cases:ledger_import_job", job_id=job.pk)

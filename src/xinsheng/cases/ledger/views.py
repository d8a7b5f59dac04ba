"""Staff pages of the ledger's export: at once, or as a job with a progress bar.

The import's pages are the spreadsheet kit's (see ``ledger.urls``). Load through the ledger
selectors, change through the ledger export service.
"""

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from xinsheng.cases.ledger import export as ledger_export
from xinsheng.cases.ledger.selectors import ledger_export_job_get_for
from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import NotFound


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

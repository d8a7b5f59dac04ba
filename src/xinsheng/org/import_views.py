"""Staff pages for importing units and people from a spreadsheet.

Load through the import selectors, change through the import services, nothing else.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from xinsheng.core.errors import Conflict, Forbidden, InvalidInput
from xinsheng.org import imports, permissions
from xinsheng.org.import_forms import ImportUploadForm
from xinsheng.org.import_read import max_bytes
from xinsheng.org.import_selectors import import_job_get_for, import_job_list_for
from xinsheng.org.import_template import template_file_name, template_workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_JOBS = 20


def _require_importer(request: HttpRequest) -> None:
    if not permissions.may_anywhere(request.user, "org.import"):
        raise Forbidden()


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # One byte more than allowed is enough for the service to refuse an oversized file.
        content = upload.read(max_bytes() + 1)
        try:
            job = imports.import_job_create(
                actor=request.user, file_name=upload.name or "", content=content
            )
        except InvalidInput as exc:
            form.add_error("file", str(exc.message))
        else:
            return redirect("org:import_job", job_id=job.pk)
    context = {
        "form": form,
        "jobs": import_job_list_for(actor=request.user)[:RECENT_JOBS],
        "max_bytes": max_bytes(),
    }
    return render(request, "org/import.html", context, status=400 if form.errors else 200)


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    _require_importer(request)
    response = HttpResponse(template_workbook(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=template_file_name()
    )
    return response


@login_required
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = import_job_get_for(actor=request.user, job_id=job_id)
    return render(request, "org/import_job.html", {"job": job})


@login_required
def import_job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    job = import_job_get_for(actor=request.user, job_id=job_id)
    return render(request, "org/import_status.html", {"job": job})


@login_required
@require_POST
def import_apply(request: HttpRequest, job_id: int) -> HttpResponse:
    job = import_job_get_for(actor=request.user, job_id=job_id)
    try:
        imports.import_job_request_apply(actor=request.user, job=job)
    except Conflict as exc:
        messages.error(request, str(exc.message))
    return redirect("org:import_job", job_id=job.pk)

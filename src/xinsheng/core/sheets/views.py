"""The pages of every import kind: upload, template, job (dry run and progress), apply.

Each URL pattern names its kind (``{"kind": "org"}``, see ``urls.import_urls``); the pages are
rendered with the kind's templates, which extend those under ``core/sheets/``. A user sees only
their own jobs of that kind.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput
from xinsheng.core.sheets import runner
from xinsheng.core.sheets.kinds import ImportKind, import_kind
from xinsheng.core.sheets.reader import max_bytes
from xinsheng.core.sheets.selectors import job_get_for, job_list_for

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECENT_JOBS = 20


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("文件"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"})
    )

    def __init__(self, *args: Any, help_text: str | Promise = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = str(help_text)


def _importer_kind(request: HttpRequest, kind: str) -> ImportKind:
    found = import_kind(kind)
    if not found.allowed(request.user):
        raise Forbidden()
    return found


def _page(found: ImportKind, name: str) -> str:
    return f"{found.templates}{name}"


@staff_view
def import_start(request: HttpRequest, kind: str) -> HttpResponse:
    found = _importer_kind(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None, help_text=found.form_help)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # One byte more than allowed is enough for the service to refuse an oversized file.
        content = upload.read(max_bytes() + 1)
        try:
            job = runner.job_create(
                kind, actor=request.user, file_name=upload.name or "", content=content
            )
        except InvalidInput as exc:
            form.add_error("file", str(exc.message))
        else:
            return redirect(found.url("job"), job_id=job.pk)
    context = {
        "kind": found,
        "form": form,
        "jobs": job_list_for(actor=request.user, kind=kind)[:RECENT_JOBS],
        "max_bytes": max_bytes(),
    }
    status = 400 if form.errors else 200
    return render(request, _page(found, "import.html"), context, status=status)


@staff_view
@require_GET
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    found = _importer_kind(request, kind)
    response = HttpResponse(found.template(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=found.template_name()
    )
    return response


@staff_view
@require_GET
def import_job(request: HttpRequest, kind: str, job_id: int) -> HttpResponse:
    found = import_kind(kind)
    job = job_get_for(actor=request.user, kind=kind, job_id=job_id)
    context = {"kind": found, "job": job, "status_template": _page(found, "import_status.html")}
    return render(request, _page(found, "import_job.html"), context)


@staff_view
@require_GET
def import_job_status(request: HttpRequest, kind: str, job_id: int) -> HttpResponse:
    found = import_kind(kind)
    job = job_get_for(actor=request.user, kind=kind, job_id=job_id)
    return render(request, _page(found, "import_status.html"), {"kind": found, "job": job})


@staff_view
@require_POST
def import_apply(request: HttpRequest, kind: str, job_id: int) -> HttpResponse:
    found = import_kind(kind)
    job = job_get_for(actor=request.user, kind=kind, job_id=job_id)
    try:
        runner.job_request_apply(actor=request.user, job=job)
    except Conflict as exc:
        messages.error(request, str(exc.message))
    return redirect(found.url("job"), job_id=job.pk)

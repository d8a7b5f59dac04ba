"""Staff pages of work briefings: list, generate, edit the text, download Word, print HTML.

Load through ``briefing_selectors`` (scoped to ``briefing.write``), change through
``briefing_services``. A briefing of a unit outside the user's scope is "not found".
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xinsheng.core.decorators import staff_view
from xinsheng.core.errors import Forbidden, InvalidInput
from xinsheng.org import permissions
from xinsheng.reports.briefing import BriefingDocument, document_of
from xinsheng.reports.briefing_forms import BriefingEditForm, BriefingNewForm
from xinsheng.reports.briefing_models import Briefing
from xinsheng.reports.briefing_selectors import ACTION, briefing_get_for, briefing_list_for
from xinsheng.reports.briefing_services import briefing_create, briefing_update

RECENT = 50


def _require_writer(request: HttpRequest) -> None:
    if not permissions.may_anywhere(request.user, ACTION):
        raise Forbidden()


def _document(briefing: Briefing) -> BriefingDocument:
    return document_of(briefing.title, list(briefing.paragraphs), briefing.figures)


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view
@require_GET
def briefing_list(request: HttpRequest) -> HttpResponse:
    """List the briefings of the user's units, last changed first."""
    _require_writer(request)
    briefings = briefing_list_for(actor=request.user)[:RECENT]
    return render(request, "reports/briefing/list.html", {"briefings": briefings})


@staff_view
def briefing_new(request: HttpRequest) -> HttpResponse:
    """Choose a unit and a period, and write the briefing from the dashboard's figures."""
    _require_writer(request)
    form = BriefingNewForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            briefing = briefing_create(
                actor=request.user, unit=form.cleaned_data["unit"], period=form.chosen_period
            )
        except InvalidInput as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, _("简报已生成。可以修改正文后保存，数据表按生成时的数据保留。")
            )
            return redirect("reports:briefing_detail", briefing_id=briefing.pk)
    status = 400 if form.errors else 200
    return render(request, "reports/briefing/new.html", {"form": form}, status=status)


@staff_view
def briefing_detail(request: HttpRequest, briefing_id: int) -> HttpResponse:
    """Show a briefing with its figures table; save the edited title and text."""
    briefing = briefing_get_for(actor=request.user, briefing_id=briefing_id)
    initial = {"title": briefing.title, "text": BriefingEditForm.text_of(briefing.paragraphs)}
    form = BriefingEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            briefing_update(
                actor=request.user,
                briefing=briefing,
                title=form.cleaned_data["title"],
                paragraphs=form.cleaned_data["text"],
            )
        except InvalidInput as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("简报已保存。"))
            return redirect("reports:briefing_detail", briefing_id=briefing.pk)
    context = {"briefing": briefing, "form": form, "document": _document(briefing)}
    return render(
        request, "reports/briefing/detail.html", context, status=400 if form.errors else 200
    )


@staff_view
@require_GET
def briefing_docx(request: HttpRequest, briefing_id: int) -> HttpResponse:
    """Send the briefing as a Word document."""
    from xinsheng.reports.briefing_docx import DOCX_TYPE, render_docx  # python-docx: only here

    briefing = briefing_get_for(actor=request.user, briefing_id=briefing_id)
    response = HttpResponse(render_docx(_document(briefing)), content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{briefing.title}.docx"
    )
    return _private(response)


@staff_view
@require_GET
def briefing_html(request: HttpRequest, briefing_id: int) -> HttpResponse:
    """Show the briefing as a page to read and print (A4)."""
    briefing = briefing_get_for(actor=request.user, briefing_id=briefing_id)
    back = reverse("reports:briefing_detail", kwargs={"briefing_id": briefing.pk})
    document = _document(briefing)
    context = {"document": document, "back": back}
    with translation.override(document.language):  # the page is the document, in its language
        return _private(render(request, "reports/briefing/document.html", context))

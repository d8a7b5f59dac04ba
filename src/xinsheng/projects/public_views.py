"""The public board (公示) of projects and a project's rating page behind its QR code.

No login (unless ``XINSHENG["PUBLIC_BOARD"]`` is off, then staff only). Nothing personal is
shown: the owner unit and the responsible leader as such boards list them, never the person in
charge below, nor anything of the voices linked. Nothing about a visitor is kept; the rating
limit counts a keyed hash of the address in the cache only.
"""

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from xinsheng.core.errors import NotFound
from xinsheng.core.photos import photo_response
from xinsheng.core.qr import public_url, qr_svg_inline
from xinsheng.core.ratings import Rated, rating_take
from xinsheng.projects import rating_limits, selectors, services
from xinsheng.projects.models import Project
from xinsheng.projects.public_forms import ProjectRatingForm


def _closed(request: HttpRequest) -> HttpResponse | None:
    """Return the login redirect when the board is not public and nobody is signed in."""
    if selectors.public_board_enabled() or request.user.is_authenticated:
        return None
    return redirect_to_login(request.get_full_path())


def _project_url(request: HttpRequest, project: Project) -> str:
    return public_url(request, reverse("board:project", args=[project.public_token]))


def _not_found(request: HttpRequest, error: NotFound) -> HttpResponse:
    context = {"message": error.message, "status": 404}
    return render(request, "cases/public/error.html", context, status=404)


@require_GET
def board(request: HttpRequest, unit_code: str) -> HttpResponse:
    """Show the public projects of a unit's subtree with progress, results and QR codes."""
    if (closed := _closed(request)) is not None:
        return closed
    try:
        unit = selectors.board_unit_get(unit_code)
    except NotFound as error:
        return _not_found(request, error)
    rows: list[dict[str, Any]] = [
        {"project": project, "qr": qr_svg_inline(_project_url(request, project), scale=3)}
        for project in selectors.board_projects(unit=unit)
    ]
    done = sum(1 for row in rows if row["project"].status == "done")
    context = {"unit": unit, "rows": rows, "done": done}
    return render(request, "projects/public/board.html", context)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def project_page(request: HttpRequest, token: str) -> HttpResponse:
    """Show one public project and, once it is done, take a rating of its result (验单)."""
    if (closed := _closed(request)) is not None:
        return closed
    try:
        project = services.project_for_token(token)
    except NotFound as error:
        return _not_found(request, error)
    rated = _rate(request, project) if request.method == "POST" else Rated(ProjectRatingForm())
    context = {
        "project": project,
        "milestones": list(project.milestones.order_by("due_date", "id")),
        "photos": list(selectors.project_photos_public(project=project)),
        "ratings": selectors.project_rating_counts(project=project),
        "form": rated.form,
        "notice": rated.notice,
        "problem": rated.problem,
        "may_rate": project.status == "done" and rating_limits.rating_allowed(request, project.pk),
    }
    return render(request, "projects/public/project.html", context, status=rated.status)


def _rate(request: HttpRequest, project: Project) -> Rated[ProjectRatingForm]:
    if not rating_limits.rating_allowed(request, project.pk):
        return Rated(ProjectRatingForm(), 429, problem=_("您今天已评价过该项目，感谢参与。"))

    def record(satisfaction: str, solved: bool, comment: str) -> None:
        services.project_rate(
            project=project, satisfaction=satisfaction, solved=solved, comment=comment
        )
        rating_limits.rating_count(request, project.pk)

    return rating_take(ProjectRatingForm(request.POST), record, blank=ProjectRatingForm)


@require_GET
def project_photo(request: HttpRequest, token: str, photo_id: int) -> FileResponse:
    """Send a photo of a public project's result."""
    if not selectors.public_board_enabled() and not request.user.is_authenticated:
        raise NotFound()
    project = services.project_for_token(token)
    return photo_response(selectors.project_photo_get(project=project, photo_id=photo_id))

"""The photos of an answer, shown to the employee on the receipt page.

A receipt code never goes into an address, so the page links each photo of the answer it shows
by a token signed with the installation's secret, naming the case and the photo and good for a
day: whoever opened the page with the code may open its photos that long, and nobody can make a
link to any other photo. The photo is sent as staff get it (``core.photos.photo_response``),
re-encoded without EXIF, kept by the browser only.
"""

from dataclasses import dataclass

from django.core import signing
from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.views.decorators.http import require_GET

from xinsheng.cases.models import Case, CasePhoto
from xinsheng.core.errors import NotFound
from xinsheng.core.photos import photo_response

SALT = "xinsheng.cases.answer-photo"
MAX_AGE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class AnswerPhotoLink:
    """A photo of the answer shown, with the address the receipt page opens it by."""

    url: str
    width: int
    height: int


def answer_photo_links(case: Case) -> list[AnswerPhotoLink]:
    """Return the photos that came with ``case``'s latest answer, each with its signed link."""
    if not case.answer_count:
        return []
    photos = case.photos.filter(answer_round=case.answer_count).order_by("id")
    return [
        AnswerPhotoLink(
            reverse(
                "public:answer_photo",
                args=[signing.dumps([case.pk, photo.pk], salt=SALT, compress=True)],
            ),
            photo.width,
            photo.height,
        )
        for photo in photos
    ]


@require_GET
def answer_photo(request: HttpRequest, token: str) -> FileResponse:
    """Send the answer photo a receipt page linked; 404 for a link it did not make or too old."""
    try:
        case_id, photo_id = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except (signing.BadSignature, ValueError, TypeError):
        raise NotFound() from None
    photo = CasePhoto.objects.filter(
        pk=photo_id, case_id=case_id, answer_round__isnull=False
    ).first()
    if photo is None:
        raise NotFound()
    response = photo_response(photo)
    response["Content-Disposition"] = "inline"
    return response

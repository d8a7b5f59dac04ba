"""Photos sent with an answer: checked as a voice's are, seen by staff and by the employee."""

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.cases.factories import dispatched, make_cast, reload
from tests.conftest import Tree
from xinsheng.cases import services
from xinsheng.cases.choices import CaseStatus, EventKind
from xinsheng.cases.models import CaseEvent, CasePhoto

PHOTO_LINK = re.compile(r'<img src="(/r/photo/[^"]+/)"')


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def jpeg(colour: tuple[int, int, int] = (30, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "JPEG")
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def answer_with(client: Client, case_no: str, *photos: SimpleUploadedFile) -> Any:
    url = reverse("cases:act", args=[case_no, "answer"])
    return client.post(
        url, {"text": "热水管道已更换，请查看照片。", "solved": "on", "photos": photos}
    )


def test_a_handler_answers_with_photos_the_employee_sees_on_the_receipt_page(
    client: Client, tree: Tree
) -> None:
    cast = make_cast(tree)
    submitted = dispatched(tree, cast)
    case = submitted.case
    services.case_sign(case=case, actor=cast.handler)
    client.force_login(cast.handler)
    form = client.get(reverse("cases:act", args=[case.case_no, "answer"])).content.decode()
    assert 'enctype="multipart/form-data"' in form
    assert 'type="file" name="photos"' in form
    assert "xinsheng/photo-preview.js" in form  # thumbnails as soon as photos are chosen

    response = answer_with(client, case.case_no, upload("a.jpg", jpeg()), upload("b.jpg", jpeg()))
    assert response.status_code == 302, response.content.decode()[:500]
    case = reload(case)
    assert case.status == CaseStatus.ANSWERED
    photos = list(CasePhoto.objects.filter(case=case))
    assert [p.answer_round for p in photos] == [1, 1]
    event = CaseEvent.objects.get(case=case, kind=EventKind.ANSWERED)
    assert event.data["photos"] == 2
    # staff see them under the answer
    detail = client.get(reverse("cases:detail", args=[case.case_no])).content.decode()
    assert "第1次答复的照片 2" in detail

    # the employee sees them on the receipt page, through links only that page gives
    employee = Client()
    page = employee.post(reverse("public:receipt"), {"code": submitted.receipt_code})
    links = PHOTO_LINK.findall(page.content.decode())
    assert len(links) == 2
    shown = employee.get(links[0])
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/jpeg"
    assert "private" in shown["Cache-Control"]
    assert Image.open(io.BytesIO(b"".join(shown.streaming_content))).size == (64, 48)
    forged = links[0].replace("/r/photo/", "/r/photo/x")
    assert employee.get(forged).status_code == 404


def test_answer_photos_keep_the_limits_of_a_voices(client: Client, tree: Tree) -> None:
    cast = make_cast(tree)
    case = dispatched(tree, cast).case
    services.case_sign(case=case, actor=cast.handler)
    client.force_login(cast.handler)
    four = [upload(f"{n}.jpg", jpeg()) for n in range(4)]
    response = answer_with(client, case.case_no, *four)
    assert response.status_code == 400
    assert "最多上传3张照片" in response.content.decode()
    not_a_photo = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = answer_with(client, case.case_no, not_a_photo)
    assert response.status_code == 400
    assert reload(case).status == CaseStatus.IN_PROGRESS
    assert not CasePhoto.objects.exists()

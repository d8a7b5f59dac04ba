"""Photos and documents of a proposal: sent with the proposal tab of a unit's QR page or added
by staff on the proposal's page, checked by their content, stored under random names, and sent
only to those who may see the proposal."""

import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image
from pytest_django.fixtures import Settings

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.proposals.factories import make_window, make_worker, submit
from xinsheng.org.choices import Role
from xinsheng.proposals.models import Proposal, ProposalDocument, ProposalEvent, ProposalPhoto

pytestmark = pytest.mark.django_db

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def pdf() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def word(main: str = WORD_MAIN, macros: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types"><Override PartName="/word/document.xml" ContentType="{main}"/>'
            "</Types>",
        )
        package.writestr("word/document.xml", "<w:document/>")
        if macros:
            package.writestr("word/vbaProject.bin", b"\x00macro")
    return out.getvalue()


def excel() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["月份", "电耗（千瓦时）"])  # type: ignore[union-attr]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)


def form_of(worker: Any, **extra: Any) -> dict[str, Any]:
    return {
        "title": "主洗车间加装变频器降低电耗",
        "category": "降本增效",
        "problem": "主洗车间循环水泵长期满负荷运行，电耗高。",
        "measure": "为循环水泵加装变频器，按来煤量调节转速。",
        "name": worker.name,
        "employee_no": worker.employee_no,
        "intake_key": "",
        **extra,
    }


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_proposal_from_the_phone_form_keeps_its_photos_and_documents(
    tree: Tree, media: Path
) -> None:
    make_window(tree.mine1, [])
    worker = make_worker(tree.team1, "吴建华")
    page = Client().get(f"/v/{tree.team1.code}/jianyi/").content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert 'accept=".pdf,.docx,.xlsx,.pptx"' in page

    plan = word()
    form = form_of(
        worker,
        photos=[upload("水泵.jpg", jpeg(), "image/jpeg")],
        # Recognised by their content: a Word file named .txt is still a Word file.
        documents=[upload("测算表.xlsx", excel()), upload("方案说明.txt", plan)],
    )
    done = Client().post(f"/v/{tree.team1.code}/jianyi/", form)
    assert done.status_code == 200
    assert "您的查询码" in done.content.decode()
    proposal = Proposal.objects.get()
    assert proposal.photos.count() == 1
    names = sorted(proposal.documents.values_list("name", "kind"))
    assert names == [("方案说明.docx", "docx"), ("测算表.xlsx", "xlsx")]
    # Stored under random names: nothing of the uploaded names is in the files' paths.
    stored = [str(doc.file.name) for doc in proposal.documents.all()]
    assert all("方案" not in path and "测算" not in path for path in stored)
    assert {path.rsplit(".", 1)[1] for path in stored} == {"docx", "xlsx"}
    assert all((media / path).exists() for path in stored)

    inside = signed_in(make_staff(tree.mine1, Role.ADMINISTRATOR))
    detail = inside.get(reverse("proposals:detail", args=[proposal.proposal_no])).content.decode()
    assert "照片和文件" in detail
    assert "方案说明.docx" in detail
    document = proposal.documents.get(kind="docx")
    url = reverse("proposals:document", args=[proposal.proposal_no, document.pk])
    assert url in detail
    sent = inside.get(url)
    assert sent.status_code == 200
    assert b"".join(sent.streaming_content) == plan  # type: ignore[attr-defined]
    assert sent["Content-Disposition"].startswith("attachment;")
    assert sent["X-Content-Type-Options"] == "nosniff"
    photo = proposal.photos.get()
    photo_url = reverse("proposals:photo", args=[proposal.proposal_no, photo.pk])
    assert photo_url in detail
    assert inside.get(photo_url)["Content-Type"] == "image/jpeg"

    # Someone who may not see the proposal gets neither its page nor its files.
    outside = signed_in(make_staff(tree.mine2, Role.ADMINISTRATOR))
    assert outside.get(url).status_code == 404
    assert outside.get(photo_url).status_code == 404
    assert Client().get(url).status_code in {302, 403}


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("报告.pdf", b"just some text pretending to be a PDF", "不是 PDF、Word（.docx）"),
        ("宏.docx", word(macros=True), "不是 PDF、Word（.docx）"),
        (
            "模板.docx",
            word(main="application/vnd.ms-word.template.macroEnabledTemplate.main+xml"),
            "不是 PDF、Word（.docx）",
        ),
        ("图纸.pdf", b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024), "每个文件不能超过10MB。"),
    ],
)
def test_a_bad_document_refuses_the_proposal_but_keeps_what_was_typed(
    tree: Tree, media: Path, name: str, data: bytes, message: str
) -> None:
    make_window(tree.mine1, [])
    worker = make_worker(tree.team1, "吴建华")
    form = form_of(worker, documents=[upload("好的.pdf", pdf()), upload(name, data)])
    refused = Client().post(f"/v/{tree.team1.code}/jianyi/", form)
    html = refused.content.decode()
    assert refused.status_code == 400
    assert message in html
    assert "您填写的内容已保留" in html
    assert "主洗车间加装变频器降低电耗" in html  # the title typed is still in the form
    assert "为循环水泵加装变频器" in html
    assert "照片和文件需要重新选择" in html
    assert not Proposal.objects.exists()
    assert not ProposalDocument.objects.exists()
    assert not any(path.is_file() for path in media.rglob("*"))


def test_a_file_that_is_not_a_photo_is_refused_in_the_photo_field(tree: Tree, media: Path) -> None:
    make_window(tree.mine1, [])
    worker = make_worker(tree.team1, "吴建华")
    form = form_of(worker, photos=[upload("现场.jpg", pdf(), "image/jpeg")])
    refused = Client().post(f"/v/{tree.team1.code}/jianyi/", form)
    assert refused.status_code == 400
    assert "只能上传 JPEG、PNG 或 WebP 格式的照片。" in refused.content.decode()
    assert not Proposal.objects.exists()
    assert not ProposalPhoto.objects.exists()


def test_staff_add_files_on_the_proposal_page_and_a_bad_one_adds_nothing(
    tree: Tree, media: Path
) -> None:
    make_window(tree.mine1, [])
    proposal, _code = submit(tree.team1, make_worker(tree.team1))
    recorder = signed_in(make_staff(tree.mine1, Role.RECORDER))
    attach = reverse("proposals:attach", args=[proposal.proposal_no])
    detail = reverse("proposals:detail", args=[proposal.proposal_no])
    assert attach in recorder.get(detail).content.decode()

    bad = recorder.post(
        attach,
        {
            "photos": [upload("现场.jpg", jpeg(), "image/jpeg")],
            "documents": [upload("方案.pdf", pdf()), upload("病毒.exe", b"MZ\x90\x00")],
        },
        follow=True,
    )
    assert "文件“病毒.exe”不是 PDF" in bad.content.decode()
    assert not proposal.photos.exists()
    assert not proposal.documents.exists()

    good = recorder.post(
        attach,
        {
            "photos": [upload("现场.jpg", jpeg(), "image/jpeg")],
            "documents": [upload("方案.pdf", pdf())],
        },
        follow=True,
    )
    html = good.content.decode()
    assert "已上传照片1张、文件1个。" in html
    assert "方案.pdf" in html
    assert proposal.photos.count() == 1
    assert ProposalEvent.objects.filter(proposal=proposal, kind="attached", public=False).exists()

    too_many = recorder.post(
        attach, {"documents": [upload(f"{n}.pdf", pdf()) for n in range(5)]}, follow=True
    )
    assert "每条建议最多5个文件。" in too_many.content.decode()
    assert proposal.documents.count() == 1

    # A leader may see the proposal but not add to it; outside the scope it is not found.
    leader = signed_in(make_staff(tree.mine1, Role.LEADER))
    assert attach not in leader.get(detail).content.decode()
    refused = leader.post(attach, {"documents": [upload("a.pdf", pdf())]}, follow=True)
    assert "您没有执行此操作的权限" in refused.content.decode()
    outside = signed_in(make_staff(tree.mine2, Role.ADMINISTRATOR))
    assert outside.post(attach, {"documents": [upload("a.pdf", pdf())]}).status_code == 404
    assert proposal.documents.count() == 1

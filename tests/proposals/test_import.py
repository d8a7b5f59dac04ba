"""Proposals from a spreadsheet through the kit: a dry run reports, a bad row is named and
nothing is written, and applying adds the proposals as imported."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.proposals.factories import make_window, make_worker
from xinsheng.core.models import SheetImportJob
from xinsheng.org.choices import Role
from xinsheng.proposals.models import Proposal

pytestmark = pytest.mark.django_db

HEADER = "工号,姓名,题目,类别,存在问题,建议措施,预期效益,预计创效（元）\n"


def upload(client: Client, text: str, capture: Any) -> SheetImportJob:
    file = SimpleUploadedFile("proposals.csv", text.encode(), "text/csv")
    with capture(execute=True):
        client.post(reverse("proposals:import"), {"file": file})
    return SheetImportJob.objects.filter(kind="proposals").latest("id")


def test_a_sheet_of_proposals_is_checked_then_imported(
    tree: Tree, django_capture_on_commit_callbacks: Any
) -> None:
    make_window(tree.mine1, [])
    first = make_worker(tree.team1, "王建国")
    second = make_worker(tree.team1, "李秀英")
    client = Client()
    client.force_login(make_staff(tree.mine1, Role.DISPATCHER))
    assert client.get(reverse("proposals:import")).status_code == 200

    bad = HEADER + (
        f"{first.employee_no},王建国,改进皮带机清扫器,技术革新,粘煤严重,改用合金刮板,,50000\n"
        f"{second.employee_no},李秀英,压滤机滤布延长使用周期,降本增效,更换频繁,高压水冲洗,,-5\n"
    )
    job = upload(client, bad, django_capture_on_commit_callbacks)
    status = client.get(reverse("proposals:import_job_status", args=[job.pk])).content.decode()
    assert "发现 1 处错误" in status
    job.refresh_from_db()
    assert "不小于0" in str(job.report)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("proposals:import_apply", args=[job.pk]))
    assert not Proposal.objects.exists()

    good = bad.replace(",-5\n", ",20000\n")
    job = upload(client, good, django_capture_on_commit_callbacks)
    status = client.get(reverse("proposals:import_job_status", args=[job.pk])).content.decode()
    assert "将导入建议 2 条" in status
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("proposals:import_apply", args=[job.pk]))
    assert sorted(Proposal.objects.values_list("proposer__name", "channel")) == [
        ("李秀英", "import"),
        ("王建国", "import"),
    ]

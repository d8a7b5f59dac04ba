"""The proposals' pages: the proposal tab beside a unit's voice form, the staff list scoped,
each step from the proposal's page, the ledger in Excel, the staff home's waiting work and the
dashboard section."""

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.proposals.factories import make_evaluator, make_window, make_worker, submit
from xinsheng.cases.models import IntakePoint
from xinsheng.org.choices import Role
from xinsheng.proposals.models import Proposal

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_voice_form_has_a_proposal_tab_that_takes_a_proposal_by_name(tree: Tree) -> None:
    make_window(tree.mine1, [])
    worker = make_worker(tree.team1, "吴建华")
    voice_form = Client().get(f"/v/{tree.team1.code}/").content.decode()
    assert f"/v/{tree.team1.code}/jianyi/" in voice_form
    page = Client().get(f"/v/{tree.team1.code}/jianyi/")
    assert "合理化建议" in page.content.decode()
    form = {
        "title": "井下运输大巷弯道增设声光预警",
        "category": "安全生产",
        "problem": "弯道视线差，行人和车辆相互看不见。",
        "measure": "弯道两端安装车辆感应声光预警装置。",
        "name": worker.name,
        "employee_no": worker.employee_no,
        "co_authors": "",
        "intake_key": "abc",
    }
    bad = Client().post(
        f"/v/{tree.team1.code}/jianyi/", {**form, "co_authors": f"{worker.employee_no} 50"}
    )
    assert bad.status_code == 400
    assert "合计须为100%" in bad.content.decode()
    assert not Proposal.objects.exists()
    done = Client().post(f"/v/{tree.team1.code}/jianyi/", form)
    assert done.status_code == 200
    assert "您的查询码" in done.content.decode()
    assert Proposal.objects.get().channel == "form"


def test_a_disabled_intake_point_takes_no_proposals(tree: Tree) -> None:
    make_window(tree.mine1, [])
    IntakePoint.objects.create(unit=tree.team1, token="t", is_enabled=False)
    assert Client().get(f"/v/{tree.team1.code}/jianyi/").status_code == 409


def test_the_list_is_scoped_and_the_steps_run_from_the_proposal_page(tree: Tree) -> None:
    evaluator_user, evaluator = make_evaluator(tree.mine1, "李评审")
    make_window(tree.mine1, [evaluator])
    proposal, _code = submit(tree.team1, make_worker(tree.team1))
    inside = signed_in(make_staff(tree.mine1, Role.ADMINISTRATOR))
    outside = signed_in(make_staff(tree.mine2, Role.ADMINISTRATOR))
    assert proposal.proposal_no in inside.get(reverse("proposals:list")).content.decode()
    assert proposal.proposal_no not in outside.get(reverse("proposals:list")).content.decode()
    detail = reverse("proposals:detail", args=[proposal.proposal_no])
    assert outside.get(detail).status_code == 404

    step = reverse("proposals:step", args=[proposal.proposal_no, "implement"])
    page = inside.post(
        step, {"owner_unit_code": tree.area1.code, "due_date": "2099-01-01"}, follow=True
    )
    assert "该建议尚未采纳，不能安排实施。" in page.content.decode()
    step = reverse("proposals:step", args=[proposal.proposal_no, "assign"])
    inside.post(step, {"evaluators": [evaluator.pk]})
    assert (
        signed_in(evaluator_user)
        .get(reverse("proposals:waiting"))
        .content.decode()
        .count(proposal.title)
        == 1
    )
    step = reverse("proposals:step", args=[proposal.proposal_no, "decide"])
    page = inside.post(step, {"decision": "adopted"}, follow=True)
    assert "评审尚未完成" in page.content.decode()
    inside.post(step, {"decision": "adopted", "override": "on", "reason": "委员会一致同意"})
    proposal.refresh_from_db()
    assert proposal.status == "adopted"

    ledger = inside.get(reverse("proposals:ledger"))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(ledger.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][1] == "建议编号"
    assert rows[1][1] == proposal.proposal_no
    assert rows[1][9] == "采纳"


def test_the_staff_home_counts_what_waits_for_the_evaluator(tree: Tree) -> None:
    evaluator_user, evaluator = make_evaluator(tree.mine1, "李评审")
    make_window(tree.mine1, [evaluator])
    manager = make_staff(tree.mine1, Role.DISPATCHER)
    from xinsheng.proposals import services, todo

    for _index in range(2):
        proposal, _code = submit(tree.team1, make_worker(tree.team1))
        services.evaluators_assign(actor=manager, proposal=proposal, evaluators=[evaluator])
    items = {str(item.label): item.count for item in todo.proposals_todo(actor=evaluator_user)}
    assert items["待我评审的合理化建议"] == 2


def test_the_dashboard_has_a_proposals_section(tree: Tree) -> None:
    make_window(tree.mine1, [])
    submit(tree.team1, make_worker(tree.team1))
    leader = signed_in(make_staff(tree.group, Role.LEADER))
    today = timezone.localdate().isoformat()
    query = {"unit": tree.company1.code, "from": today, "to": today}
    page = leader.get(reverse("reports:dashboard"), query).content.decode()
    assert "合理化建议" in page
    assert "征集建议" in page


def test_the_windows_page_groups_similar_proposals(tree: Tree) -> None:
    window = make_window(tree.mine1, [])
    submit(tree.team1, make_worker(tree.team1))
    submit(tree.team1, make_worker(tree.team1, "赵师傅"))
    manager = signed_in(make_staff(tree.mine1, Role.DISPATCHER))
    assert "归类同类建议" in manager.get(reverse("proposals:windows")).content.decode()
    page = manager.post(reverse("proposals:window_group", args=[window.pk]), follow=True)
    assert "已归类同类建议 1 条。" in page.content.decode()
    assert Proposal.objects.filter(similar_to__isnull=False).count() == 1

"""A window names expert evaluators per category: a proposal of that category goes to them by
default when it is assigned, any other to the committee as before."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.proposals.factories import make_evaluator, make_window, make_worker, submit
from xinsheng.core.errors import InvalidInput
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role
from xinsheng.proposals import services
from xinsheng.proposals.models import Assignment, CategoryExpert, Window

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def form_data(**extra: Any) -> dict[str, Any]:
    return {
        "title": "2027年度降本增效金点子征集",
        "unit": "一矿",
        "unit_choice": "M1",
        "opens_on": "2027-01-01",
        "closes_on": "2027-03-31",
        "categories": "安全生产\n降本增效\n技术革新",
        "criteria": "innovation 创新性 30\nfeasibility 可行性 30\nbenefit 效益 40",
        "tiers": "first 一等奖 3000\nsecond 二等奖 1000",
        "committee": "",
        "experts": "",
        "notice_days": "5",
        "note": "",
        **extra,
    }


def test_the_window_form_names_experts_per_category_and_shows_them_on_edit(tree: Tree) -> None:
    client = signed_in(make_staff(tree.mine1, Role.DISPATCHER))
    _u1, member = make_evaluator(tree.mine1, "李评委")
    _u2, safety = make_evaluator(tree.mine1, "张安全")
    _u3, electric = make_evaluator(tree.mine1, "赵机电")
    experts = (
        f"安全生产 {safety.employee_no}\n技术革新：{electric.employee_no}、{safety.employee_no}"
    )

    refused = client.post(
        reverse("proposals:window_new"),
        form_data(committee=member.employee_no, experts=f"职工生活 {safety.employee_no}"),
    )
    assert refused.status_code == 200
    assert "评审专家的类别“职工生活”不是本活动设定的类别。" in refused.content.decode()
    unknown = client.post(reverse("proposals:window_new"), form_data(experts="安全生产 NO-SUCH"))
    assert "找不到工号为“NO-SUCH”的职工。" in unknown.content.decode()
    assert not Window.objects.exists()

    created = client.post(
        reverse("proposals:window_new"), form_data(committee=member.employee_no, experts=experts)
    )
    assert created.status_code == 302
    window = Window.objects.get()
    named = {(row.category, row.person.name) for row in window.experts.select_related("person")}
    assert named == {("安全生产", "张安全"), ("技术革新", "赵机电"), ("技术革新", "张安全")}

    edit = reverse("proposals:window_edit", args=[window.pk])
    page = client.get(edit).content.decode()
    assert f"安全生产 {safety.employee_no}" in page
    changed = client.post(
        edit, form_data(committee=member.employee_no, experts=f"降本增效 {electric.employee_no}")
    )
    assert changed.status_code == 302
    assert [(row.category, row.person_id) for row in window.experts.all()] == [
        ("降本增效", electric.pk)
    ]
    audit = AuditEvent.objects.filter(action="proposal.window.update").get()
    assert audit.after["experts"] == {"降本增效": [electric.employee_no]}


def test_a_proposal_goes_to_its_category_experts_else_to_the_committee(tree: Tree) -> None:
    _u1, member = make_evaluator(tree.mine1, "李评委")
    _u2, other = make_evaluator(tree.mine1, "王评委")
    _u3, safety = make_evaluator(tree.mine1, "张安全")
    _u4, stranger = make_evaluator(tree.mine1, "钱路人")
    window = make_window(tree.mine1, [member, other], experts={"安全生产": [safety]})
    worker = make_worker(tree.team1)
    guarded, _code = submit(tree.team1, worker, "大巷弯道增设声光预警", category="安全生产")
    cheaper, _code = submit(tree.team1, worker, "降低主洗车间电耗", category="降本增效")
    manager = make_staff(tree.mine1, Role.DISPATCHER)

    # The proposal page offers the expert (not on the committee) and ticks them.
    client = signed_in(manager)
    page = client.get(reverse("proposals:detail", args=[guarded.proposal_no])).content.decode()
    assert "张安全" in page
    assert re.search(rf'value="{safety.pk}"[^>]*checked', page)
    assert not re.search(rf'value="{member.pk}"[^>]*checked', page)

    services.evaluators_assign(actor=manager, proposal=guarded)
    services.evaluators_assign(actor=manager, proposal=cheaper)
    assert [row.evaluator for row in Assignment.objects.filter(proposal=guarded)] == [safety]
    assert {row.evaluator for row in Assignment.objects.filter(proposal=cheaper)} == {
        member,
        other,
    }

    # The committee may still be chosen for the expert's category; a stranger may not.
    services.evaluators_assign(actor=manager, proposal=guarded, evaluators=[member])
    assert Assignment.objects.filter(proposal=guarded).count() == 2
    with pytest.raises(InvalidInput) as refused:
        services.evaluators_assign(actor=manager, proposal=cheaper, evaluators=[safety, stranger])
    assert "张安全、钱路人不是本活动评审委员会成员，也不是该类别的评审专家。" in str(
        refused.value.message
    )
    assert Assignment.objects.filter(proposal=cheaper).count() == 2
    assert window.experts.count() == 1


def test_experts_of_a_category_the_window_lacks_are_refused(tree: Tree) -> None:
    _u, safety = make_evaluator(tree.mine1, "张安全")
    with pytest.raises(InvalidInput) as refused:
        make_window(tree.mine1, [], categories=["安全生产"], experts={"职工生活": [safety]})
    assert "不是本活动设定的类别" in str(refused.value.message)
    assert not Window.objects.exists()
    assert not CategoryExpert.objects.exists()

"""What waits for whom on the staff home: applications to review for the unit head, to approve
and pay for the union, follow-up visits due, and relief past its deadline."""

import datetime as dt

import pytest

from tests.care.applications.conftest import Care
from xinsheng.care.applications import services
from xinsheng.care.applications.todo import applications_todo
from xinsheng.care.models import Application

pytestmark = pytest.mark.django_db


def counts(items: list) -> dict[str, int]:  # type: ignore[type-arg]
    return {str(item.label): item.count for item in items}


def test_the_home_counts_the_work_waiting_in_applications(care: Care) -> None:
    first = services.application_submit(
        actor=care.head,
        programme=care.relief,
        person=care.miners[0],
        data={"costs": "50000", "insurance_paid": "20000", "diagnosis": "肝硬化"},
    )
    Application.objects.filter(pk=first.pk).update(decide_by=dt.date.today() - dt.timedelta(days=2))

    head = counts(applications_todo(actor=care.head))
    union = counts(applications_todo(actor=care.union))

    assert head["待单位审核的帮扶申请"] == 1
    assert union["待工会审批的帮扶申请"] == 0
    assert union["超过办理时限的大病救助申请"] == 1
    assert counts(applications_todo(actor=care.outsider))["超过办理时限的大病救助申请"] == 0

    services.application_review(actor=care.head, application=first)
    union = counts(applications_todo(actor=care.union))
    assert union["待工会审批的帮扶申请"] == 1
    services.application_approve(actor=care.union, application=first)
    union = counts(applications_todo(actor=care.union))
    assert union["待发放的帮扶款项"] == 1
    assert union["超过办理时限的大病救助申请"] == 0

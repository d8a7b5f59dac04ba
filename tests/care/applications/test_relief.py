"""Illness relief: the own share and the relief from the rules, medical details masked for all
but the privacy role (whose every reading is logged), and the pledge indicator of cases waiting
past their deadline."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.care.applications.conftest import Care
from xinsheng.care.applications import selectors, services
from xinsheng.care.choices import ApplicationStatus
from xinsheng.care.models import Application
from xinsheng.core.errors import InvalidInput
from xinsheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db
CASE = {
    "costs": "86000",
    "insurance_paid": "52000",
    "diagnosis": "肺癌中期",
    "hospital": "省肿瘤医院",
    "medical_details": "化疗六个疗程",
}


def test_the_relief_is_computed_from_the_rules_and_paid(care: Care) -> None:
    application = services.application_submit(
        actor=care.head, programme=care.relief, person=care.miners[0], data=CASE
    )

    assert application.details["own_share"] == "34000.00"
    assert application.details["relief"] == "12000.00"  # (34000 − 10000) × 0.5
    services.application_review(actor=care.head, application=application)
    services.application_approve(actor=care.union, application=application)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PAYABLE  # no notice for relief
    payment = services.application_pay(actor=care.union, application=application)
    assert payment.amount == Decimal("12000.00")


def test_a_relief_below_the_threshold_is_refused_with_the_reason(care: Care) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.application_submit(
            actor=care.head,
            programme=care.relief,
            person=care.miners[0],
            data={**CASE, "costs": "20000", "insurance_paid": "15000"},
        )

    assert "未超过起付线10000.00元" in str(refused.value.message)
    assert not Application.objects.exists()


def test_medical_details_are_masked_without_the_role_and_a_reading_by_the_role_is_logged(
    care: Care,
) -> None:
    application = services.application_submit(
        actor=care.head, programme=care.relief, person=care.miners[0], data=CASE
    )

    masked = selectors.sensitive_for(actor=care.union, application=application)
    assert masked["diagnosis"]["value"] == "＊＊＊"
    assert "肺癌" not in str(masked)
    assert not AuditEvent.objects.filter(action="care.sensitive.view").exists()

    shown = selectors.sensitive_for(actor=care.privacy, application=application)
    assert shown["diagnosis"]["value"] == "肺癌中期"
    logged = AuditEvent.objects.get(action="care.sensitive.view")
    assert logged.actor_id == care.privacy.pk
    assert logged.object_id == str(application.pk)


def test_relief_waiting_past_its_deadline_is_the_pledge_indicator(care: Care) -> None:
    application = services.application_submit(
        actor=care.head, programme=care.relief, person=care.miners[0], data=CASE
    )
    Application.objects.filter(pk=application.pk).update(
        decide_by=dt.date.today() - dt.timedelta(days=1)
    )

    indicator = selectors.relief_overdue_indicator(actor=care.union)
    assert indicator.count == 1
    assert [row.pk for row in indicator.rows] == [application.pk]
    assert selectors.relief_overdue_indicator(actor=care.outsider).count == 0

    services.application_review(actor=care.head, application=application)
    services.application_approve(actor=care.union, application=application)
    assert selectors.relief_overdue_indicator(actor=care.union).count == 0

"""Student aid as a chain: application, unit review, union approval, public notice with
objections, payment, term follow-ups and renewal; refusals say why and write nothing."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.care.applications.conftest import Care
from tests.care.factories import make_programme
from xinsheng.care.applications import figures, follow_ups, notices, selectors, services
from xinsheng.care.choices import ApplicationStatus
from xinsheng.care.models import Application, ApplicationEvent, FollowUp, Payment
from xinsheng.care.money.selectors import programme_spent
from xinsheng.core.errors import Conflict, InvalidInput, NotFound
from xinsheng.core.models import AppendOnlyError

pytestmark = pytest.mark.django_db


def student(name: str, level: str = "undergraduate", year: int | None = None) -> dict[str, object]:
    return {
        "child_name": name,
        "school": "中国矿业大学",
        "level": level,
        "admission_year": year or dt.date.today().year,
    }


def submit(care: Care, index: int, name: str, **kwargs: object) -> Application:
    return services.application_submit(
        actor=care.head,
        programme=care.aid,
        person=care.miners[index],
        data=student(name, **kwargs),  # type: ignore[arg-type]
    )


def through_notice(care: Care, applications: list[Application]) -> None:
    for application in applications:
        services.application_review(actor=care.head, application=application)
        services.application_approve(actor=care.union, application=application)
    notice = notices.notice_publish(
        actor=care.union,
        programme=care.aid,
        starts_on=dt.date.today() - dt.timedelta(days=care.aid.notice_days),
    )
    assert notices.notice_close(actor=care.union, notice=notice) == len(applications)


def test_three_students_two_paid_one_refused_and_only_a_reversal_changes_the_total(
    care: Care,
) -> None:
    first = submit(care, 0, "张小明")
    second = submit(care, 1, "李小红", level="junior_college")
    third = submit(care, 2, "王小刚")

    refused = services.application_reject(
        actor=care.head, application=third, reason="家庭人均收入高于本地最低生活保障标准"
    )
    through_notice(care, [first, second])
    paid = [services.application_pay(actor=care.union, application=a) for a in (first, second)]

    assert refused.status == ApplicationStatus.REFUSED
    assert refused.refused_reason == "家庭人均收入高于本地最低生活保障标准"
    assert [p.amount for p in paid] == [Decimal("5000.00"), Decimal("3000.00")]
    assert programme_spent(care.aid) == Decimal("8000")
    today = dt.date.today()
    aided = figures.students_aided(unit_path=care.aid.unit_path, date_from=today, date_to=today)
    assert aided == figures.Paid(people=2, amount=Decimal("8000"))
    for application in (first, second):
        application.refresh_from_db()
        assert application.status == ApplicationStatus.PAID
        actions = list(application.events.values_list("action", flat=True))
        assert actions == ["submit", "review", "approve", "notice", "notice_end", "pay"]
        assert paid[0].approval is not None
    assert paid[0].approval.action == "approve"  # type: ignore[union-attr]

    # Editing a payment is refused; only a reversal changes the total.
    payment = Payment.objects.get(pk=paid[0].pk)
    payment.amount = Decimal("50")
    with pytest.raises(AppendOnlyError):
        payment.save()
    assert programme_spent(care.aid) == Decimal("8000")
    services.application_reverse(
        actor=care.union, application=first, payment_id=paid[0].pk, reason="银行账号有误"
    )
    assert programme_spent(care.aid) == Decimal("3000")
    aided = figures.students_aided(unit_path=care.aid.unit_path, date_from=today, date_to=today)
    assert aided == figures.Paid(people=1, amount=Decimal("3000"))
    first.refresh_from_db()
    assert first.status == ApplicationStatus.PAYABLE
    assert Payment.objects.get(pk=paid[0].pk).amount == Decimal("5000")


def test_an_ineligible_or_duplicate_application_is_refused_with_the_reason(care: Care) -> None:
    submit(care, 0, "张小明")

    with pytest.raises(InvalidInput) as duplicate:
        submit(care, 0, " 张小明 ")
    with pytest.raises(InvalidInput) as level:
        submit(care, 1, "李小红", level="high_school")
    with pytest.raises(InvalidInput) as year:
        submit(care, 1, "李小红", year=dt.date.today().year - 2)

    assert "不能重复申请" in str(duplicate.value.message)
    assert "不资助高中学生" in str(level.value.message)
    assert "只资助" in str(year.value.message)
    assert Application.objects.count() == 1


def test_a_hardship_file_is_required_when_the_rules_say_so(care: Care) -> None:
    care.aid.rules = {**care.aid.rules, "hardship_file_required": True}
    care.aid.save()

    with pytest.raises(InvalidInput) as refused:
        submit(care, 0, "张小明")

    assert "已建档" in str(refused.value.message)


def test_paying_skips_no_step_and_an_upheld_objection_refuses(care: Care) -> None:
    first = submit(care, 0, "张小明")
    second = submit(care, 1, "李小红")
    with pytest.raises(Conflict):
        services.application_pay(actor=care.union, application=first)
    for application in (first, second):
        services.application_review(actor=care.head, application=application)
        services.application_approve(actor=care.union, application=application)
    notice = notices.notice_publish(actor=care.union, programme=care.aid)
    first.refresh_from_db()
    objection = notices.objection_record(
        actor=care.union, application=first, text="其家庭已购置商品房两套"
    )
    with pytest.raises(Conflict):
        notices.notice_close(actor=care.union, notice=notice)  # the notice is still up

    notices.objection_decide(
        actor=care.union, objection=objection, upheld=True, resolution="经核实情况属实"
    )

    first.refresh_from_db()
    assert first.status == ApplicationStatus.REFUSED
    assert "经核实情况属实" in first.refused_reason
    _notice, rows = selectors.notice_public_get(notice.pk)
    assert [row.name for row in rows] == ["李**"]
    assert Payment.objects.count() == 0


def test_a_paid_student_gets_term_follow_ups_and_is_renewed_next_year(
    care: Care, tree: object
) -> None:
    first = submit(care, 0, "张小明")
    through_notice(care, [first])
    services.application_pay(actor=care.union, application=first)

    visits = list(FollowUp.objects.filter(application=first).order_by("due_on"))
    assert len(visits) == 2
    assert "秋季学期" in visits[0].term or "春季学期" in visits[0].term
    due = selectors.follow_ups_due_for(actor=care.union, today=visits[0].due_on)
    assert list(due) == [visits[0]]
    assert follow_ups.is_overdue(visits[0], visits[0].due_on + dt.timedelta(days=1))
    follow_ups.follow_up_record(
        actor=care.union, follow_up=visits[0], done_on=None, note="学习生活正常，成绩中上"
    )
    assert not selectors.follow_ups_due_for(actor=care.union, today=visits[0].due_on).exists()

    with pytest.raises(Conflict):
        services.application_renew(actor=care.head, application=first)
    make_programme(
        care.aid.unit,
        year=care.aid.year + 1,
        fund=care.fund,
        rules=care.aid.rules,
        notice_days=5,
    )
    renewed = services.application_renew(actor=care.head, application=first)

    assert renewed.year == care.aid.year + 1
    assert renewed.details["renewal_of"] == first.pk
    assert renewed.sensitive["child_name"] == "张小明"
    assert ApplicationEvent.objects.filter(application=first, action="renew").exists()


def test_outside_the_scope_an_application_is_not_found(care: Care) -> None:
    first = submit(care, 0, "张小明")

    with pytest.raises(NotFound):
        selectors.application_get_for(actor=care.outsider, application_id=first.pk)

"""The staff pages and the public notice: a relief case's medical details masked for the union
and shown (and logged) for the privacy role; steps from the page; the notice never shows a
child's name or school."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.care.applications.conftest import Care
from xinsheng.care.applications import notices, services
from xinsheng.care.choices import ApplicationStatus
from xinsheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_medical_details_are_masked_on_the_page_unless_the_privacy_role_reads(
    care: Care,
) -> None:
    application = services.application_submit(
        actor=care.head,
        programme=care.relief,
        person=care.miners[0],
        data={"costs": "60000", "insurance_paid": "30000", "diagnosis": "尘肺病三期"},
    )
    url = f"/care/programmes/applications/{application.pk}/"

    union_page = signed_in(care.union).get(url)
    privacy_page = signed_in(care.privacy).get(url)

    assert union_page.status_code == 200
    assert "尘肺病" not in union_page.content.decode()
    assert "＊＊＊" in union_page.content.decode()
    assert "尘肺病三期" in privacy_page.content.decode()
    assert (
        AuditEvent.objects.filter(
            action="care.sensitive.view", actor_id=care.privacy.pk, object_id=str(application.pk)
        ).count()
        == 1
    )
    assert signed_in(care.outsider).get(url).status_code == 404


def test_an_application_is_submitted_reviewed_and_refused_from_the_pages(care: Care) -> None:
    head = signed_in(care.head)
    form = head.get("/care/programmes/applications/new/")
    assert form.status_code == 200

    answer = head.post(
        "/care/programmes/applications/new/",
        {
            "programme": care.aid.pk,
            "employee_no": care.miners[0].employee_no,
            "child_name": "张小明",
            "school": "太原理工大学",
            "level": "high_school",
            "admission_year": dt.date.today().year,
        },
    )
    assert answer.status_code == 400
    assert "不资助高中学生" in answer.content.decode()

    answer = head.post(
        "/care/programmes/applications/new/",
        {
            "programme": care.aid.pk,
            "employee_no": care.miners[0].employee_no,
            "child_name": "张小明",
            "school": "太原理工大学",
            "level": "undergraduate",
            "admission_year": dt.date.today().year,
        },
    )
    assert answer.status_code == 302
    detail = answer["Location"]
    head.post(f"{detail}reject/", {"reason": ""})
    head.post(f"{detail}reject/", {"reason": "已享受其他助学资助"})

    page = signed_in(care.union).get(detail)
    assert "已享受其他助学资助" in page.content.decode()
    listing = signed_in(care.union).get(
        "/care/programmes/applications/", {"status": ApplicationStatus.REFUSED}
    )
    assert "张立军" in listing.content.decode()
    assert signed_in(care.union).get("/care/programmes/").status_code == 200
    assert signed_in(care.union).get(f"/care/programmes/{care.aid.pk}/").status_code == 200
    assert signed_in(care.union).get("/care/programmes/follow-ups/").status_code == 200


def test_the_public_notice_masks_names_and_shows_nothing_sensitive(care: Care) -> None:
    application = services.application_submit(
        actor=care.head,
        programme=care.aid,
        person=care.miners[0],
        data={
            "child_name": "张小明",
            "school": "太原理工大学",
            "level": "undergraduate",
            "admission_year": dt.date.today().year,
        },
    )
    services.application_review(actor=care.head, application=application)
    services.application_approve(actor=care.union, application=application)
    notice = notices.notice_publish(actor=care.union, programme=care.aid)

    page = Client().get(f"/gongshi/{notice.pk}/").content.decode()

    assert "张**" in page
    assert "张立军" not in page
    assert "张小明" not in page
    assert "太原理工大学" not in page
    assert "5000.00" in page


def test_a_programme_is_created_from_its_form(care: Care, tree: object) -> None:
    union = signed_in(care.union)
    answer = union.post(
        "/care/programmes/new/",
        {
            "kind": "student_aid",
            "title": "金秋助学（第二批）",
            "year": dt.date.today().year,
            "unit": "C1",
            "budget": "200000",
            "rules": '{"amounts": {"undergraduate": "4000"}}',
            "needs_unit_review": "on",
            "needs_union_approval": "on",
            "notice_days": "5",
            "decide_within": "10",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    bad = union.post(
        "/care/programmes/new/",
        {
            "kind": "student_aid",
            "title": "x",
            "year": 2026,
            "unit": "C1",
            "rules": "[1",
            "notice_days": "5",
            "decide_within": "10",
        },
    )
    assert bad.status_code == 400
    assert "JSON" in bad.content.decode()


def test_a_programme_is_edited_and_a_paid_student_renewed_and_visited_from_the_pages(
    care: Care,
) -> None:
    union = signed_in(care.union)
    edit = f"/care/programmes/{care.aid.pk}/edit/"
    assert union.get(edit).status_code == 200
    answer = union.post(
        edit,
        {
            "kind": "student_aid",
            "title": "金秋助学",
            "year": care.aid.year,
            "budget": "60000",
            "fund": care.fund.pk,
            "rules": '{"amounts": {"undergraduate": "5000", "junior_college": "3000"}}',
            "needs_unit_review": "on",
            "needs_union_approval": "on",
            "notice_days": "5",
            "decide_within": "10",
        },
    )
    assert answer.status_code == 302
    care.aid.refresh_from_db()
    assert str(care.aid.budget) == "60000.00"

    application = services.application_submit(
        actor=care.head,
        programme=care.aid,
        person=care.miners[0],
        data={
            "child_name": "张小明",
            "school": "太原理工大学",
            "level": "undergraduate",
            "admission_year": dt.date.today().year,
        },
    )
    services.application_review(actor=care.head, application=application)
    services.application_approve(actor=care.union, application=application)
    notice = notices.notice_publish(
        actor=care.union, programme=care.aid, starts_on=dt.date.today() - dt.timedelta(days=5)
    )
    notices.notice_close(actor=care.union, notice=notice)
    detail = f"/care/programmes/applications/{application.pk}/"
    union.post(f"{detail}pay/", {"amount": "5000"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.PAID

    visit = application.follow_ups.order_by("due_on").first()
    assert visit is not None
    union.post(f"{detail}visit/", {"follow_up_id": visit.pk, "note": "学习生活正常"})
    visit.refresh_from_db()
    assert visit.done_on == dt.date.today()

    union.post(f"{detail}renew/")
    page = union.get(detail).content.decode()
    assert "尚未设立" in page  # no programme for next year yet
    assert "单位审核" in page
    assert "跟踪走访" in page

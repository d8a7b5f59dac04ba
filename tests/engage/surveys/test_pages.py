"""The employee's survey page on a phone and the staff's pages: builder, QR codes, results,
free texts sent into the closed loop, export and report."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import Tree
from tests.engage.surveys.factories import full_answers, make_survey, questions_of, union_of
from tests.org.factories import make_staff
from xinsheng.cases.choices import Channel
from xinsheng.cases.models import Case
from xinsheng.engage.surveys import services
from xinsheng.engage.surveys.models import SurveyAnswer, SurveyAnswerCase, SurveyResponse
from xinsheng.org.choices import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache")]


def test_the_public_form_shows_every_question_and_the_branch_data(tree: Tree) -> None:
    survey = make_survey(tree.company1)
    q = questions_of(survey)

    page = Client().get(f"/wenjuan/{survey.token}/A1/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "综采一区" in html
    for question in q:
        assert question.text in html
    assert f'data-show-if="{q[4].pk}" data-show-choice="1"' in html
    assert "engage/survey-form.js" in html
    assert 'name="website"' in html


def test_a_posted_form_with_a_mistake_keeps_what_was_typed(tree: Tree) -> None:
    survey = make_survey(tree.company1)
    q = questions_of(survey)

    page = Client().post(f"/wenjuan/{survey.token}/", {f"q{q[0].pk}": "2", f"q{q[6].pk}": "想法"})

    assert page.status_code == 400
    html = page.content.decode()
    assert "第3题为必答题，请作答。" in html
    assert 'value="2" checked' in html
    assert "想法" in html
    assert not SurveyResponse.objects.exists()


def test_the_honeypot_and_unknown_links_write_nothing(tree: Tree) -> None:
    survey = make_survey(tree.company1)
    data = {f"q{k}": v for k, v in full_answers(survey).items() if not isinstance(v, list)}
    assert Client().post(f"/wenjuan/{survey.token}/", {**data, "website": "x"}).status_code == 400
    assert Client().get("/wenjuan/nosuchtoken/").status_code == 404
    assert Client().get(f"/wenjuan/{survey.token}/M2/").status_code == 404
    assert not SurveyResponse.objects.exists()


def test_staff_build_a_survey_on_its_pages(tree: Tree) -> None:
    staff = Client()
    staff.force_login(union_of(tree.company1))
    made = staff.post(
        "/surveys/new/",
        {
            "title": "班车满意度调查",
            "unit": "C1",
            "opens_on": "2026-01-01",
            "closes_on": "2026-12-31",
            "anonymous": "on",
        },
    )
    assert made.status_code == 302
    detail = made["Location"]
    added = staff.post(
        detail,
        {
            "kind": "single",
            "text": "您常坐哪趟班车",
            "options": "早班\n中班\n夜班",
            "scale_max": 5,
            "required": "on",
        },
    )
    assert added.status_code == 302
    refused = staff.post(
        detail, {"kind": "single", "text": "只有一项", "options": "早班", "scale_max": 5}
    )
    assert "请至少填写两个选项" in refused.content.decode()
    page = staff.get(detail).content.decode()
    assert "您常坐哪趟班车" in page
    assert "1. 早班" in page
    qr = staff.get(detail + "qr/")
    assert qr.status_code == 200
    assert qr.content.decode().count("<svg") >= 4


def test_results_texts_to_cases_export_and_report(tree: Tree) -> None:
    survey = make_survey(tree.company1)
    for _ in range(3):
        services.response_submit(survey=survey, answers=full_answers(survey), unit_code="A1")
    staff = Client()
    staff.force_login(make_staff(tree.company1, Role.UNION, Role.DISPATCHER))

    results = staff.get(f"/surveys/{survey.pk}/results/")
    assert results.status_code == 200
    html = results.content.decode()
    assert 'data-chart="bar"' in html
    assert "综采一区" not in html  # 3 responses: under K, rolled up into the company's row

    texts = staff.get(f"/surveys/{survey.pk}/texts/").content.decode()
    assert "希望食堂晚上留一个窗口。" in texts
    answer = SurveyAnswer.objects.filter(text="希望食堂晚上留一个窗口。").first()
    assert answer is not None
    sent = staff.post(
        f"/surveys/{survey.pk}/texts/cases/", {"answers": [answer.pk], "kind": "suggestion"}
    )
    assert sent.status_code == 302
    case = Case.objects.get()
    assert (case.channel, case.is_anonymous, case.text) == (
        Channel.SURVEY,
        True,
        "希望食堂晚上留一个窗口。",
    )
    assert case.submitter_name == case.submitter_employee_no == case.submitter_phone == ""
    assert SurveyAnswerCase.objects.get().case == case
    again = staff.post(f"/surveys/{survey.pk}/texts/cases/", {"answers": [answer.pk]}, follow=True)
    assert "已转为诉求" in again.content.decode()
    assert Case.objects.count() == 1

    book = load_workbook(
        io.BytesIO(b"".join(staff.get(f"/surveys/{survey.pk}/export.xlsx").streaming_content))
    )
    assert book.sheetnames == ["答卷", "汇总"]
    responses = list(book["答卷"].values)
    assert len(responses) == 4
    assert "综采一区" in responses[1]
    summary = [row for row in book["汇总"].values if row[1] == "井下"]
    assert summary[0][2] == 3

    report = staff.get(f"/surveys/{survey.pk}/report/")
    assert report.status_code == 200
    assert "data-print" in report.content.decode()


def test_a_survey_outside_the_scope_is_not_found(tree: Tree) -> None:
    survey = make_survey(tree.mine1)
    outsider = Client()
    outsider.force_login(make_staff(tree.mine2, Role.LEADER))
    assert outsider.get(f"/surveys/{survey.pk}/results/").status_code == 404
    assert outsider.get(f"/surveys/{survey.pk}/export.xlsx").status_code == 404

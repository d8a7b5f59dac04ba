"""The public API and pages of taking a quiz, the leaderboard, the staff pages, the import of
the bank with its errors by row, the exports, the dashboard panel and the briefing paragraph."""

import datetime as dt
import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tests.conftest import Tree
from tests.engage.quizzes.factories import answers_for, make_campaign, make_round
from tests.org.factories import PersonFactory, make_staff
from xinsheng.core.models import SheetImportJob
from xinsheng.core.periods import period_between
from xinsheng.core.sheets import runner
from xinsheng.engage.quizzes import panels, services
from xinsheng.engage.quizzes.models import Attempt, Question, Round
from xinsheng.org.choices import Role
from xinsheng.org.shared_reads import SharedReads

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz_round(tree: Tree, organiser: User) -> Round:
    return make_round(make_campaign(tree.company1, organiser), organiser)


def test_an_attempt_through_the_api_is_drawn_scored_and_ranked(
    tree: Tree, quiz_round: Round
) -> None:
    PersonFactory(unit=tree.team1, name="王芳", employee_no="A100")
    client = Client()
    started = client.post(
        f"/api/v1/quizzes/{quiz_round.pk}/attempts",
        {"employee_no": "A100", "name": "王芳"},
        content_type="application/json",
    )
    assert started.status_code == 201, started.content
    body = started.json()
    assert len(body["questions"]) == 10
    assert "answer" not in body["questions"][0]
    assert 590 <= body["seconds_left"] <= 600
    attempt = Attempt.objects.get(key=body["attempt_id"])
    submitted = client.post(
        f"/api/v1/quiz-attempts/{body['attempt_id']}",
        {"answers": answers_for(attempt, 9)},
        content_type="application/json",
    )
    assert submitted.status_code == 200
    assert submitted.json()["score"] == 90
    assert submitted.json()["correct"] == 9
    board = client.get(f"/api/v1/quizzes/{quiz_round.pk}/leaderboard").json()
    assert board["rows"][0]["name"] == "王*"  # the organiser did not choose to show names
    assert board["rows"][0]["score"] == 90
    assert "answers" not in str(board)


def test_bad_input_through_the_api_is_a_400_with_a_chinese_message(quiz_round: Round) -> None:
    answer = Client().post(
        f"/api/v1/quizzes/{quiz_round.pk}/attempts",
        {"employee_no": "NOPE", "name": "某人"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert "工号与姓名对不上" in answer.json()["message"]
    assert not Attempt.objects.exists()


def test_the_schema_lists_the_three_endpoints() -> None:
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/v1/quizzes/{round_id}/attempts",
        "/api/v1/quiz-attempts/{attempt_id}",
        "/api/v1/quizzes/{round_id}/leaderboard",
    ):
        assert path in schema


def test_the_phone_pages_take_a_quiz_and_explain_only_after_the_close(
    tree: Tree, quiz_round: Round
) -> None:
    PersonFactory(unit=tree.team1, name="赵磊", employee_no="A200")
    client = Client()
    page = client.get(f"/dati/{quiz_round.pk}/")
    assert "开始答题" in page.content.decode()
    taken = client.post(f"/dati/{quiz_round.pk}/start/", {"employee_no": "A200", "name": "赵磊"})
    html = taken.content.decode()
    attempt = Attempt.objects.get()
    assert f'value="{attempt.key}"' in html
    assert "敲帮问顶" not in html  # no explanation while the round runs
    data: dict[str, Any] = {"attempt": attempt.key}
    for pk, letters in answers_for(attempt, 10).items():
        data[f"q_{pk}"] = list(letters)
    done = client.post(f"/dati/{quiz_round.pk}/submit/", data)
    assert 'id="quiz-score">100<' in done.content.decode()

    early = client.post(f"/dati/{quiz_round.pk}/review/", {"employee_no": "A200", "name": "赵磊"})
    assert "本轮结束后才公布答案和解析" in early.content.decode()
    Round.objects.filter(pk=quiz_round.pk).update(
        opens_at=timezone.now() - dt.timedelta(days=9),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    review = client.post(f"/dati/{quiz_round.pk}/review/", {"employee_no": "A200", "name": "赵磊"})
    assert "正确答案" in review.content.decode()


def test_the_honeypot_writes_nothing(tree: Tree, quiz_round: Round) -> None:
    PersonFactory(unit=tree.team1, name="赵磊", employee_no="A200")
    answer = Client().post(
        f"/dati/{quiz_round.pk}/start/", {"employee_no": "A200", "name": "赵磊", "website": "x"}
    )
    assert answer.status_code == 400
    assert not Attempt.objects.exists()


def played(tree: Tree, quiz_round: Round) -> None:
    for index, right in enumerate((10, 9, 6)):
        person = PersonFactory(unit=tree.team1 if index else tree.mine1, name=f"参赛{index}")
        attempt = services.attempt_start(
            quiz_round=quiz_round, employee_no=person.employee_no, name=person.name
        )
        services.attempt_submit(key=attempt.key, answers=answers_for(attempt, right))


def test_staff_pages_show_the_boards_and_export_them(
    tree: Tree, organiser: User, quiz_round: Round
) -> None:
    played(tree, quiz_round)
    client = Client()
    client.force_login(organiser)
    campaign_page = client.get(reverse("quizzes:campaign", args=[quiz_round.campaign_id]))
    assert campaign_page.status_code == 200
    assert "参**" in campaign_page.content.decode()  # names hidden unless the organiser chose
    round_page = client.get(reverse("quizzes:round", args=[quiz_round.pk])).content.decode()
    assert "一矿" in round_page
    assert "<svg" in round_page  # the round's QR code, for employees to scan
    export = client.get(reverse("quizzes:round_export", args=[quiz_round.pk]))
    book = load_workbook(io.BytesIO(export.content))
    people = list(book["个人排行"].iter_rows(values_only=True))
    assert people[0][:4] == ("名次", "姓名", "单位", "得分")  # names hidden unless chosen
    assert [row[3] for row in people[1:]] == [100, 90, 60]
    units = list(book["单位排行"].iter_rows(values_only=True))
    assert units[1][0] == "一矿"
    assert units[1][2] == 3
    campaign_export = client.get(reverse("quizzes:campaign_export", args=[quiz_round.campaign_id]))
    assert "答题达人" in load_workbook(io.BytesIO(campaign_export.content)).sheetnames
    assert client.get(reverse("quizzes:bank")).status_code == 200


def test_someone_outside_the_campaigns_unit_gets_404(tree: Tree, quiz_round: Round) -> None:
    client = Client()
    client.force_login(make_staff(tree.company2, Role.UNION))
    assert client.get(reverse("quizzes:round", args=[quiz_round.pk])).status_code == 404


def bank_sheet(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "题库"
    sheet.append(["题目", "题型", "选项A", "选项B", "选项C", "答案", "解析", "标签", "难度"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def dry_run(actor: User, content: bytes) -> SheetImportJob:
    job = runner.job_create(
        "quiz_questions", actor=actor, file_name="bank.xlsx", content=content, background=False
    )
    return runner.job_check(job_id=job.pk)


def test_the_bank_imports_from_excel_and_lists_errors_by_row(tree: Tree, organiser: User) -> None:
    before = Question.objects.count()
    bad = dry_run(
        organiser,
        bank_sheet(
            [
                [
                    "入井必须携带？",
                    "单选",
                    "自救器",
                    "香烟",
                    None,
                    "A",
                    "规程规定",
                    "安全生产",
                    "易",
                ],
                ["没有答案的题", "单选", "甲", "乙", None, None, None, None, "中"],
                ["判断题", "判断", None, None, None, "对", None, None, "很难"],
            ]
        ),
    )
    assert bad.report is not None
    errors = {(e["row"], e["column"]): e["message"] for e in bad.report["errors"]}
    assert errors[(3, "答案")] == "请填写答案。"
    assert "难度" in errors[(4, "难度")]
    assert not bad.can_apply
    assert Question.objects.count() == before

    good = dry_run(
        organiser,
        bank_sheet(
            [
                [
                    "入井必须携带？",
                    "单选",
                    "自救器",
                    "香烟",
                    None,
                    "A",
                    "规程规定",
                    "安全生产",
                    "易",
                ],
                ["三防包括？", "多选", "防瓦斯", "防煤尘", "防迟到", "AB", None, "一通三防", "中"],
                ["入井可以吸烟。", "判断", None, None, None, "错", None, "安全生产", "易"],
            ]
        ),
    )
    runner.job_request_apply(actor=organiser, job=good, background=False)
    assert runner.job_apply(job_id=good.pk).status == SheetImportJob.Status.APPLIED
    made = Question.objects.order_by("-id")[:3]
    assert [q.answer for q in reversed(made)] == ["A", "AB", "B"]
    assert made[0].unit == tree.company1  # the top of the importer's scope


def test_the_import_page_offers_its_template(organiser: User) -> None:
    client = Client()
    client.force_login(organiser)
    assert client.get(reverse("quizzes:import")).status_code == 200
    template = client.get(reverse("quizzes:import_template"))
    sheet = load_workbook(io.BytesIO(template.content)).active
    assert sheet is not None
    assert next(sheet.iter_rows(values_only=True))[:3] == ("序号", "题目", "题型")


def test_the_panel_and_briefing_give_the_figures(
    tree: Tree, organiser: User, quiz_round: Round
) -> None:
    played(tree, quiz_round)
    today = timezone.localdate()
    period = period_between(today - dt.timedelta(days=30), today + dt.timedelta(days=30))
    shared = SharedReads(actor=organiser, unit=tree.company1, period=period)
    panel = panels.quiz_panel(actor=organiser, unit=tree.company1, period=period, shared=shared)
    assert panel is not None
    figures = panel["figures"]
    assert (figures.attempts, figures.people) == (3, 3)
    assert figures.average_score == pytest.approx(250 / 3)
    text, kept = panels.quiz_briefing(unit=tree.company1, period=period)
    assert "开展线上答题3人次" in text
    assert kept["attempts"] == 3


def test_the_dashboard_shows_the_quiz_panel(tree: Tree, organiser: User, quiz_round: Round) -> None:
    played(tree, quiz_round)
    today = timezone.localdate()
    query = {
        "unit": "C1",
        "period": "custom",
        "from": (today - dt.timedelta(days=30)).isoformat(),
        "to": today.isoformat(),
    }
    client = Client()
    client.force_login(make_staff(tree.company1, Role.LEADER))
    html = client.get(reverse("reports:dashboard"), query).content.decode()
    assert "quiz-panel" in html
    assert "答题达人" in html


def test_names_show_only_where_the_organiser_chose(tree: Tree, organiser: User) -> None:
    campaign = make_campaign(tree.company1, organiser)
    shown = make_round(campaign, organiser, show_names=True)
    PersonFactory(unit=tree.team1, name="孙建国", employee_no="A300")
    attempt = services.attempt_start(quiz_round=shown, employee_no="A300", name="孙建国")
    services.attempt_submit(key=attempt.key, answers=answers_for(attempt, 8))
    board = Client().get(f"/api/v1/quizzes/{shown.pk}/leaderboard").json()
    assert board["rows"][0]["name"] == "孙建国"


def test_public_quiz_requests_are_limited_per_hour(
    tree: Tree, quiz_round: Round, settings: Any
) -> None:
    cache.clear()  # the hour's counts of the tests before
    settings.XINSHENG = {**settings.XINSHENG, "QUIZ_RATE_PER_HOUR": 2}
    client = Client()
    url = f"/api/v1/quizzes/{quiz_round.pk}/attempts"
    body = {"employee_no": "NOPE", "name": "某人"}
    codes = [client.post(url, body, content_type="application/json").status_code for _ in range(3)]
    assert codes == [400, 400, 429]


def test_a_question_taken_out_of_the_draw_is_no_longer_drawn(
    tree: Tree, organiser: User, quiz_round: Round
) -> None:
    question = Question.objects.filter(tags=["安全生产"]).first()
    assert question is not None
    client = Client()
    client.force_login(make_staff(tree.group, Role.UNION))  # who keeps the group's bank
    client.post(reverse("quizzes:question_active", args=[question.pk]), {"active": "0"})
    assert not Question.objects.get(pk=question.pk).is_active
    for index in range(5):
        person = PersonFactory(unit=tree.team1)
        attempt = services.attempt_start(
            quiz_round=quiz_round, employee_no=person.employee_no, name=person.name
        )
        assert question.pk not in attempt.questions, index
    outsider = Client()
    outsider.force_login(make_staff(tree.company2, Role.UNION))
    answer = outsider.post(reverse("quizzes:question_active", args=[question.pk]), {"active": "1"})
    assert answer.status_code == 404

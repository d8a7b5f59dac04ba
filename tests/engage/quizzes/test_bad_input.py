"""Bad input gets a clear Chinese message and writes nothing: after the window, beyond the
attempts allowed, an unknown employee number, a wrong name, outside the round's units, late
or repeated submissions, answers outside a question's options."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import Tree
from tests.engage.quizzes.factories import answers_for, make_campaign, make_round
from tests.org.factories import PersonFactory, make_staff
from xinsheng.core.errors import InvalidInput, NotFound
from xinsheng.engage.quizzes import services
from xinsheng.engage.quizzes.models import Attempt, Question, Round
from xinsheng.org.choices import Role
from xinsheng.org.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiz_round(tree: Tree, organiser: User) -> Round:
    campaign = make_campaign(tree.company1, organiser)
    return make_round(campaign, organiser, unit=tree.mine1, attempts_allowed=1, time_limit=300)


@pytest.fixture
def miner(tree: Tree) -> Person:
    return PersonFactory(unit=tree.team1, name="张伟", employee_no="M1001")


Starter = Callable[..., Attempt]


@pytest.fixture(params=["phone page", "api"])
def start(request: pytest.FixtureRequest) -> Starter:
    """Start an attempt the way the phone page does (the round loaded first) or the way the
    API does (the round named by its number, everything read in one statement): the same
    rules hold on both."""

    def by_page(
        quiz_round: Round, number: str = "M1001", name: str = "张伟", **kw: object
    ) -> Attempt:
        return services.attempt_start(quiz_round=quiz_round, employee_no=number, name=name, **kw)  # type: ignore[arg-type]

    def by_api(
        quiz_round: Round, number: str = "M1001", name: str = "张伟", **kw: object
    ) -> Attempt:
        started = services.attempt_start_at(
            round_id=quiz_round.pk,
            employee_no=number,
            name=name,
            **kw,  # type: ignore[arg-type]
        )
        return started.attempt

    return by_page if request.param == "phone page" else by_api


def refused(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(InvalidInput) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return str(caught.value.message)


def test_an_unknown_employee_number_or_a_wrong_name_is_refused(
    start: Starter, quiz_round: Round, miner: Person
) -> None:
    assert "工号与姓名对不上" in refused(start, quiz_round, "X9999", "张伟")
    assert "工号与姓名对不上" in refused(start, quiz_round, "M1001", "张三")
    assert "请填写工号" in refused(start, quiz_round, "", "张伟")
    assert not Attempt.objects.exists()


def test_someone_outside_the_rounds_units_is_refused(
    start: Starter, tree: Tree, quiz_round: Round
) -> None:
    PersonFactory(unit=tree.mine2, name="李强", employee_no="M2001")
    assert "不在本轮答题的参加范围" in refused(start, quiz_round, "M2001", "李强")
    assert not Attempt.objects.exists()


def test_before_and_after_the_window_nothing_is_written(
    start: Starter, quiz_round: Round, miner: Person
) -> None:
    before = quiz_round.opens_at - dt.timedelta(minutes=1)
    assert "尚未开始" in refused(start, quiz_round, now=before)
    assert "已于" in refused(start, quiz_round, now=quiz_round.closes_at)
    assert not Attempt.objects.exists()


def test_beyond_the_attempts_allowed_is_refused(
    start: Starter, quiz_round: Round, miner: Person
) -> None:
    attempt = start(quiz_round)
    again = start(quiz_round)  # a page loaded again gets the running attempt back
    assert again.pk == attempt.pk
    services.attempt_submit(key=attempt.key, answers=answers_for(attempt, 5))
    assert "本轮每人可答1次" in refused(start, quiz_round)
    assert Attempt.objects.count() == 1


def test_a_late_submission_does_not_count(start: Starter, quiz_round: Round, miner: Person) -> None:
    attempt = start(quiz_round)
    late = attempt.started_at + dt.timedelta(seconds=300 + services.GRACE_SECONDS + 1)
    message = refused(
        services.attempt_submit, key=attempt.key, answers=answers_for(attempt, 10), now=late
    )
    assert "已超过答题时限（5分钟）" in message
    assert Attempt.objects.get().score is None


def test_answers_outside_the_options_or_twice_are_refused(
    start: Starter, quiz_round: Round, miner: Person
) -> None:
    attempt = start(quiz_round)
    first = str(attempt.questions[0])
    assert "第1题的答案不在该题的选项之内" in refused(
        services.attempt_submit, key=attempt.key, answers={first: "Z"}
    )
    assert "不属于本次答题" in refused(services.attempt_submit, key=attempt.key, answers={"0": "A"})
    assert Attempt.objects.get().submitted_at is None
    scored = services.attempt_submit(key=attempt.key, answers=answers_for(attempt, 7))
    assert (scored.score, scored.correct) == (70, 7)
    assert "已经交卷" in refused(services.attempt_submit, key=attempt.key, answers={})
    assert "找不到这次答题" in refused(services.attempt_submit, key="nope", answers={})


def test_time_is_the_servers_from_the_start(
    start: Starter, quiz_round: Round, miner: Person
) -> None:
    now = timezone.now()
    attempt = start(quiz_round, now=now)
    scored = services.attempt_submit(
        key=attempt.key, answers=answers_for(attempt, 10), now=now + dt.timedelta(seconds=83)
    )
    assert (scored.score, scored.seconds) == (100, 83)


def test_a_round_the_bank_cannot_fill_is_refused(tree: Tree, organiser: User) -> None:
    campaign = make_campaign(tree.company1, organiser)
    assert "不够抽" in refused(make_round, campaign, organiser, count=80)
    assert not Round.objects.exists()


def test_a_question_without_an_answer_is_refused(tree: Tree, organiser: User) -> None:
    data = services.QuestionData(
        text="井下严禁携带什么？", kind="single", options=["烟火", "矿灯"], answer=""
    )
    assert "请填写答案" in refused(
        services.question_create, actor=organiser, unit=tree.company1, data=data
    )
    data.answer = "C"
    assert "不在选项 AB 之内" in refused(
        services.question_create, actor=organiser, unit=tree.company1, data=data
    )


def test_an_unknown_round_is_not_found_through_the_api(miner: Person) -> None:
    with pytest.raises(NotFound):
        services.attempt_start_at(round_id=987654, employee_no="M1001", name="张伟")


def test_a_retired_question_is_neither_drawn_nor_lost_to_who_drew_it(
    start: Starter, tree: Tree, quiz_round: Round, miner: Person, organiser: User
) -> None:
    # Given an attempt running with a question the keeper of the bank then retires
    attempt = start(quiz_round)
    retired = Question.objects.get(pk=attempt.questions[0])
    keeper = make_staff(tree.group, Role.UNION)
    services.question_set_active(actor=keeper, question=retired, active=False)

    # Then the next people do not draw it
    for _ in range(5):
        person = PersonFactory(unit=tree.team1)
        drawn = start(quiz_round, person.employee_no, person.name)
        assert retired.pk not in drawn.questions

    # And who drew it still has it scored
    scored = services.attempt_submit(key=attempt.key, answers=answers_for(attempt, 10))
    assert (scored.score, scored.correct) == (100, 10)


def _statements(captured: CaptureQueriesContext) -> list[str]:
    """The statements run, without the savepoints the test's own transaction adds."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
    ]


def test_starting_and_submitting_through_the_api_take_two_statements_each(
    tree: Tree, quiz_round: Round, miner: Person
) -> None:
    services.attempt_start_at(
        round_id=quiz_round.pk, employee_no="M1001", name="张伟"
    )  # the bank read
    PersonFactory(unit=tree.team1, name="刘洋", employee_no="M1002")
    with CaptureQueriesContext(connection) as captured:
        started = services.attempt_start_at(
            round_id=quiz_round.pk, employee_no="M1002", name="刘洋"
        )
    assert len(_statements(captured)) == 2  # read everything, write the attempt
    answers = answers_for(started.attempt, 6)
    with CaptureQueriesContext(connection) as captured:
        scored = services.attempt_submit(key=started.attempt.key, answers=answers)
    assert len(_statements(captured)) == 2  # read the attempt and its keys, write the score
    assert (scored.score, scored.correct) == (60, 6)

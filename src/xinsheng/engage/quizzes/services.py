"""Every write of quizzes: the bank, campaigns and rounds (staff, audited), and attempts (public).

An employee starts an attempt with their employee number and name, checked against the people;
the questions are drawn on the server and the attempt is scored there on submission, its time
measured by the server from the start. Bad input raises ``InvalidInput`` with a Chinese message
and writes nothing.
"""

import datetime as dt
import random
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record, snapshot
from xinsheng.core.errors import Conflict, InvalidInput
from xinsheng.core.rows import row_insert, rows_update
from xinsheng.engage.quizzes import bank as banks
from xinsheng.engage.quizzes import selectors
from xinsheng.engage.quizzes.choices import TRUE_FALSE_OPTIONS, Difficulty, QuestionKind
from xinsheng.engage.quizzes.models import LETTERS, MAX_OPTIONS, Attempt, Campaign, Question, Round
from xinsheng.engage.quizzes.scoring import answer_clean, draw_from, rules_of, score_of, shortfalls
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit, Person

MANAGE = "quiz.manage"
TEXT_MAX = 1000
OPTION_MAX = 200
EXPLANATION_MAX = 2000
TAG_MAX = 20
TAGS_MAX = 5
QUESTIONS_MAX = 100  # drawn by one round
GRACE_SECONDS = 15  # a submission sent at the limit still arrives
TIME_LIMIT_MIN = 30
TIME_LIMIT_MAX = 3 * 3600
ATTEMPTS_MAX = 20
NAME_MAX = 50
NUMBER_MAX = 32
TAG_MARKS = ("、", ",", "，", ";", "；", "/")  # what may separate the tags of a cell or a box


def invalid(field_name: str, message: str) -> InvalidInput:
    """Return the error of one field, with the message above the form too."""
    return InvalidInput(message, fields={field_name: [message]})


# --- the bank -------------------------------------------------------------------------------------


def tags_split(text: str) -> list[str]:
    """Return the tags written in ``text``, separated by 、 , ; or /."""
    words = [str(text or "")]
    for mark in TAG_MARKS:
        words = [part for word in words for part in word.split(mark)]
    return [word.strip() for word in words if word.strip()]


@dataclass
class QuestionData:
    """A question as entered or imported."""

    text: str
    kind: str
    options: list[str]
    answer: object
    explanation: str = ""
    tags: list[str] = field(default_factory=list)
    difficulty: str = Difficulty.MEDIUM


def question_data_clean(data: QuestionData) -> dict[str, Any]:
    """Return the model values of ``data``, or raise ``InvalidInput`` naming the field."""
    text = " ".join(str(data.text or "").split())
    if not text:
        raise invalid("text", _("请填写题目。"))
    if len(text) > TEXT_MAX:
        raise invalid("text", _("题目不能超过%(max)d字。") % {"max": TEXT_MAX})
    if data.kind not in QuestionKind.values:
        raise invalid("kind", _("题型应为单选、多选或判断。"))
    if data.kind == QuestionKind.TRUE_FALSE:
        options = [str(label) for label in TRUE_FALSE_OPTIONS]
    else:
        options = [" ".join(str(o).split()) for o in data.options if str(o or "").strip()]
        if not 2 <= len(options) <= MAX_OPTIONS:
            raise invalid("options", _("选择题须有2至%(max)d个选项。") % {"max": MAX_OPTIONS})
        if any(len(option) > OPTION_MAX for option in options):
            raise invalid("options", _("每个选项不能超过%(max)d字。") % {"max": OPTION_MAX})
        if len(set(options)) != len(options):
            raise invalid("options", _("选项不能重复。"))
    answer = _answer_of(data, options)
    explanation = str(data.explanation or "").strip()
    if len(explanation) > EXPLANATION_MAX:
        raise invalid("explanation", _("解析不能超过%(max)d字。") % {"max": EXPLANATION_MAX})
    tags = list(dict.fromkeys(" ".join(str(t).split()) for t in data.tags if str(t).strip()))
    if len(tags) > TAGS_MAX or any(len(tag) > TAG_MAX for tag in tags):
        raise invalid(
            "tags", _("标签最多%(n)d个，每个不超过%(max)d字。") % {"n": TAGS_MAX, "max": TAG_MAX}
        )
    if data.difficulty not in Difficulty.values:
        raise invalid("difficulty", _("难度应为易、中或难。"))
    return {
        "text": text,
        "kind": data.kind,
        "options": options,
        "answer": answer,
        "explanation": explanation,
        "tags": tags,
        "difficulty": data.difficulty,
    }


def _answer_of(data: QuestionData, options: list[str]) -> str:
    raw = data.answer
    if data.kind == QuestionKind.TRUE_FALSE:
        words = {"正确": "A", "对": "A", "√": "A", "TRUE": "A", "T": "A", "A": "A", "是": "A"}
        words |= {"错误": "B", "错": "B", "×": "B", "FALSE": "B", "F": "B", "B": "B", "否": "B"}
        words |= {str(TRUE_FALSE_OPTIONS[0]).upper(): "A", str(TRUE_FALSE_OPTIONS[1]).upper(): "B"}
        text = str(raw or "").strip().upper()
        if not text:
            raise invalid("answer", _("请填写答案。"))
        if text not in words:
            raise invalid("answer", _("判断题的答案应为“正确”或“错误”。"))
        return words[text]
    if not str(raw or "").strip():
        raise invalid("answer", _("请填写答案。"))
    try:
        answer = answer_clean(raw, len(options))
    except ValueError:
        raise invalid(
            "answer",
            _("答案“%(answer)s”不在选项 %(letters)s 之内。")
            % {"answer": str(raw).strip(), "letters": LETTERS[: len(options)]},
        ) from None
    if data.kind == QuestionKind.SINGLE and len(answer) != 1:
        raise invalid("answer", _("单选题只能有一个答案。"))
    if data.kind == QuestionKind.MULTIPLE and len(answer) < 2:
        raise invalid("answer", _("多选题的答案应有两个或以上选项。"))
    return answer


@transaction.atomic
def question_create(
    *, actor: Actor, unit: OrgUnit, data: QuestionData, permission: str = MANAGE
) -> Question:
    """Add a question to the bank of ``unit`` (an import checks its own ``permission``)."""
    permissions.require(actor, permission, unit)
    question = Question.objects.create(unit=unit, **question_data_clean(data))
    audit_record(actor=actor, action="quiz.question.create", obj=question, after={"unit": unit.pk})
    return question


@transaction.atomic
def question_set_active(*, actor: Actor, question: Question, active: bool) -> Question:
    """Take ``question`` out of the draw (or put it back); attempts keep what they drew."""
    question = Question.objects.select_for_update().select_related("unit").get(pk=question.pk)
    permissions.require(actor, MANAGE, question.unit)
    before = snapshot(question, ["is_active"])
    question.is_active = active
    question.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        action="quiz.question.active",
        obj=question,
        before=before,
        after=snapshot(question, ["is_active"]),
    )
    return question


# --- campaigns and rounds -------------------------------------------------------------------------


@transaction.atomic
def campaign_create(
    *,
    actor: Actor,
    unit: OrgUnit,
    title: str,
    expert_min_score: int = 90,
    expert_min_rounds: int = 2,
    show_names: bool = False,
) -> Campaign:
    """Start a campaign of ``unit`` with its 答题达人 rule and whether its board across rounds
    shows names."""
    permissions.require(actor, MANAGE, unit)
    title = " ".join(str(title).split())
    if not title or len(title) > 100:
        raise invalid("title", _("请填写活动名称（不超过100字）。"))
    if not 0 <= expert_min_score <= 100:
        raise invalid("expert_min_score", _("达人分数线应在0至100之间。"))
    if not 1 <= expert_min_rounds <= 50:
        raise invalid("expert_min_rounds", _("达人须达标轮次应在1至50之间。"))
    campaign = Campaign.objects.create(
        title=title,
        unit=unit,
        expert_min_score=expert_min_score,
        expert_min_rounds=expert_min_rounds,
        show_names=bool(show_names),
    )
    audit_record(
        actor=actor,
        action="quiz.campaign.create",
        obj=campaign,
        after=snapshot(
            campaign, ["title", "unit", "expert_min_score", "expert_min_rounds", "show_names"]
        ),
    )
    return campaign


@dataclass
class RoundData:
    """A round as the organiser sets it."""

    title: str
    unit: OrgUnit
    opens_at: dt.datetime
    closes_at: dt.datetime
    draw: list[dict[str, Any]]
    time_limit: int = 600
    attempts_allowed: int = 1
    show_names: bool = False


def round_data_clean(
    campaign: Campaign, data: RoundData, *, check_bank: bool = True
) -> dict[str, Any]:
    """Return the model values of ``data``, or raise ``InvalidInput`` naming the field.

    ``check_bank=False`` leaves out whether the bank holds enough questions for the draw (an
    edit that keeps a round's draw does not ask again).
    """
    title = " ".join(str(data.title).split())
    if not title or len(title) > 100:
        raise invalid("title", _("请填写轮次名称（不超过100字）。"))
    if not data.unit.path.startswith(campaign.unit.path):
        raise invalid("unit", _("参加范围须在活动的组织单位之内。"))
    if data.closes_at <= data.opens_at:
        raise invalid("closes_at", _("结束时间须晚于开始时间。"))
    if not TIME_LIMIT_MIN <= data.time_limit <= TIME_LIMIT_MAX:
        raise invalid("time_limit", _("答题时限应在30秒至3小时之间。"))
    if not 1 <= data.attempts_allowed <= ATTEMPTS_MAX:
        raise invalid("attempts_allowed", _("可答次数应在1至20之间。"))
    wanted: list[dict[str, Any]] = []
    for rule in data.draw:
        count = int(rule.get("count") or 0)
        difficulty = str(rule.get("difficulty") or "")
        if count <= 0:
            continue
        if difficulty and difficulty not in Difficulty.values:
            raise invalid("draw", _("难度应为易、中或难。"))
        wanted.append(
            {"tag": str(rule.get("tag") or "").strip(), "difficulty": difficulty, "count": count}
        )
    total = sum(int(rule["count"]) for rule in wanted)
    if not 1 <= total <= QUESTIONS_MAX:
        raise invalid("draw", _("每次抽题应为1至%(max)d道。") % {"max": QUESTIONS_MAX})
    short = shortfalls(rules_of(wanted), banks.bank_of(campaign.unit).entries) if check_bank else []
    if short:
        lacking, have = short[0]
        raise invalid(
            "draw",
            _("题库中“%(tag)s”%(difficulty)s的题目只有%(have)d道，不够抽%(count)d道。")
            % {
                "tag": lacking.tag or _("全部标签"),
                "difficulty": Difficulty(lacking.difficulty).label if lacking.difficulty else "",
                "have": have,
                "count": lacking.count,
            },
        )
    return {
        "title": title,
        "unit": data.unit,
        "opens_at": data.opens_at,
        "closes_at": data.closes_at,
        "draw": wanted,
        "time_limit": data.time_limit,
        "attempts_allowed": data.attempts_allowed,
        "show_names": data.show_names,
    }


@transaction.atomic
def round_create(*, actor: Actor, campaign: Campaign, data: RoundData) -> Round:
    """Add the next round to ``campaign``."""
    campaign = Campaign.objects.select_for_update().select_related("unit").get(pk=campaign.pk)
    permissions.require(actor, MANAGE, campaign.unit)
    permissions.require(actor, MANAGE, data.unit)
    values = round_data_clean(campaign, data)
    number = (campaign.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    created = Round.objects.create(campaign=campaign, number=number, **values)
    audit_record(
        actor=actor,
        action="quiz.round.create",
        obj=created,
        after=snapshot(
            created,
            [
                "campaign",
                "number",
                "unit",
                "opens_at",
                "closes_at",
                "time_limit",
                "attempts_allowed",
            ],
        ),
    )
    return created


# --- attempts (public) ----------------------------------------------------------------------------


def round_window_check(quiz_round: Round, now: dt.datetime) -> None:
    """Raise ``InvalidInput`` unless ``quiz_round`` is open at ``now``."""
    if now < quiz_round.opens_at:
        raise InvalidInput(
            _("本轮答题尚未开始，开始时间：%(at)s。")
            % {"at": timezone.localtime(quiz_round.opens_at).strftime("%Y-%m-%d %H:%M")},
            code="round_not_open",
        )
    if now >= quiz_round.closes_at:
        raise InvalidInput(
            _("本轮答题已于%(at)s结束。")
            % {"at": timezone.localtime(quiz_round.closes_at).strftime("%Y-%m-%d %H:%M")},
            code="round_closed",
        )


def person_identify(*, quiz_round: Round, employee_no: str, name: str) -> Person:
    """Return the person of ``employee_no`` whose name is ``name`` and who may take part."""
    number, name = _identity_clean(employee_no, name)
    person = (
        Person.objects.filter(employee_no=number, is_active=True)
        .select_related("unit")
        .only("id", "name", "unit__id", "unit__path")
        .first()
    )
    return _person_check(person, name, quiz_round)


def _identity_clean(employee_no: str, name: str) -> tuple[str, str]:
    """Return the employee number and name as they are compared, or raise naming the field."""
    number = str(employee_no or "").strip()[:NUMBER_MAX]
    name = "".join(str(name or "").split())[:NAME_MAX]
    if not number:
        raise invalid("employee_no", _("请填写工号。"))
    if not name:
        raise invalid("name", _("请填写姓名。"))
    return number, name


def _person_check(person: Person | None, name: str, quiz_round: Round) -> Person:
    """Return ``person`` if they bear ``name`` and may take part in ``quiz_round``."""
    if person is None or "".join(person.name.split()) != name:
        raise invalid("employee_no", _("工号与姓名对不上，请核对后重新填写。"))
    if not person.unit.path.startswith(quiz_round.unit.path):
        raise invalid(
            "employee_no",
            _("您不在本轮答题的参加范围（%(unit)s）内。") % {"unit": quiz_round.unit.name},
        )
    return person


def attempt_deadline(attempt: Attempt, quiz_round: Round) -> dt.datetime:
    """Return when ``attempt`` must be submitted: its time limit, or the round's close."""
    return min(
        attempt.started_at + dt.timedelta(seconds=quiz_round.time_limit), quiz_round.closes_at
    )


def attempt_start(
    *,
    quiz_round: Round,
    employee_no: str,
    name: str,
    now: dt.datetime | None = None,
    bank: banks.Bank | None = None,
) -> Attempt:
    """Start an attempt of the person named at ``quiz_round``, drawing its questions.

    A person who has an attempt still running gets it back (a page loaded again loses nothing);
    otherwise a new one is drawn while attempts are left. ``bank`` is the round's bank when the
    caller has just read it (to show the questions drawn without checking the bank again).
    """
    now = now or timezone.now()
    round_window_check(quiz_round, now)
    person = person_identify(quiz_round=quiz_round, employee_no=employee_no, name=name)
    for _try in range(2):
        try:
            with transaction.atomic():
                return _attempt_new(quiz_round, person, now, bank)
        except IntegrityError:  # the same person started twice at once: look again
            continue
    raise Conflict(_("正在开始答题，请稍后重试。"))


def _attempt_new(
    quiz_round: Round, person: Person, now: dt.datetime, bank: banks.Bank | None
) -> Attempt:
    last = (
        Attempt.objects.filter(round=quiz_round, person=person)
        .order_by("-number")
        .only("id", "key", "number", "questions", "started_at", "submitted_at", "round_id")
        .first()
    )
    return _attempt_next(quiz_round, person, last, now, bank)


def _attempt_next(
    quiz_round: Round,
    person: Person,
    last: Attempt | None,
    now: dt.datetime,
    bank: banks.Bank | None,
) -> Attempt:
    """Return ``person``'s running attempt, else a new one (saved) while attempts are left.

    ``last`` is their latest attempt at the round; its number is how many they have started.
    """
    if last is not None and last.submitted_at is None and now < attempt_deadline(last, quiz_round):
        return last
    done = last.number if last is not None else 0
    if done >= quiz_round.attempts_allowed:
        raise invalid(
            "employee_no",
            _("您已答过%(done)d次，本轮每人可答%(allowed)d次。")
            % {"done": done, "allowed": quiz_round.attempts_allowed},
        )
    bank = bank or banks.bank_of(quiz_round.campaign.unit)
    # A generator seeded afresh from the system's randomness for every draw: as unpredictable
    # as drawing from the system's randomness itself, at a third of the cost.
    rng = random.Random(secrets.token_bytes(16))  # noqa: S311 - seeded from secrets
    questions = draw_from(bank.pools(rules_of(quiz_round.draw)), rng)
    if not questions:
        raise Conflict(_("本轮题库为空，请联系组织单位。"))
    attempt = Attempt(
        key=secrets.token_urlsafe(18),
        round=quiz_round,
        person=person,
        unit_path=person.unit.path,
        number=done + 1,
        questions=questions,
        answers={},
        started_at=now,
    )
    row_insert(attempt)
    return attempt


@dataclass(frozen=True)
class Started:
    """An attempt started (or resumed), with its round and the bank its questions are from."""

    attempt: Attempt
    quiz_round: Round
    bank: banks.Bank


def attempt_start_at(
    *, round_id: int, employee_no: str, name: str, now: dt.datetime | None = None
) -> Started:
    """``attempt_start`` for the public API: the round named by its number.

    The same rules in the same order (the round exists and is open, the employee number and
    name match an active person of the taking-part unit, a running attempt is given back,
    attempts allowed); what they read is read in one statement (``attempt_start_facts``), and a
    new attempt is written in one more, outside any transaction: two starts of one person at
    once are told apart by the attempt's unique number, and the second looks again.
    """
    now = now or timezone.now()
    for _try in range(2):
        facts = selectors.attempt_start_facts(round_id, str(employee_no or "").strip()[:NUMBER_MAX])
        quiz_round = facts.quiz_round
        round_window_check(quiz_round, now)
        person = _person_check(facts.person, _identity_clean(employee_no, name)[1], quiz_round)
        bank = banks.bank_at(quiz_round.campaign.unit, facts.bank_version)
        try:
            if connection.in_atomic_block:  # a savepoint, so that a clash undoes only this
                with transaction.atomic():
                    attempt = _attempt_next(quiz_round, person, facts.last, now, bank)
            else:
                attempt = _attempt_next(quiz_round, person, facts.last, now, bank)
        except IntegrityError:  # the same person started twice at once: look again
            continue
        return Started(attempt, quiz_round, bank)
    raise Conflict(_("正在开始答题，请稍后重试。"))


@dataclass(frozen=True)
class Scored:
    """What a submission earned."""

    attempt: Attempt
    score: int
    correct: int
    seconds: int


def answers_clean(
    attempt: Attempt, answers: object, option_counts: dict[int, int]
) -> dict[str, str]:
    """Return the answers to ``attempt``'s questions as letters by question id (text)."""
    if not isinstance(answers, dict):
        raise invalid("answers", _("答案格式不正确。"))
    order = {str(pk): index for index, pk in enumerate(attempt.questions, start=1)}
    cleaned: dict[str, str] = {}
    for key, value in answers.items():
        index = order.get(str(key))
        if index is None:
            raise invalid("answers", _("答案中有不属于本次答题的题目。"))
        try:
            cleaned[str(key)] = answer_clean(value, option_counts.get(int(str(key)), 0))
        except ValueError:
            raise invalid(
                "answers", _("第%(n)d题的答案不在该题的选项之内。") % {"n": index}
            ) from None
    return cleaned


def attempt_submit(*, key: str, answers: object, now: dt.datetime | None = None) -> Scored:
    """Score the answers of the attempt ``key``; its time is the server's, from the start.

    The attempt, its round's limits and the answer keys of the questions answered are read in
    one statement; the score is written in one more, only while the attempt is unsubmitted, so
    that of two submissions at once one is scored and the other refused.
    """
    now = now or timezone.now()
    asked = (
        [int(k) for k in answers if str(k).isdigit()][:QUESTIONS_MAX]
        if isinstance(answers, dict)
        else []
    )
    facts = selectors.attempt_submit_facts(str(key)[:32], asked)
    if facts is None:
        raise InvalidInput(_("找不到这次答题，请重新开始。"), code="attempt_not_found")
    attempt = facts.attempt
    if attempt.submitted_at is not None:
        raise _submitted_already()
    quiz_round = attempt.round
    if now > attempt_deadline(attempt, quiz_round) + dt.timedelta(seconds=GRACE_SECONDS):
        raise InvalidInput(
            _("已超过答题时限（%(limit)s）或本轮已结束，这次答题不计成绩。")
            % {"limit": minutes_text(quiz_round.time_limit)},
            code="attempt_expired",
        )
    option_counts = {pk: count for pk, (_answer, count) in facts.keys.items()}
    given = answers_clean(attempt, answers, option_counts)
    correct = sum(
        1
        for pk in attempt.questions
        if pk in facts.keys and given.get(str(pk), "") == facts.keys[pk][0]
    )
    total = len(attempt.questions)
    seconds = max(0, int((now - attempt.started_at).total_seconds()))
    attempt.answers = given
    attempt.submitted_at = now
    attempt.correct = correct
    attempt.score = score_of(correct, total)
    attempt.seconds = seconds
    written = rows_update(
        Attempt,
        values={
            "answers": given,
            "submitted_at": now,
            "correct": correct,
            "score": attempt.score,
            "seconds": seconds,
        },
        where={"pk": attempt.pk, "submitted_at": None},
    )
    if not written:  # submitted meanwhile by another request
        raise _submitted_already()
    return Scored(attempt, attempt.score, correct, seconds)


def _submitted_already() -> InvalidInput:
    return InvalidInput(_("这次答题已经交卷，不能重复提交。"), code="attempt_submitted")


def minutes_text(seconds: int) -> str:
    """Return ``seconds`` as minutes and seconds the way a page says them (e.g. 3分20秒)."""
    minutes, rest = divmod(max(0, int(seconds)), 60)
    if not minutes:
        return _("%(s)d秒") % {"s": rest}
    if not rest:
        return _("%(m)d分钟") % {"m": minutes}
    return _("%(m)d分%(s)d秒") % {"m": minutes, "s": rest}

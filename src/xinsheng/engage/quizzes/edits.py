"""Staff edits of the bank, campaigns and rounds, audited; an edit that would break work already
done is refused with a Chinese message and nothing is written.

A question drawn into an attempt keeps its type, options and answer (the attempt was scored by
them); it is retired rather than deleted. A round that has attempts keeps its draw and time limit,
its window still holds every attempt, its attempts allowed are no fewer than anyone used, and its
subtree still holds everyone who took part.
"""

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record, snapshot
from xinsheng.engage.quizzes.models import Attempt, Campaign, Question, Round
from xinsheng.engage.quizzes.services import (
    MANAGE,
    QuestionData,
    RoundData,
    invalid,
    question_data_clean,
    round_data_clean,
)
from xinsheng.org import permissions

QUESTION_FIELDS = ["text", "kind", "options", "answer", "explanation", "tags", "difficulty"]
KEPT_WHEN_USED = ("kind", "options", "answer")  # what an attempt was scored by
CAMPAIGN_FIELDS = ["title", "expert_min_score", "expert_min_rounds", "show_names"]
ROUND_FIELDS = [
    "title",
    "unit",
    "opens_at",
    "closes_at",
    "draw",
    "time_limit",
    "attempts_allowed",
    "show_names",
]
NAMES_KEEP, NAMES_SHOW, NAMES_HIDE = "", "show", "hide"


def _values(obj: Question | Round, fields: list[str]) -> dict[str, Any]:
    """Return ``snapshot`` of ``fields``, with lists (options, tags, draw) kept as lists."""
    values = snapshot(obj, fields)
    for name in fields:
        if isinstance(getattr(obj, name), list):
            values[name] = getattr(obj, name)
    return values


def _moment(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


# --- the bank -------------------------------------------------------------------------------------


def question_used(question: Question) -> bool:
    """Return whether ``question`` was drawn into any attempt."""
    attempts = Attempt.objects.filter(round__campaign__unit__path__startswith=question.unit.path)
    if connection.features.supports_json_field_contains:
        return attempts.filter(questions__contains=[question.pk]).exists()
    return any(
        question.pk in (drawn or ())
        for drawn in attempts.values_list("questions", flat=True).iterator(chunk_size=2000)
    )


@transaction.atomic
def question_update(*, actor: Actor, question: Question, data: QuestionData) -> Question:
    """Change ``question``; once drawn, its type, options and answer stay as they were."""
    question = Question.objects.select_for_update().select_related("unit").get(pk=question.pk)
    permissions.require(actor, MANAGE, question.unit)
    values = question_data_clean(data)
    changed = [name for name in KEPT_WHEN_USED if values[name] != getattr(question, name)]
    if changed and question_used(question):
        raise invalid(
            changed[0] if changed[0] != "options" else "option_a",
            _(
                "这道题已被抽到过，不能再更改题型、选项或答案（已答的成绩按原答案计算）。"
                "如需更改，请停用本题后新增一道。"
            ),
        )
    before = _values(question, QUESTION_FIELDS)
    for name, value in values.items():
        setattr(question, name, value)
    question.save()
    audit_record(
        actor=actor,
        action="quiz.question.update",
        obj=question,
        before=before,
        after=_values(question, QUESTION_FIELDS),
    )
    return question


@transaction.atomic
def question_retire(*, actor: Actor, question: Question) -> bool:
    """Take ``question`` out of the bank: deleted when never drawn, otherwise kept but no longer
    drawn (attempts still show it). Return whether it was deleted."""
    question = Question.objects.select_for_update().select_related("unit").get(pk=question.pk)
    permissions.require(actor, MANAGE, question.unit)
    before = _values(question, [*QUESTION_FIELDS, "is_active"])
    if question_used(question):
        question.is_active = False
        question.save(update_fields=["is_active", "updated_at"])
        audit_record(
            actor=actor,
            action="quiz.question.retire",
            obj=question,
            before=before,
            after={"is_active": False},
        )
        return False
    audit_record(actor=actor, action="quiz.question.delete", obj=question, before=before)
    question.delete()
    return True


# --- campaigns ------------------------------------------------------------------------------------


@transaction.atomic
def campaign_update(
    *,
    actor: Actor,
    campaign: Campaign,
    title: str,
    expert_min_score: int,
    expert_min_rounds: int,
    show_names: bool | None = None,
    names: str = NAMES_KEEP,
) -> Campaign:
    """Change a campaign's title and 达人 rule (the 达人 list follows the rule at once), whether
    its own board across rounds shows names (kept when ``show_names`` is None), and, when
    ``names`` says so, whether every round's leaderboard shows names."""
    campaign = Campaign.objects.select_for_update().select_related("unit").get(pk=campaign.pk)
    permissions.require(actor, MANAGE, campaign.unit)
    title = " ".join(str(title).split())
    if not title or len(title) > 100:
        raise invalid("title", _("请填写活动名称（不超过100字）。"))
    if not 0 <= expert_min_score <= 100:
        raise invalid("expert_min_score", _("达人分数线应在0至100之间。"))
    if not 1 <= expert_min_rounds <= 50:
        raise invalid("expert_min_rounds", _("达人须达标轮次应在1至50之间。"))
    if names not in (NAMES_KEEP, NAMES_SHOW, NAMES_HIDE):
        raise invalid("names", _("请选择排行榜是否显示姓名。"))
    rounds = Round.objects.filter(campaign=campaign)
    before: dict[str, Any] = snapshot(campaign, CAMPAIGN_FIELDS)
    before["round_show_names"] = dict(rounds.values_list("number", "show_names"))
    campaign.title = title
    campaign.expert_min_score = expert_min_score
    campaign.expert_min_rounds = expert_min_rounds
    if show_names is not None:
        campaign.show_names = bool(show_names)
    campaign.save()
    if names != NAMES_KEEP:
        rounds.update(show_names=names == NAMES_SHOW, updated_at=timezone.now())
    after: dict[str, Any] = snapshot(campaign, CAMPAIGN_FIELDS)
    after["round_show_names"] = dict(rounds.values_list("number", "show_names"))
    audit_record(
        actor=actor, action="quiz.campaign.update", obj=campaign, before=before, after=after
    )
    return campaign


# --- rounds ---------------------------------------------------------------------------------------


def _round_change_check(quiz_round: Round, values: dict[str, Any]) -> None:
    """Refuse a change that would leave attempts the round no longer explains."""
    attempts = Attempt.objects.filter(round=quiz_round)
    found = attempts.aggregate(
        first=Min("started_at"),
        last_start=Max("started_at"),
        last_submit=Max("submitted_at"),
        most=Max("number"),
    )
    if found["first"] is None:
        return
    if values["draw"] != quiz_round.draw:
        raise invalid("draw", _("已有职工答过本轮，不能再更改抽题规则（成绩按原规则计算）。"))
    if values["time_limit"] != quiz_round.time_limit:
        raise invalid("time_limit_minutes", _("已有职工答过本轮，不能再更改答题时限。"))
    if values["attempts_allowed"] < found["most"]:
        raise invalid(
            "attempts_allowed",
            _("已有职工答了%(used)d次，每人可答次数不能少于%(used)d次。") % {"used": found["most"]},
        )
    if values["opens_at"] != quiz_round.opens_at and values["opens_at"] > found["first"]:
        raise invalid(
            "opens_at",
            _("已有职工于%(at)s开始答题，开始时间不能晚于此时。") % {"at": _moment(found["first"])},
        )
    last = max(filter(None, (found["last_start"], found["last_submit"])))
    if values["closes_at"] != quiz_round.closes_at and values["closes_at"] < last:
        raise invalid(
            "closes_at",
            _("已有职工于%(at)s答题，结束时间不能早于此时。") % {"at": _moment(last)},
        )
    unit = values["unit"]
    if unit.pk != quiz_round.unit_id and attempts.exclude(unit_path__startswith=unit.path).exists():
        raise invalid(
            "unit",
            _("已有%(unit)s以外的职工参加本轮，参加范围须包含他们。") % {"unit": unit.name},
        )


@transaction.atomic
def round_update(*, actor: Actor, quiz_round: Round, data: RoundData) -> Round:
    """Change a round; refuse what would break the attempts already made."""
    quiz_round = (
        Round.objects.select_for_update(of=("self",))
        .select_related("campaign", "campaign__unit", "unit")
        .get(pk=quiz_round.pk)
    )
    permissions.require(actor, MANAGE, quiz_round.campaign.unit)
    permissions.require(actor, MANAGE, data.unit)
    same_draw = data.draw == quiz_round.draw
    values = round_data_clean(quiz_round.campaign, data, check_bank=not same_draw)
    _round_change_check(quiz_round, values)
    before = _values(quiz_round, ROUND_FIELDS)
    for name, value in values.items():
        setattr(quiz_round, name, value)
    quiz_round.save()
    audit_record(
        actor=actor,
        action="quiz.round.update",
        obj=quiz_round,
        before=before,
        after=_values(quiz_round, ROUND_FIELDS),
    )
    return quiz_round

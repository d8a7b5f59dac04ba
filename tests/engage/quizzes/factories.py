"""Test factories of quizzes: a bank, a campaign and its rounds, and answering an attempt."""

import datetime as dt
import itertools

from django.contrib.auth.models import User
from django.utils import timezone

from xinsheng.engage.quizzes import services
from xinsheng.engage.quizzes.choices import Difficulty, QuestionKind
from xinsheng.engage.quizzes.models import Attempt, Campaign, Question, Round
from xinsheng.engage.quizzes.services import RoundData
from xinsheng.org.models import OrgUnit

_numbers = itertools.count(1)
TAGS = ("安全生产", "形势任务")


def make_bank(unit: OrgUnit, *, per_kind: int = 6) -> list[Question]:
    """Put ``per_kind`` single, multiple and true-false questions of each tag in ``unit``'s bank,
    with difficulties in turn."""
    made = []
    difficulties = list(Difficulty)
    for tag in TAGS:
        for index in range(per_kind):
            n = next(_numbers)
            difficulty = difficulties[index % 3]
            made.append(
                Question.objects.create(
                    unit=unit,
                    text=f"{tag}第{n}题：井下作业前应当做什么？",
                    kind=QuestionKind.SINGLE,
                    options=["检查顶板", "先吃饭", "先休息", "打电话"],
                    answer="A",
                    explanation="敲帮问顶，确认安全后再作业。",
                    tags=[tag],
                    difficulty=difficulty,
                )
            )
            made.append(
                Question.objects.create(
                    unit=unit,
                    text=f"{tag}第{n}题（多选）：哪些属于“一通三防”？",
                    kind=QuestionKind.MULTIPLE,
                    options=["通风", "防瓦斯", "防煤尘", "防迟到"],
                    answer="ABC",
                    tags=[tag],
                    difficulty=difficulty,
                )
            )
            made.append(
                Question.objects.create(
                    unit=unit,
                    text=f"{tag}第{n}题（判断）：入井必须携带自救器。",
                    kind=QuestionKind.TRUE_FALSE,
                    options=["正确", "错误"],
                    answer="A",
                    tags=[tag],
                    difficulty=difficulty,
                )
            )
    return made


def make_campaign(
    unit: OrgUnit, actor: User, *, min_score: int = 90, min_rounds: int = 2
) -> Campaign:
    return services.campaign_create(
        actor=actor,
        unit=unit,
        title="企业形势任务在线答题",
        expert_min_score=min_score,
        expert_min_rounds=min_rounds,
    )


def make_round(
    campaign: Campaign,
    actor: User,
    *,
    unit: OrgUnit | None = None,
    opens_at: dt.datetime | None = None,
    days: int = 7,
    count: int = 10,
    attempts_allowed: int = 2,
    time_limit: int = 600,
    show_names: bool = False,
) -> Round:
    opens = opens_at or timezone.now() - dt.timedelta(hours=1)
    half = count // 2
    return services.round_create(
        actor=actor,
        campaign=campaign,
        data=RoundData(
            title=f"第{campaign.rounds.count() + 1}轮",
            unit=unit or campaign.unit,
            opens_at=opens,
            closes_at=opens + dt.timedelta(days=days),
            draw=[
                {"tag": "安全生产", "difficulty": "", "count": half},
                {"tag": "形势任务", "difficulty": "", "count": count - half},
            ],
            time_limit=time_limit,
            attempts_allowed=attempts_allowed,
            show_names=show_names,
        ),
    )


def answers_for(attempt: Attempt, right: int) -> dict[str, str]:
    """Return answers to ``attempt`` with exactly ``right`` of them correct (the first ones)."""
    keys = dict(Question.objects.filter(pk__in=attempt.questions).values_list("id", "answer"))
    answers = {}
    for index, pk in enumerate(attempt.questions):
        key = keys[pk]
        answers[str(pk)] = key if index < right else ("B" if key != "B" else "A")
    return answers

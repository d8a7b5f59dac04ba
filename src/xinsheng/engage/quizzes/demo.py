"""The quiz part of the demo enterprise: the group's bank of about 200 questions on coal-mine
safety and enterprise affairs (``demo_questions``), a campaign of three rounds (two closed, one
open), a few thousand attempts by the group's people, and so its 答题达人.

Rows are written in bulk as the services would write them (drawn by the round's rules, scored
the same way), to stay fast.
"""

import datetime as dt
import random
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinsheng.engage.quizzes.demo_questions import demo_questions
from xinsheng.engage.quizzes.models import Attempt, Campaign, Question, Round
from xinsheng.engage.quizzes.scoring import BankEntry, draw_from, pools_of, rules_of, score_of
from xinsheng.org import demo as org_demo
from xinsheng.org.models import Person

TITLE = "企业形势任务暨安全生产知识在线答题"
DRAW = [
    {"tag": "安全生产", "difficulty": "", "count": 6},
    {"tag": "企业形势", "difficulty": "", "count": 2},
    {"tag": "民主管理", "difficulty": "", "count": 1},
    {"tag": "", "difficulty": "", "count": 1},
]
PEOPLE_MAX = 2000  # who may take part in the demo; each round draws a share of them
SHARES = (0.5, 0.55, 0.3)  # of them who answer in each round (the third is still open)


def demo_exists() -> bool:
    """Return whether the quiz demo was loaded."""
    return Campaign.objects.filter(title=TITLE).exists()


@transaction.atomic
def demo_load(*, seed: int = org_demo.DEFAULT_SEED) -> dict[str, int]:
    """Build the demo's bank, campaign, rounds and attempts unless they exist."""
    if not org_demo.demo_exists() or demo_exists():
        return {}
    group = org_demo.demo_group()
    rng = random.Random(f"xinsheng.engage.quizzes.demo:{seed}")
    questions = Question.objects.bulk_create(
        [
            Question(
                unit=group,
                text=q.text,
                kind=q.kind,
                options=q.options,
                answer=q.answer,
                explanation=q.explanation,
                tags=q.tags,
                difficulty=q.difficulty,
            )
            for q in demo_questions(rng)
        ]
    )
    keys = {q.pk: q.answer for q in questions}
    options = {q.pk: len(q.options) for q in questions}
    bank = [BankEntry(q.pk, tuple(q.tags), q.difficulty) for q in questions]
    campaign = Campaign.objects.create(
        title=TITLE, unit=group, expert_min_score=90, expert_min_rounds=2
    )
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    rounds = [
        Round.objects.create(
            campaign=campaign,
            number=number,
            title=f"第{number}轮：{theme}",
            unit=group,
            opens_at=now + dt.timedelta(days=start),
            closes_at=now + dt.timedelta(days=start + 7),
            draw=DRAW,
            time_limit=600,
            attempts_allowed=2,
            show_names=number == 1,
        )
        for number, theme, start in (
            (1, "安全生产月专题", -60),
            (2, "企业形势任务", -30),
            (3, "“一通三防”与职业健康", -2),
        )
    ]
    people = list(
        Person.objects.filter(unit__path__startswith=group.path, is_active=True)
        .values_list("id", "unit__path")
        .order_by("employee_no")[:PEOPLE_MAX]
    )
    skill = {pk: rng.betavariate(5, 1.6) for pk, _path in people}
    pools = pools_of(rules_of(DRAW), bank)
    attempts = []
    for quiz_round, share in zip(rounds, SHARES, strict=True):
        last = min(quiz_round.closes_at, timezone.now() - dt.timedelta(minutes=5))
        span = max(60, int((last - quiz_round.opens_at).total_seconds()) - 900)
        for pk, path in rng.sample(people, int(len(people) * share)):
            for number in (1, 2) if rng.random() < 0.2 else (1,):
                drawn = draw_from(pools, rng)
                started = quiz_round.opens_at + dt.timedelta(seconds=rng.randrange(span))
                answers = {}
                for question in drawn:
                    right = rng.random() < skill[pk] + 0.05 * (number - 1)
                    key = keys[question]
                    wrong = "A" if key != "A" else "B"
                    answers[str(question)] = key if right else wrong[: options[question]]
                correct = sum(1 for q in drawn if answers[str(q)] == keys[q])
                seconds = rng.randint(90, 590)
                attempts.append(
                    Attempt(
                        key=secrets.token_urlsafe(18),
                        round=quiz_round,
                        person_id=pk,
                        unit_path=path,
                        number=number,
                        questions=drawn,
                        answers=answers,
                        started_at=started,
                        submitted_at=started + dt.timedelta(seconds=seconds),
                        score=score_of(correct, len(drawn)),
                        correct=correct,
                        seconds=seconds,
                    )
                )
    Attempt.objects.bulk_create(attempts, batch_size=2000)
    return {
        "questions": len(questions),
        "rounds": len(rounds),
        "attempts": len(attempts),
        "experts": _experts(attempts, campaign),
        "campaign": campaign.pk,
    }


def _experts(attempts: list[Attempt], campaign: Campaign) -> int:
    """Return how many people the campaign's rule names, from the attempts just made (the
    staff pages compute the list itself through ``leaderboards``)."""
    best: dict[tuple[int, int], int] = {}
    for attempt in attempts:
        key = (attempt.person_id, attempt.round_id)
        best[key] = max(best.get(key, 0), attempt.score or 0)
    passed: dict[int, int] = {}
    for (person_id, _round_id), score in best.items():
        if score >= campaign.expert_min_score:
            passed[person_id] = passed.get(person_id, 0) + 1
    return sum(1 for rounds in passed.values() if rounds >= campaign.expert_min_rounds)


def demo_report(*, summary: dict[str, Any] | None, seed: int) -> str:
    """Return the console's line about the quizzes just loaded (nothing when before)."""
    made = (summary or {}).get("quizzes")
    if not made:
        return ""
    return (
        f"Quizzes: {made.get('questions', 0)} questions in the bank, "
        f"{made.get('rounds', 0)} rounds, {made.get('attempts', 0)} attempts, "
        f"{made.get('experts', 0)} 答题达人; "
        f"http://127.0.0.1:8000/engage/quizzes/campaigns/{made.get('campaign', '')}/"
    )

"""Every read of quizzes, scoped: staff see the campaigns, rounds and bank of their subtree
(a campaign by its organising unit); the public sees a round by its number and nothing else."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.engage.quizzes.models import Attempt, Campaign, Question, Round
from xinsheng.org import permissions
from xinsheng.org.models import Person

VIEW = "quiz.view"
MANAGE = "quiz.manage"


def campaign_list_for(*, actor: Actor) -> QuerySet[Campaign]:
    """Return the campaigns ``actor`` may see, newest first, with their round counts."""
    campaigns: QuerySet[Campaign] = permissions.in_scope(Campaign.objects.all(), actor, VIEW)
    return (
        campaigns.select_related("unit")
        .annotate(round_count=Count("rounds"))
        .order_by("-created_at", "-id")
    )


def campaign_get_for(*, actor: Actor, campaign_id: int) -> Campaign:
    """Return the campaign ``campaign_id`` if ``actor`` may see it; ``NotFound`` otherwise."""
    found = campaign_list_for(actor=actor).filter(pk=campaign_id).first()
    if found is None:
        raise NotFound()
    return found


def round_list_of(campaign: Campaign) -> QuerySet[Round]:
    """Return the rounds of ``campaign`` in order, with their submitted attempts counted."""
    return (
        campaign.rounds.select_related("unit")
        .annotate(submitted=Count("attempts", filter=Q(attempts__submitted_at__isnull=False)))
        .order_by("number")
    )


def round_get_for(*, actor: Actor, round_id: int) -> Round:
    """Return the round ``round_id`` if ``actor`` may see its campaign; ``NotFound`` otherwise."""
    rounds: QuerySet[Round] = permissions.in_scope(
        Round.objects.all(), actor, VIEW, via="campaign__unit"
    )
    found = rounds.select_related("campaign", "campaign__unit", "unit").filter(pk=round_id).first()
    if found is None:
        raise NotFound()
    return found


def round_attempt_count(quiz_round: Round) -> int:
    """Return how many attempts (started or submitted) ``quiz_round`` has."""
    return Attempt.objects.filter(round=quiz_round).count()


def round_public_get(round_id: int) -> Round:
    """Return the round ``round_id`` for the public pages; ``NotFound`` when there is none."""
    found = Round.objects.select_related("campaign", "campaign__unit", "unit").filter(pk=round_id)
    quiz_round = found.first()
    if quiz_round is None:
        raise NotFound()
    return quiz_round


def may_see_names(actor: Actor, quiz_round: Round) -> bool:
    """Return whether ``actor`` sees the names of a round's board whatever the round shows."""
    return permissions.may(actor, VIEW, quiz_round.campaign.unit)


@dataclass(frozen=True)
class BankFilters:
    """What the bank list is narrowed to."""

    tag: str = ""
    kind: str = ""
    difficulty: str = ""
    search: str = ""


def question_list_for(*, actor: Actor, filters: BankFilters) -> QuerySet[Question]:
    """Return the questions of the banks ``actor`` keeps, narrowed by ``filters``."""
    questions: QuerySet[Question] = permissions.in_scope(Question.objects.all(), actor, MANAGE)
    questions = questions.select_related("unit")
    if filters.kind:
        questions = questions.filter(kind=filters.kind)
    if filters.difficulty:
        questions = questions.filter(difficulty=filters.difficulty)
    if filters.search.strip():
        questions = questions.filter(text__contains=filters.search.strip())
    if filters.tag:
        ids = [
            pk for pk, tags in questions.values_list("id", "tags") if filters.tag in (tags or ())
        ]
        questions = questions.filter(pk__in=ids)
    return questions.order_by("-id")


def question_get_for(*, actor: Actor, question_id: int) -> Question:
    """Return the question ``question_id`` of a bank ``actor`` keeps; ``NotFound`` otherwise."""
    found = question_list_for(actor=actor, filters=BankFilters()).filter(pk=question_id).first()
    if found is None:
        raise NotFound()
    return found


def bank_tags_for(*, actor: Actor) -> list[str]:
    """Return the tags used in the banks ``actor`` keeps, most used first."""
    counts: dict[str, int] = {}
    for tags in permissions.in_scope(Question.objects.all(), actor, MANAGE).values_list(
        "tags", flat=True
    ):
        for tag in tags or ():
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts, key=lambda tag: (-counts[tag], tag))


def attempts_of(quiz_round: Round, person: Person) -> list[Attempt]:
    """Return ``person``'s submitted attempts at ``quiz_round``, first first."""
    return list(
        Attempt.objects.filter(
            round=quiz_round, person=person, submitted_at__isnull=False
        ).order_by("number")
    )


def questions_by_id(ids: list[int]) -> dict[int, Question]:
    """Return the questions ``ids`` (for showing an attempt once the round has closed)."""
    return {q.pk: q for q in Question.objects.filter(pk__in=ids)}

"""Reads of text insight: similar voices, and the category and unit a new voice should go to.

Suggestions come from the installation's active category model, or, before one is trained,
from the keywords administrators set on each category (cold start). The unit suggested is where
similar voices went before, else where voices of the predicted category went most often in the
past year — always among the units the dispatcher may dispatch to.
"""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from xinsheng.cases import permissions as case_permissions
from xinsheng.cases.choices import SUPPORTABLE, CaseStatus, EventKind
from xinsheng.cases.models import Case, Category
from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.core.ratings import Satisfaction
from xinsheng.insight import similar_store
from xinsheng.insight.models import Topic, TopicMember, TopicRun, TrainedModel
from xinsheng.insight.nlp.classify import Model, Predictor, rules_predict
from xinsheng.insight.nlp.plain_model import PlainModel
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit, in_subtree

SIMILAR_MAX = 5
SIMILAR_THRESHOLD = 0.5
# Typing search: candidates from a lower Jaccard, kept when they hold most of what is typed.
TYPING_THRESHOLD = 0.2
TYPING_CONTAINMENT = 0.6
SIMILAR_PUBLIC_DAYS = 90  # how far back the public form looks (setting SIMILAR_PUBLIC_DAYS)
UNIT_HISTORY_DAYS = 365
SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED)


@dataclass(frozen=True)
class SimilarVoice:
    """A voice that says the same thing, as an employee may see it: no text, no person."""

    case_no: str
    title: str
    status: str
    status_label: str
    submitted_on: dt.date
    supporters: int
    similarity: float
    supportable: bool  # the employee may add their voice to it (附议)
    answer: str = ""  # the unit's answer, when given and public to the submitter


@dataclass(frozen=True)
class Suggestion:
    """Where a voice should go: its category and the unit to dispatch it to, with the reasons."""

    category: Category | None
    confidence: float
    source: str  # "model" (trained on this installation's cases) or "rules" (keywords)
    unit: OrgUnit | None
    unit_basis: str  # "similar" (where similar voices went) or "category" (where it usually goes)


def company_path(unit: OrgUnit) -> str:
    """Return the path of the company ``unit`` belongs to (the group's child above it)."""
    return unit.company_path


def _matches(text: str, *, exclude: int | None = None) -> list[tuple[int, float]]:
    index = similar_store.index_current()
    found = index.query(text, k=SIMILAR_MAX * 4, threshold=SIMILAR_THRESHOLD, exclude=exclude)
    return [(match.key, match.similarity) for match in found]


def _still_indexable(ids: list[int], base: QuerySet[Case]) -> dict[int, Case]:
    alive = base.filter(id__in=ids, merged_into__isnull=True).exclude(status=CaseStatus.REJECTED)
    cases = {case.id: case for case in alive}
    for gone in set(ids) - set(Case.objects.filter(id__in=ids).values_list("id", flat=True)):
        similar_store.index_forget(gone)
    return cases


def similar_public_days() -> int:
    """Return how many days back the public form's similar voices go (``SIMILAR_PUBLIC_DAYS``)."""
    return int(settings.XINSHENG.get("SIMILAR_PUBLIC_DAYS", SIMILAR_PUBLIC_DAYS))


def _typed_matches(text: str) -> list[tuple[int, float]]:
    """Return voices that hold what is being typed: Jaccard, or containment of a half-typed text.

    The index is asked with the lower ``TYPING_THRESHOLD``; each candidate then scores the
    share of the typed text's character shingles it contains, so that a voice of which the
    employee has typed only the first sentence is found (a prefix has a low Jaccard similarity
    to the whole voice but is contained in it).
    """
    import numpy as np

    from xinsheng.core.normalize import normalize
    from xinsheng.insight.nlp.similar import shingle_hashes

    index = similar_store.index_current()
    found = index.query(text, k=SIMILAR_MAX * 4, threshold=TYPING_THRESHOLD)
    if not found:
        return []
    typed = shingle_hashes(normalize(text))
    texts = dict(Case.objects.filter(id__in=[m.key for m in found]).values_list("id", "text"))
    scored = []
    for match in found:
        if match.key not in texts or not len(typed):
            continue
        contained = float(np.isin(typed, shingle_hashes(normalize(texts[match.key]))).mean())
        score = max(match.similarity, contained)
        if match.similarity >= SIMILAR_THRESHOLD or contained >= TYPING_CONTAINMENT:
            scored.append((match.key, round(score, 4)))
    return sorted(scored, key=lambda pair: -pair[1])


def _public_answer(case: Case) -> str:
    """Return the unit's answer when it was given and shown to the submitter; else ''."""
    if case.status not in (CaseStatus.ANSWERED, CaseStatus.CLOSED) or not case.answer:
        return ""
    shown = case.events.filter(kind=EventKind.ANSWERED).order_by("-at", "-id").first()
    return case.answer if shown is not None and shown.is_public else ""


def similar_voices_at(*, unit: OrgUnit, text: str) -> list[SimilarVoice]:
    """Return up to five voices of ``unit``'s company of the last ``similar_public_days()`` days
    that say what ``text`` says (or what it has typed so far).

    For the public form: it shows the title, state and date, never the text or who sent it, and
    the unit's answer only when the case was answered and the answer is public to its submitter.
    """
    if len(text.strip()) < 5:
        return []
    matches = _typed_matches(text)
    since = timezone.now() - dt.timedelta(days=similar_public_days())
    base = Case.objects.filter(
        **in_subtree(company_path(unit), via="origin_unit"), created_at__gte=since
    )
    cases = _still_indexable([key for key, _ in matches], base)
    voices = []
    for key, similarity in matches:
        if (case := cases.get(key)) is not None:
            voices.append(
                SimilarVoice(
                    case_no=case.case_no,
                    title=case.title,
                    status=case.status,
                    status_label=str(case.get_status_display()),
                    submitted_on=timezone.localtime(case.created_at).date(),
                    supporters=case.supporters,
                    similarity=similarity,
                    supportable=case.status in SUPPORTABLE,
                    answer=_public_answer(case),
                )
            )
    return voices[:SIMILAR_MAX]


def similar_cases_for(*, actor: Actor, case: Case) -> list[tuple[Case, float]]:
    """Return up to five cases ``actor`` may see that say what ``case`` says, most alike first."""
    matches = _matches(case.text, exclude=case.pk)
    base = Case.objects.filter(case_permissions.case_scope_q(actor, "case.view")).filter(
        **in_subtree(company_path(case.origin_unit), via="origin_unit")
    )
    cases = _still_indexable([key for key, _ in matches], base.select_related("responsible_unit"))
    found = [(cases[key], similarity) for key, similarity in matches if key in cases]
    return found[:SIMILAR_MAX]


@lru_cache(maxsize=2)
def _model_of_version(version: int) -> Predictor:
    """Return a version's plain model (no scikit-learn in a web worker), else its pipeline.

    Only a version trained before the plain form was kept lacks it, until the periodic
    retraining task writes it (``services.model_plain_fill``).
    """
    plain = TrainedModel.objects.values_list("plain", flat=True).get(version=version)
    if plain:
        return PlainModel.from_bytes(bytes(plain))
    blob = TrainedModel.objects.values_list("blob", flat=True).get(version=version)
    return Model.from_bytes(bytes(blob))


def active_model() -> tuple[int, Predictor] | None:
    """Return the active category model and its version, loaded once per process."""
    version = TrainedModel.objects.filter(is_active=True).values_list("version", flat=True).first()
    return None if version is None else (version, _model_of_version(version))


def category_rules() -> dict[str, list[str]]:
    """Return the keywords of each active category, as administrators set them."""
    return {
        category.code: [line.strip() for line in category.keywords.splitlines() if line.strip()]
        for category in Category.objects.filter(is_active=True).order_by("position", "name")
    }


def category_predict(text: str) -> tuple[Category | None, float, str]:
    """Return the predicted category of ``text``, its confidence and the source."""
    active = active_model()
    if active is not None:
        label, confidence = active[1].predict(text)
        source = "model"
    else:
        predicted = rules_predict(text, category_rules())
        if predicted is None:
            return None, 0.0, "rules"
        label, confidence = predicted
        source = "rules"
    category = Category.objects.filter(code=label, is_active=True).first()
    return category, (confidence if category else 0.0), source


def suggestion_for(*, actor: Actor, case: Case) -> Suggestion | None:
    """Return where ``case`` should go, for a dispatcher who may dispatch it; else None.

    The unit is where similar voices of the same company were handled and answered to the
    employee's satisfaction (满意 or 基本满意), else where the predicted category's voices of the
    same company usually went in the past year — never a unit outside the case's company, and
    only one the dispatcher may dispatch to.
    """
    if not case_permissions.may_case(actor, "case.dispatch", case):
        return None
    category, confidence, source = category_predict(case.text)
    company = company_path(case.origin_unit)
    reachable = permissions.units_for(actor, "case.dispatch").filter(**in_subtree(company))
    similar = {found.pk: score for found, score in similar_cases_for(actor=actor, case=case)}
    satisfied = (
        Case.objects.filter(pk__in=similar, ratings__satisfaction__in=SATISFIED)
        .filter(**in_subtree(company, via="responsible_unit"))
        .values_list("pk", "responsible_unit_id")
        .distinct()
    )
    votes: dict[int, float] = {}
    for case_id, unit_id in satisfied:
        votes[unit_id] = votes.get(unit_id, 0.0) + similar[case_id]
    unit_basis = "similar"
    if not votes and category is not None:
        since = timezone.now() - dt.timedelta(days=UNIT_HISTORY_DAYS)
        usual = (
            Case.objects.filter(
                category=category, created_at__gte=since, responsible_unit__isnull=False
            )
            .filter(**in_subtree(company, via="origin_unit"))
            .filter(**in_subtree(company, via="responsible_unit"))
            .values("responsible_unit_id")
            .annotate(n=Count("id"))
            .order_by("-n")[:5]
        )
        votes = {row["responsible_unit_id"]: float(row["n"]) for row in usual}
        unit_basis = "category"
    unit = None
    for unit_id in sorted(votes, key=lambda key: -votes[key]):
        unit = reachable.filter(pk=unit_id).first()
        if unit is not None:
            break
    return Suggestion(
        category=category,
        confidence=confidence,
        source=source,
        unit=unit,
        unit_basis=unit_basis if unit else "",
    )


def dispatch_unit_suggestion(*, actor: Actor, case: Case) -> OrgUnit | None:
    """Return the unit ``suggestion_for`` names for ``case``: the dispatch form starts with it."""
    suggestion = suggestion_for(actor=actor, case=case)
    return suggestion.unit if suggestion is not None else None


def trained_models_for(*, actor: Actor) -> QuerySet[TrainedModel]:
    """Return the category models, newest first, for those who manage text insight."""
    if not permissions.may_anywhere(actor, "insight.manage"):
        return TrainedModel.objects.none()
    return TrainedModel.objects.defer("blob").select_related("trained_by")


# --- Hot topics -----------------------------------------------------------------------------------


def topic_unit_for(*, actor: Actor, code: str | None) -> OrgUnit:
    """Return the unit whose topics ``actor`` asks for (default: the widest they may read)."""
    units = permissions.units_for(actor, "report.view").filter(is_active=True)
    unit = units.filter(code=code).first() if code else units.order_by("depth", "path").first()
    if unit is None:
        raise NotFound()
    return unit


def topic_runs_for(*, actor: Actor, unit: OrgUnit) -> QuerySet[TopicRun]:
    """Return the hot-topic runs of ``unit``'s subtree, newest first."""
    if not permissions.may(actor, "report.view", unit):
        raise NotFound()
    return TopicRun.objects.filter(unit=unit).select_related("unit")


def topic_run_get_for(*, actor: Actor, run_id: int) -> TopicRun:
    """Return one run if ``actor`` may read its unit's figures; ``NotFound`` otherwise."""
    run = TopicRun.objects.select_related("unit").filter(pk=run_id).first()
    if run is None or not permissions.may(actor, "report.view", run.unit):
        raise NotFound()
    return run


def topic_run_latest_for(*, actor: Actor, unit: OrgUnit) -> TopicRun | None:
    """Return the newest finished run of ``unit`` (the dashboard's hot topics), if any."""
    return topic_runs_for(actor=actor, unit=unit).filter(status=TopicRun.Status.DONE).first()


def topic_get_for(*, actor: Actor, topic_id: int) -> Topic:
    """Return one topic if ``actor`` may read its run's unit; ``NotFound`` otherwise."""
    topic = Topic.objects.select_related("run__unit").filter(pk=topic_id).first()
    if topic is None or not permissions.may(actor, "report.view", topic.run.unit):
        raise NotFound()
    return topic


def topic_cases_for(*, actor: Actor, topic: Topic) -> QuerySet[Case]:
    """Return the voices of ``topic`` that ``actor`` may see, the most typical first."""
    return (
        Case.objects.filter(case_permissions.case_scope_q(actor, "case.view"))
        .filter(topic_memberships__topic=topic)
        .select_related("origin_unit", "responsible_unit", "category")
        .order_by("topic_memberships__position")
    )


REPRESENTATIVES = 3


def topic_representatives_for(*, actor: Actor, topics: list[Topic]) -> dict[int, list[Case]]:
    """Return the three representative voices of each topic that ``actor`` may see, by topic id.

    They are the first members of a topic (``services`` stores them first); the voices of the
    unclustered rest (其他) are only the first three.
    """
    members = (
        TopicMember.objects.filter(topic__in=topics, position__lt=REPRESENTATIVES)
        .filter(case__in=Case.objects.filter(case_permissions.case_scope_q(actor, "case.view")))
        .select_related("case")
        .order_by("topic_id", "position")
    )
    found: dict[int, list[Case]] = {}
    for member in members:
        found.setdefault(member.topic_id, []).append(member.case)
    return found

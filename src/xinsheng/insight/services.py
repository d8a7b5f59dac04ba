"""Writes of text insight: training a new version of the category model.

The model learns from the categories dispatchers confirmed when they accepted cases. A share of
those cases is held out; the new version replaces the active one only when its macro-F1 on them
is not lower than the active one's. Every version is kept with the figures that decided.
"""

import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from xinsheng.cases.choices import CaseStatus
from xinsheng.cases.models import Case
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.child_process import run_apart
from xinsheng.core.errors import Forbidden, InvalidInput
from xinsheng.insight.models import Topic, TopicMember, TopicRun, TrainedModel
from xinsheng.insight.nlp.classify import Model, macro_f1, train
from xinsheng.insight.nlp.plain_model import PlainModel
from xinsheng.insight.nlp.topics import find_topics
from xinsheng.insight.selectors import active_model
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit, in_subtree
from xinsheng.projects.models import Project
from xinsheng.projects.services import ProjectData, project_create, project_link_cases

HELDOUT_SHARE = 0.2
MIN_CASES = 30  # labelled cases needed before a model is worth training
MIN_PER_CATEGORY = 2
MAX_CASES = 200_000  # the most recent labelled cases a model learns from
SEED = 20260101


@dataclass(frozen=True)
class Labelled:
    """Texts and their confirmed categories."""

    texts: list[str]
    labels: list[str]


def labelled_cases(limit: int = MAX_CASES) -> Labelled:
    """Return the most recent cases with a confirmed category, as texts and category codes."""
    rows = list(
        Case.objects.filter(category__isnull=False, merged_into__isnull=True)
        .order_by("-id")
        .values_list("text", "category__code")[:limit]
    )
    return Labelled([text for text, _ in rows], [code for _, code in rows])


def _split(data: Labelled) -> tuple[Labelled, Labelled]:
    """Hold out a stratified share; categories too small to split stay in training only."""
    counts: dict[str, int] = {}
    for label in data.labels:
        counts[label] = counts.get(label, 0) + 1
    splittable = [i for i, label in enumerate(data.labels) if counts[label] >= 5]
    kept = [i for i, label in enumerate(data.labels) if counts[label] < 5]
    # scikit-learn is imported here, when a model is trained: at start-up it would cost every
    # command and every web worker the better part of a second.
    from sklearn.model_selection import train_test_split  # type: ignore[import-untyped]

    train_ids, held_ids = train_test_split(
        splittable,
        test_size=HELDOUT_SHARE,
        random_state=SEED,
        stratify=[data.labels[i] for i in splittable],
    )
    train_ids = list(train_ids) + kept

    def pick(ids: list[int]) -> Labelled:
        return Labelled([data.texts[i] for i in ids], [data.labels[i] for i in ids])

    return pick(train_ids), pick(list(held_ids))


@dataclass(frozen=True)
class Fitted:
    """A newly trained version as the child process that trained it hands it back: bytes and
    figures, so that the process storing it needs no scikit-learn."""

    blob: bytes
    plain: bytes
    trained_on: int
    heldout: int
    labels: list[str]
    new_f1: float | None
    old_f1: float | None
    activate: bool


def model_train(*, actor: Actor | None) -> TrainedModel:
    """Train a new version on the labelled cases; make it active if it is not worse.

    ``actor`` None is the scheduled retraining; a person needs ``insight.manage``. The training
    runs in a child process (``run_apart``): scikit-learn leaves with it.
    """
    if actor is not None and not permissions.may_anywhere(actor, "insight.manage"):
        raise Forbidden()
    fitted = run_apart(model_fit)
    if fitted is None:
        raise InvalidInput(
            _("已确认类别的诉求不足%(n)d条或少于两个类别，暂不能训练模型。") % {"n": MIN_CASES}
        )
    return _model_store(actor=actor, fitted=fitted)


def model_fit() -> Fitted | None:
    """Train a new version on the labelled cases and score it and the active one on the cases
    held out; return None when there are too few labels. Nothing is written."""
    data = labelled_cases()
    categories = {label for label in data.labels if data.labels.count(label) >= MIN_PER_CATEGORY}
    if len(data.texts) < MIN_CASES or len(categories) < 2:
        return None
    training, heldout = _split(data)
    model = train(training.texts, training.labels)
    new_f1 = macro_f1(model, heldout.texts, heldout.labels) if heldout.texts else None
    current = active_model()
    old_f1 = (
        macro_f1(current[1], heldout.texts, heldout.labels)
        if current is not None and heldout.texts
        else None
    )
    better = current is None or new_f1 is None or old_f1 is None or new_f1 >= old_f1 - 1e-9
    return Fitted(
        blob=model.to_bytes(),
        plain=PlainModel.from_model(model).to_bytes(),
        trained_on=len(training.texts),
        heldout=len(heldout.texts),
        labels=sorted(set(training.labels)),
        new_f1=new_f1,
        old_f1=old_f1,
        activate=better,
    )


@transaction.atomic
def _model_store(*, actor: Actor | None, fitted: Fitted) -> TrainedModel:
    version = (TrainedModel.objects.aggregate(last=Max("version"))["last"] or 0) + 1
    activate, new_f1, old_f1 = fitted.activate, fitted.new_f1, fitted.old_f1
    if activate:
        TrainedModel.objects.filter(is_active=True).update(is_active=False)
    note = _("新模型不低于原模型，已启用。") if activate else _("新模型不如原模型，未启用。")
    stored = TrainedModel.objects.create(
        version=version,
        trained_by_id=actor.pk if actor is not None and actor.is_authenticated else None,
        trained_on=fitted.trained_on,
        heldout=fitted.heldout,
        labels=fitted.labels,
        macro_f1=new_f1,
        previous_macro_f1=old_f1,
        is_active=activate,
        note=note,
        blob=fitted.blob,
        plain=fitted.plain,
    )
    audit_record(
        actor=actor,
        action="insight.model_train",
        obj=stored,
        after={"version": version, "macro_f1": new_f1, "previous": old_f1, "active": activate},
    )
    logging.getLogger(__name__).info(
        "category model v%s: macro-F1 %s (active %s), %s", version, new_f1, old_f1, note
    )
    return stored


def model_plain_fill() -> int | None:
    """Write the plain form of the active version if it was trained before it was kept.

    Return the version given its plain form, or None when there was nothing to do. It loads the
    pipeline (scikit-learn): the retraining task runs it in a child process.
    """
    version = (
        TrainedModel.objects.filter(is_active=True, plain=b"")
        .values_list("version", flat=True)
        .first()
    )
    if version is None:
        return None
    blob = TrainedModel.objects.values_list("blob", flat=True).get(version=version)
    plain = PlainModel.from_model(Model.from_bytes(bytes(blob))).to_bytes()
    TrainedModel.objects.filter(version=version, plain=b"").update(plain=plain)
    return version


def retrain_due(min_new: int = 50) -> bool:
    """Return whether enough newly labelled cases arrived since the last version to retrain."""
    last = TrainedModel.objects.order_by("-version").values_list("trained_on", "heldout").first()
    labelled = Case.objects.filter(category__isnull=False, merged_into__isnull=True).count()
    if last is None:
        return labelled >= MIN_CASES
    return labelled - (last[0] + last[1]) >= min_new


# --- Hot topics (每月一题) ------------------------------------------------------------------

MAX_TOPIC_CASES = 1_000_000


def topics_request(*, actor: Actor | None, unit: OrgUnit, start: dt.date, end: dt.date) -> TopicRun:
    """Queue the clustering of the voices of ``unit``'s subtree from ``start`` to ``end``."""
    if actor is not None:
        permissions.require(actor, "report.view", unit)
    if end < start:
        raise InvalidInput(
            _("结束日期不能早于开始日期。"), fields={"end": [_("结束日期不能早于开始日期。")]}
        )
    with transaction.atomic():
        run = TopicRun.objects.create(
            unit=unit,
            start=start,
            end=end,
            requested_by_id=actor.pk if actor is not None and actor.is_authenticated else None,
        )
        audit_record(
            actor=actor, action="insight.topics_request", obj=run, after={"unit": unit.code}
        )
        transaction.on_commit(lambda: topics_compute_task.enqueue(run.pk))
    return run


@task()
def topics_compute_task(run_id: int) -> str:
    """Cluster one run's voices into hot topics (in the background, in a child process: the
    text tools it loads leave with it). A run whose child fails is marked failed here."""
    try:
        return run_apart(topics_compute_summary, run_id)
    except Exception as error:  # the child died, or its error came back: the run says so
        TopicRun.objects.filter(
            pk=run_id, status__in=(TopicRun.Status.QUEUED, TopicRun.Status.RUNNING)
        ).update(status=TopicRun.Status.FAILED, error=str(error)[:300], finished_at=timezone.now())
        raise


def topics_compute_summary(run_id: int) -> str:
    """Cluster one run's voices (``topics_compute``); return how many cases and topics."""
    run = topics_compute(run_id)
    return f"{run.case_count} cases, {run.topics.count()} topics"


def _voices(unit: OrgUnit, start: dt.date, end: dt.date) -> QuerySet[Case]:
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return (
        Case.objects.filter(
            **in_subtree(unit.path, via="origin_unit"),
            created_at__gte=since,
            created_at__lt=until,
            merged_into__isnull=True,
        )
        .exclude(status=CaseStatus.REJECTED)
        .order_by("id")
    )


def topics_compute(run_id: int) -> TopicRun:
    """Cluster the run's voices into topics and store them, with the previous period's trend."""
    run = TopicRun.objects.select_related("unit").get(pk=run_id)
    if run.status == TopicRun.Status.DONE:
        return run
    TopicRun.objects.filter(pk=run.pk).update(status=TopicRun.Status.RUNNING)
    try:
        rows = list(
            _voices(run.unit, run.start, run.end).values_list(
                "id", "text", "supporters", "origin_unit_id"
            )[:MAX_TOPIC_CASES]
        )
        days = (run.end - run.start).days + 1
        previous = list(
            _voices(
                run.unit,
                run.start - dt.timedelta(days=days),
                run.start - dt.timedelta(days=1),
            ).values_list("text", flat=True)[:MAX_TOPIC_CASES]
        )
        _topics_store(run, rows, previous)
    except Exception as error:  # the run says it failed; the worker goes on
        logging.getLogger(__name__).exception("hot topics of run %s failed", run.pk)
        TopicRun.objects.filter(pk=run.pk).update(
            status=TopicRun.Status.FAILED, error=str(error)[:300], finished_at=timezone.now()
        )
        raise
    run.refresh_from_db()
    return run


@transaction.atomic
def _topics_store(
    run: TopicRun, rows: list[tuple[int, str, int, int]], previous: list[str]
) -> None:
    run.topics.all().delete()
    if len(rows) >= 2:
        names = list(
            OrgUnit.objects.filter(**in_subtree(run.unit.path)).values_list("name", flat=True)
        )
        model = find_topics(
            [text for _, text, _, _ in rows],
            keys=[case_id for case_id, _, _, _ in rows],
            ignore=names,
        )
        earlier = Counter(model.assign(previous)) if previous else Counter()
        facts = {case_id: (supporters, unit_id) for case_id, _, supporters, unit_id in rows}
        for found_topic in model.topics:
            # The three representative voices first, then the others nearest the centre first.
            chosen = found_topic.representatives
            first = set(chosen)
            members = chosen + [key for key in found_topic.members if key not in first]
            _topic_store(
                run,
                rank=found_topic.number + 1,
                label=found_topic.label[:100] or _("其他"),
                terms=found_topic.terms,
                members=members,
                facts=facts,
                previous_size=earlier.get(found_topic.number, 0),
            )
        if model.unclustered:
            _topic_store(
                run,
                rank=len(model.topics) + 1,
                label=_("其他"),
                terms=[],
                members=model.unclustered,
                facts=facts,
                previous_size=earlier.get(None, 0),
                is_other=True,
            )
    TopicRun.objects.filter(pk=run.pk).update(
        status=TopicRun.Status.DONE,
        case_count=len(rows),
        previous_count=len(previous),
        finished_at=timezone.now(),
        error="",
    )


def _topic_store(
    run: TopicRun,
    *,
    rank: int,
    label: str,
    terms: list[str],
    members: list[int],
    facts: dict[int, tuple[int, int]],
    previous_size: int,
    is_other: bool = False,
) -> None:
    topic = Topic.objects.create(
        run=run,
        rank=rank,
        label=label,
        terms=terms,
        size=len(members),
        supporters=sum(facts[key][0] for key in members),
        units=len({facts[key][1] for key in members}),
        previous_size=previous_size,
        is_other=is_other,
    )
    TopicMember.objects.bulk_create(
        [
            TopicMember(topic=topic, case_id=key, position=position)
            for position, key in enumerate(members)
        ],
        batch_size=2000,
    )


@transaction.atomic
def topic_to_project(
    *, actor: Actor, topic: Topic, owner_unit: OrgUnit, due_date: dt.date, title: str
) -> Project:
    """Turn a hot topic into a practical-matter project with all its voices linked, in one step."""
    project = project_create(
        actor=actor,
        data=ProjectData(
            title=title,
            owner_unit=owner_unit,
            due_date=due_date,
            description=_("由热点主题“%(label)s”转为实事项目，涉及诉求%(n)d条。")
            % {"label": topic.label, "n": topic.size},
        ),
    )
    cases = Case.objects.filter(pk__in=topic.members.values("case_id"))
    project_link_cases(actor=actor, project=project, cases=cases, source=f"topic:{topic.pk}")
    audit_record(
        actor=actor,
        action="insight.topic_to_project",
        obj=topic,
        after={"project": project.pk, "cases": topic.size},
    )
    return project

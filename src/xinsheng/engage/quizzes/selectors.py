"""Every read of quizzes, scoped: staff see the campaigns, rounds and bank of their subtree
(a campaign by its organising unit); the public sees a round by its number and nothing else."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Count, Model, Q, QuerySet
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.engage.quizzes.models import Attempt, Campaign, Question, Round
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit, Person

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


# --- starting an attempt (public, hundreds a second at the peak of a round) ----------------------


@dataclass(frozen=True)
class StartFacts:
    """All that starting an attempt reads, from one statement.

    ``quiz_round`` holds what the rules need (window, time limit, attempts allowed, draw, the
    taking-part unit's path and name, the campaign's unit); ``person`` is the active person of
    the employee number (None when there is none), with their unit's path; ``last`` is their
    latest attempt at the round (its number is how many they have started); ``bank_version``
    tells whether the bank of the campaign's unit changed (``bank.bank_of``).
    """

    quiz_round: Round
    person: Person | None
    last: Attempt | None
    bank_version: tuple[object, ...]


Converter = Callable[[object], object]
Converters = tuple[tuple[int, Converter], ...]  # (column index, its converter)
M = TypeVar("M", bound=Model)
_ROUND_FIELDS = ("id", "opens_at", "closes_at", "time_limit", "attempts_allowed", "draw", "title")
_ATTEMPT_FIELDS = ("id", "key", "number", "questions", "started_at", "submitted_at")


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[Model], name: str) -> str:
    return connection.ops.quote_name(str(model._meta.get_field(name).column))  # type: ignore[union-attr]


@lru_cache(maxsize=4)
def _start_statement(vendor: str) -> tuple[str, Converters]:
    """Return the statement of ``attempt_start_facts`` and the converters of its columns."""
    unit, person, attempt = _table(OrgUnit), _table(Person), _table(Attempt)
    question = _table(Question)
    round_columns = ", ".join(f"r.{_column(Round, f)}" for f in _ROUND_FIELDS)
    attempt_columns = ", ".join(f"a.{_column(Attempt, f)}" for f in _ATTEMPT_FIELDS)
    # The bank: the active questions of the campaign's unit and of its ancestors (a path prefix).
    in_bank = (
        f"FROM {question} q JOIN {unit} qu ON qu.id = q.unit_id "
        "WHERE q.is_active AND substr(cu.path, 1, length(qu.path)) = qu.path"
    )
    sql = f"""
        SELECT {round_columns}, ru.id, ru.path, ru.name, c.id, cu.id, cu.path, cu.depth,
            p.id, p.name, pu.id, pu.path, {attempt_columns},
            (SELECT COUNT(q.id) {in_bank}), (SELECT MAX(q.updated_at) {in_bank}),
            (SELECT MAX(q.id) {in_bank})
        FROM {_table(Round)} r
        JOIN {unit} ru ON ru.id = r.unit_id
        JOIN {_table(Campaign)} c ON c.id = r.campaign_id
        JOIN {unit} cu ON cu.id = c.unit_id
        LEFT JOIN {person} p ON p.employee_no = %s AND p.is_active
        LEFT JOIN {unit} pu ON pu.id = p.unit_id
        LEFT JOIN {attempt} a ON a.round_id = r.id AND a.person_id = p.id AND a.number = (
            SELECT MAX(e.number) FROM {attempt} e WHERE e.round_id = r.id AND e.person_id = p.id
        )
        WHERE r.id = %s
    """  # noqa: S608 - names from the models; values are parameters
    fields = [
        *(Round._meta.get_field(f) for f in _ROUND_FIELDS),
        *(OrgUnit._meta.get_field(f) for f in ("id", "path", "name")),
        Campaign._meta.get_field("id"),
        *(OrgUnit._meta.get_field(f) for f in ("id", "path", "depth")),
        *(Person._meta.get_field(f) for f in ("id", "name")),
        *(OrgUnit._meta.get_field(f) for f in ("id", "path")),
        *(Attempt._meta.get_field(f) for f in _ATTEMPT_FIELDS),
    ]
    return sql, _converters(fields)


def _converters(fields: list[Any]) -> Converters:
    """Return the converters of the columns of ``fields`` whose database values are not
    already their Python values, each with its column's index."""
    found = []
    for index, field in enumerate(fields):
        column = field.get_col(field.model._meta.db_table)
        steps = (*connection.ops.get_db_converters(column), *field.get_db_converters(connection))
        if steps:
            found.append((index, _converter(column, steps)))
    return tuple(found)


def _converter(column: Any, steps: tuple[Any, ...]) -> Converter:
    """Return a function turning a database value of ``column`` into its Python value."""

    def convert(value: object) -> object:
        for step in steps:
            value = step(value, column, connection)
        return value

    return convert


def _converted(row: Any, converters: Converters) -> list[object]:
    """Return the values of ``row`` with ``converters`` applied to their columns."""
    values = list(row)
    for index, convert in converters:
        values[index] = convert(values[index])
    return values


def attempt_start_facts(round_id: int, employee_no: str) -> StartFacts:
    """Return what starting an attempt at ``round_id`` by ``employee_no`` reads (one statement);
    ``NotFound`` when there is no such round."""
    sql, converters = _start_statement(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, [employee_no, round_id])
        row = cursor.fetchone()
    if row is None:
        raise NotFound()
    values = _converted(row, converters)
    n = len(_ROUND_FIELDS)
    quiz_round = _instance(Round, _ROUND_FIELDS, values[:n])
    _related_set(quiz_round, "unit", _instance(OrgUnit, ("id", "path", "name"), values[n : n + 3]))
    campaign = _instance(Campaign, ("id",), values[n + 3 : n + 4])
    _related_set(
        campaign, "unit", _instance(OrgUnit, ("id", "path", "depth"), values[n + 4 : n + 7])
    )
    _related_set(quiz_round, "campaign", campaign)
    person_id, person_name, unit_id, unit_path = values[n + 7 : n + 11]
    person = None
    if person_id is not None:
        person = _instance(Person, ("id", "name"), [person_id, person_name])
        _related_set(person, "unit", _instance(OrgUnit, ("id", "path"), [unit_id, unit_path]))
    attempt_values = values[n + 11 : n + 11 + len(_ATTEMPT_FIELDS)]
    last = None
    if attempt_values[0] is not None:
        last = _instance(Attempt, _ATTEMPT_FIELDS, attempt_values)
        _related_set(last, "round", quiz_round)
    return StartFacts(quiz_round, person, last, tuple(row[-3:]))


def _instance(model: type[M], names: tuple[str, ...], values: list[object]) -> M:
    """Return an instance of ``model`` as loaded with only the fields ``names`` (the others
    load when asked for), as ``Model.from_db`` makes it.

    ``from_db`` goes through ``Model.__init__``, which matches every value to its field and
    sends the init signals; when nothing listens to them for ``model`` the instance is made
    directly: its state says it was loaded, and its values are set as ``__init__`` sets them.
    """
    alias = connection.alias
    if (pre_init.receivers and pre_init.has_listeners(model)) or (
        post_init.receivers and post_init.has_listeners(model)
    ):
        given = dict(zip(names, values, strict=True))
        ordered = [f.attname for f in model._meta.concrete_fields if f.attname in given]
        return model.from_db(alias, ordered, [given[name] for name in ordered])
    instance = model.__new__(model)
    state = instance._state = ModelState()
    state.adding = False
    state.db = alias
    instance.__dict__.update(zip(names, values, strict=True))
    return instance


def _related_set(instance: Model, name: str, related: Model) -> None:
    """Set ``related`` as ``instance``'s foreign key ``name`` (loaded, as ``select_related``
    leaves it), the way assigning it does."""
    instance.__dict__[f"{name}_id"] = related.pk
    instance._state.fields_cache[name] = related


_SUBMIT_FIELDS = ("id", "key", "number", "questions", "started_at", "submitted_at")


@lru_cache(maxsize=4)
def _submit_statement(vendor: str) -> tuple[str, Converters]:
    """Return the statement of ``attempt_submit_facts`` (without its list of question ids) and
    the converters of its attempt's and round's columns; each question's answer key and number
    of options come as they are (a text and a number the database counts)."""
    attempt_columns = ", ".join(f"a.{_column(Attempt, f)}" for f in _SUBMIT_FIELDS)
    options = f"q.{_column(Question, 'options')}"
    if vendor == "postgresql":
        counted = (
            f"CASE WHEN jsonb_typeof({options}) = 'array' "
            f"THEN jsonb_array_length({options}) ELSE 0 END"
        )
    else:
        counted = f"COALESCE(json_array_length({options}), 0)"
    sql = f"""
        SELECT {attempt_columns}, r.id, r.time_limit, r.closes_at, q.id,
            q.{_column(Question, "answer")}, {counted}
        FROM {_table(Attempt)} a
        JOIN {_table(Round)} r ON r.id = a.round_id
        LEFT JOIN {_table(Question)} q ON q.id IN ({{ids}})
        WHERE a.key = %s
    """  # noqa: S608 - names from the models; values are parameters
    fields = [
        *(Attempt._meta.get_field(f) for f in _SUBMIT_FIELDS),
        *(Round._meta.get_field(f) for f in ("id", "time_limit", "closes_at")),
    ]
    return sql, _converters(fields)


@dataclass(frozen=True)
class SubmitFacts:
    """What scoring an attempt reads: the attempt with its round's time limit and close, and
    the answer key and option count of each question asked about."""

    attempt: Attempt
    keys: dict[int, tuple[str, int]]


def attempt_submit_facts(key: str, question_ids: list[int]) -> SubmitFacts | None:
    """Return the attempt ``key`` and the keys of ``question_ids`` (one statement), or None
    when there is no such attempt."""
    sql, converters = _submit_statement(connection.vendor)
    ids = question_ids or [0]  # no question: the attempt alone (no id is 0)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(ids=", ".join(["%s"] * len(ids))), [*ids, key])
        rows = cursor.fetchall()
    if not rows:
        return None
    values = _converted(rows[0], converters)
    n = len(_SUBMIT_FIELDS)
    attempt = _instance(Attempt, _SUBMIT_FIELDS, values[:n])
    _related_set(
        attempt, "round", _instance(Round, ("id", "time_limit", "closes_at"), values[n : n + 3])
    )
    keys = {row[n + 3]: (row[n + 4], row[n + 5]) for row in rows if row[n + 3] is not None}
    return SubmitFacts(attempt, keys)

"""Every read of talk records, filtered to what the acting user may see.

A record belongs to the unit it was written at; whoever may ``talk.view`` there (a role held at
that unit or above it) sees it. The scope is taken on the record's ``unit_path``, so the ledger
needs no join to be narrowed. A record out of scope is "not found", the same as a missing one.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL

from xinsheng.cases import permissions as case_permissions
from xinsheng.cases.models import Case
from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.org import permissions
from xinsheng.org import selectors as org_selectors
from xinsheng.org.models import OrgUnit, Person
from xinsheng.talks.models import TalkExportJob, TalkHost, TalkParticipant, TalkRecord, TalkVoice
from xinsheng.talks.records.checks import own_person
from xinsheng.talks.records.scope import may_at_path

UNIT_CHOICES_MAX = 300  # more units than this where one may record: the unit is typed as a code
WITH_VOICES = "with"
WITHOUT_VOICES = "without"


@dataclass
class TalkFilters:
    """What the ledger is narrowed by; every field optional."""

    unit: OrgUnit | None = None  # the record's unit within this subtree
    kind: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    place: str = ""
    host: str = ""  # a host's employee number
    voices: str = ""  # WITH_VOICES, WITHOUT_VOICES or "" for both
    tag: str = ""
    text: str = ""  # words of the summary, or a person talked with (name or employee number)


def _has_tag(tag: str) -> Q:
    """Return the filter keeping records tagged ``tag`` (a JSON list holds it)."""
    if connection.vendor == "postgresql":
        return Q(tags__contains=[tag])
    table = TalkRecord._meta.db_table
    sql = f"SELECT r.id FROM {table} r, json_each(r.tags) t WHERE t.value = %s"  # noqa: S608
    return Q(pk__in=RawSQL(sql, [tag]))  # noqa: S611 — the tag is a parameter, the table ours


def talk_list_for(*, actor: Actor, filters: TalkFilters | None = None) -> QuerySet[TalkRecord]:
    """Return the records ``actor`` may see, narrowed by ``filters``, newest talk first."""
    records = TalkRecord.objects.filter(
        permissions.scope_q(actor, "talk.view", path_field="unit_path")
    )
    f = filters or TalkFilters()
    if f.unit is not None:
        records = records.filter(unit_path__startswith=f.unit.path)
    if f.kind:
        records = records.filter(kind=f.kind)
    if f.date_from:
        records = records.filter(held_on__gte=f.date_from)
    if f.date_to:
        records = records.filter(held_on__lte=f.date_to)
    if f.place:
        records = records.filter(place=f.place)
    if f.host:
        hosted = TalkHost.objects.filter(person__employee_no=f.host).values("record_id")
        records = records.filter(pk__in=hosted)
    if f.voices:
        raised = Exists(TalkVoice.objects.filter(record=OuterRef("pk")))
        records = records.filter(raised if f.voices == WITH_VOICES else ~raised)
    if f.tag:
        records = records.filter(_has_tag(f.tag))
    if text := f.text.strip():
        talked = TalkParticipant.objects.filter(
            Q(person__name__contains=text) | Q(person__employee_no__iexact=text)
        ).values("record_id")
        records = records.filter(Q(summary__icontains=text) | Q(pk__in=talked))
    return records.select_related("unit").order_by("-held_on", "-id")


def talk_with_people(records: QuerySet[TalkRecord]) -> QuerySet[TalkRecord]:
    """Return ``records`` with their hosts, people and voices' cases fetched alongside."""
    return records.prefetch_related(
        Prefetch("host_rows", TalkHost.objects.select_related("person").order_by("id")),
        Prefetch(
            "participants", TalkParticipant.objects.select_related("person__unit").order_by("id")
        ),
        Prefetch("voices", TalkVoice.objects.select_related("case").order_by("id")),
    )


def talk_get_for(*, actor: Actor, record_id: int) -> TalkRecord:
    """Return record ``record_id`` if ``actor`` may see it; ``NotFound`` otherwise (the same)."""
    found = talk_with_people(talk_list_for(actor=actor).filter(pk=record_id)).first()
    if found is None:
        raise NotFound()
    return found


def talk_may_correct(*, actor: Actor, record: TalkRecord) -> bool:
    """Return whether ``actor`` may correct ``record``: its recorder, where they still record."""
    return record.recorded_by_id == actor.pk and may_at_path(actor, "talk.record", record.unit_path)


def talk_may_view_sensitive(*, actor: Actor, record: TalkRecord) -> bool:
    """Return whether ``actor`` may read ``record``'s sensitive note."""
    return may_at_path(actor, "talk.view_sensitive", record.unit_path)


def talk_cases_visible(*, actor: Actor, cases: Iterable[Case]) -> set[int]:
    """Return the ids of ``cases`` that ``actor`` may open (to link to them)."""
    ids = [case.pk for case in cases]
    if not ids:
        return set()
    visible = Case.objects.filter(pk__in=ids).filter(case_permissions.case_scope_q(actor))
    return set(visible.values_list("pk", flat=True))


def talk_record_units(actor: Actor) -> list[OrgUnit] | None:
    """Return the active units where ``actor`` may record, or None when too many to list."""
    units = list(
        permissions.units_for(actor, "talk.record")
        .filter(is_active=True)
        .order_by("path")[: UNIT_CHOICES_MAX + 1]
    )
    return units if len(units) <= UNIT_CHOICES_MAX else None


def talk_record_unit_default(actor: Actor) -> OrgUnit | None:
    """Return the unit a new record defaults to: the actor's own, when they may record there."""
    person = own_person(actor)
    if person is not None and permissions.may(actor, "talk.record", person.unit):
        return person.unit
    roots = permissions.scope_paths(actor, "talk.record")
    return permissions.units_for(actor, "talk.record").filter(path__in=roots[:1]).first()


def talk_record_unit_get(*, actor: Actor, code: str) -> OrgUnit | None:
    """Return the active unit ``code`` if ``actor`` may record there, else None."""
    return permissions.units_for(actor, "talk.record").filter(code=code, is_active=True).first()


def talk_unit_get_for(*, actor: Actor, code: str) -> OrgUnit:
    """Return the unit ``code`` if ``actor`` may see it; ``NotFound`` otherwise."""
    return org_selectors.unit_get_for(actor=actor, code=code)


def talk_people_options_for(*, actor: Actor, search: str, limit: int) -> list[Person]:
    """Return up to ``limit`` active people ``actor`` may see, by name or employee number."""
    search = search.strip()
    if not search:
        return []
    people = org_selectors.person_list_for(actor=actor).filter(is_active=True)
    exact = list(people.filter(employee_no__iexact=search)[:1])
    rest = people.filter(Q(name__contains=search) | Q(employee_no__istartswith=search)).exclude(
        pk__in=[person.pk for person in exact]
    )
    return exact + list(rest[: max(limit - len(exact), 0)])


def talk_export_job_get_for(*, actor: Actor, job_id: int) -> TalkExportJob:
    """Return ``actor``'s export job ``job_id``; ``NotFound`` for anyone else's."""
    job = (
        TalkExportJob.objects.filter(owner_id=actor.pk, pk=job_id).first()
        if actor.is_authenticated
        else None
    )
    if job is None:
        raise NotFound()
    return job


def talk_recent_by(*, actor: Actor, limit: int = 10) -> list[TalkRecord]:
    """Return the records ``actor`` wrote most recently (the entry page lists them)."""
    records = talk_list_for(actor=actor).filter(recorded_by_id=actor.pk).order_by("-created_at")
    return list(talk_with_people(records)[:limit])

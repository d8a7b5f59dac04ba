"""Records, people, pairs and requests written straight with the ORM, for the oversight tests."""

import datetime as dt
import itertools

from django.contrib.auth.models import User

from tests.org.factories import PersonFactory
from xinsheng.cases.choices import CaseStatus, CloseReason
from xinsheng.cases.models import Case, Rating
from xinsheng.cases.services import Identity, case_record
from xinsheng.org.models import OrgUnit, Person
from xinsheng.talks.models import (
    TalkCycle,
    TalkPair,
    TalkParticipant,
    TalkRecord,
    TalkRequest,
    TalkVoice,
    TierRule,
)

_receipts = itertools.count(1)


def make_people(unit: OrgUnit, count: int) -> list[Person]:
    """Create ``count`` active people in ``unit``."""
    return [PersonFactory(unit=unit) for _ in range(count)]


def make_record(
    unit: OrgUnit, people: list[Person], held_on: dt.date, *, kind: str = "talk", place: str = ""
) -> TalkRecord:
    """Write a talk or visit at ``unit`` with ``people``, as the records' service would."""
    record = TalkRecord.objects.create(
        kind=kind, unit=unit, unit_path=unit.path, held_on=held_on, place=place
    )
    for person in people:
        TalkParticipant.objects.create(
            record=record, person=person, held_on=held_on, unit_path=person.unit.path
        )
    return record


def raise_voice(record: TalkRecord, recorder: User, text: str) -> Case:
    """Record a voice raised in ``record`` as a case linked to it."""
    case = case_record(
        actor=recorder,
        unit=record.unit,
        channel=record.kind if record.kind in ("talk", "visit") else "visit",
        kind="demand",
        title="",
        text=text,
        identity=Identity(anonymous=True),
        heard_on=record.held_on,
    ).case
    TalkVoice.objects.create(record=record, case=case)
    return case


def solve(case: Case) -> Case:
    """Close ``case`` as the employee rated its answer solved."""
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, close_reason=CloseReason.RATED, answer_count=1
    )
    Rating.objects.create(
        case=case, via_case=case, answer_round=1, satisfaction="satisfied", solved=True
    )
    case.refresh_from_db()
    return case


def make_pairs(
    unit: OrgUnit, hosts: Person, people: list[Person], start: dt.date, end: dt.date, held: int
) -> TalkCycle:
    """Create a cycle with one tier and a pair per person, the first ``held`` of them held."""
    cycle = TalkCycle.objects.create(title="双向约谈", unit=unit, starts_on=start, ends_on=end)
    rule = TierRule.objects.create(name="区队长谈职工", order=1, reach="own_unit")
    for number, person in enumerate(people):
        TalkPair.objects.create(
            cycle=cycle,
            rule=rule,
            host=hosts,
            person=person,
            unit_path=person.unit.path,
            status="held" if number < held else "planned",
            held_on=start if number < held else None,
        )
    return cycle


def make_request(unit: OrgUnit, *, status: str = "requested") -> TalkRequest:
    """Create an employee's request for a talk at ``unit``."""
    number = next(_receipts)
    return TalkRequest.objects.create(
        unit=unit,
        unit_path=unit.path,
        name=f"申请人{number}",
        topic="想谈谈排班",
        channel="public",
        status=status,
        receipt_hash=f"{number:064d}",
    )

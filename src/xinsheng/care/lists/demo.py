"""The distributions and sanatorium part of the demo's assistance (帮扶), for its first company:

- this year's 春节送温暖 to the people of one mine (a few hundred), most gifts delivered;
- this year's 开斋节慰问 to the 94 Hui employees whose belief is recorded with their consent;
- this month's 生日祝福 to the people of the same mine born in this month, half delivered;
- two sanatorium batches of about 25 people each: an honour stay earlier this year (attended)
  and an occupational-health stay to come (nominated, partly confirmed), with each mine's quota.

Rows are written in bulk as the services would write them, to stay fast, with the audit events
the services would have written beside them (also in bulk), so that the history agrees.
"""

import datetime as dt
import random
from typing import Any

from django.contrib.auth.models import User

from xinsheng.care.choices import (
    BatchKind,
    Handover,
    NominationStatus,
    ProgrammeKind,
    SensitiveKind,
)
from xinsheng.care.lists.rules import eligible_people, rule_of
from xinsheng.care.models import (
    BatchQuota,
    DistributionRecipient,
    Nomination,
    Programme,
    SanatoriumBatch,
    SensitiveRecord,
)
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import UnitKind
from xinsheng.org.models import OrgUnit, Person

HUI = 94
FESTIVAL_DELIVERED = 0.9
EID_DELIVERED = 0.95
BIRTHDAYS_DELIVERED = 0.5
BATCH_PEOPLE = 25
FESTIVAL_MIN = 150


def _programme(
    company: OrgUnit, kind: str, title: str, year: int, rules: dict[str, Any]
) -> Programme:
    programme, _created = Programme.objects.get_or_create(
        unit=company,
        year=year,
        title=title,
        defaults={"kind": kind, "unit_path": company.path, "rules": rules},
    )
    return programme


def _event(by: User, action: str, obj: Any, **after: Any) -> AuditEvent:
    """Return (unsaved) the audit event the service doing ``action`` to ``obj`` writes."""
    before = after.pop("before", None)
    return AuditEvent(
        actor=by,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
    )


def _listed(programme: Programme, share: float, day: dt.date, by: User, rng: random.Random) -> int:
    """Write the programme's list from its rule, with ``share`` of the gifts delivered, and the
    audit events of building it and of each delivery."""
    rule = rule_of(programme)
    rows = []
    for person in eligible_people(rule):
        delivered = rng.random() < share
        rows.append(
            DistributionRecipient(
                programme=programme,
                person=person,
                unit_path=person.unit.path,
                item=rule.item,
                value=rule.value,
                delivered_on=day - dt.timedelta(days=rng.randint(0, 6)) if delivered else None,
                handover=rng.choice(Handover.values) if delivered else "",
                delivered_by=by if delivered else None,
            )
        )
    DistributionRecipient.objects.bulk_create(rows)
    events = [
        _event(by, "care.distribution.build", programme, added=len(rows), unit=rule.unit.code)
    ]
    events += [
        _event(
            by,
            "care.distribution.deliver",
            row,
            delivered_on=row.delivered_on.isoformat(),
            handover=row.handover,
        )
        for row in rows
        if row.delivered_on is not None
    ]
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(rows)


def _festival_unit(company: OrgUnit) -> OrgUnit:
    """Return the smallest mine of the company with at least a few hundred people."""
    mines = (
        OrgUnit.objects.filter(path__startswith=company.path, kind=UnitKind.MINE)
        .order_by("path")
        .all()
    )
    sizes = sorted(
        (Person.objects.filter(unit__path__startswith=m.path, is_active=True).count(), m.path, m)
        for m in mines
    )
    return next((m for n, _path, m in sizes if n >= FESTIVAL_MIN), company)


def load(*, union: User, company: OrgUnit, rng: random.Random, today: dt.date) -> dict[str, int]:
    """Load the distributions and batches unless a sanatorium batch exists; return counts."""
    if SanatoriumBatch.objects.filter(programme__unit=company).exists():
        return {}
    year = today.year
    spring = min(today, dt.date(year, 2, 1))
    festival = _programme(
        company,
        ProgrammeKind.DISTRIBUTION,
        f"{year}年春节送温暖",
        year,
        {"unit": _festival_unit(company).code, "item": "米面油", "value": "300"},
    )
    workers = list(
        Person.objects.filter(unit__path__startswith=company.path, is_active=True)
        .exclude(pk__in=SensitiveRecord.objects.values("person"))
        .select_related("unit")
        .order_by("employee_no")
    )
    hui = rng.sample(workers, min(HUI, len(workers)))
    SensitiveRecord.objects.bulk_create(
        SensitiveRecord(
            person=person,
            kind=SensitiveKind.RELIGION,
            value="伊斯兰教",
            consent_on=today - dt.timedelta(days=rng.randint(30, 400)),
            consent_note="本人书面同意",
            recorded_by=union,
        )
        for person in hui
    )
    eid = _programme(
        company,
        ProgrammeKind.DISTRIBUTION,
        f"{year}年开斋节慰问",
        year,
        {"religion": "伊斯兰教", "item": "牛羊肉", "value": "400"},
    )
    birthdays = _programme(
        company,
        ProgrammeKind.DISTRIBUTION,
        f"{year}年{today.month}月生日祝福",
        year,
        {
            "unit": festival.rules["unit"],
            "birth_month": today.month,
            "item": "生日蛋糕券",
            "value": "100",
        },
    )
    made = {
        "festival": _listed(festival, FESTIVAL_DELIVERED, spring, union, rng),
        "birthdays": _listed(birthdays, BIRTHDAYS_DELIVERED, today, union, rng),
        "eid": _listed(eid, EID_DELIVERED, min(today, dt.date(year, 3, 30)), union, rng),
    }
    made["nominations"] = _batches(company, union, rng, today, workers)
    return made


def _batches(
    company: OrgUnit, union: User, rng: random.Random, today: dt.date, workers: list[Person]
) -> int:
    programme = _programme(
        company, ProgrammeKind.SANATORIUM, f"{today.year}年职工疗休养", today.year, {"years": 3}
    )
    mines = list(
        OrgUnit.objects.filter(path__startswith=company.path, kind=UnitKind.MINE).order_by("path")[
            :4
        ]
    )
    past = today - dt.timedelta(days=120)
    to_come = today + dt.timedelta(days=20)
    batches = SanatoriumBatch.objects.bulk_create(
        [
            SanatoriumBatch(
                programme=programme,
                kind=BatchKind.HONOUR,
                title=f"{today.year}年劳模荣誉疗养第一批",
                starts_on=past,
                ends_on=past + dt.timedelta(days=6),
                place="北戴河职工疗养院",
                capacity=BATCH_PEOPLE + 3,
            ),
            SanatoriumBatch(
                programme=programme,
                kind=BatchKind.OCCUPATIONAL,
                title=f"{today.year}年井下职工职业健康疗养第二批",
                starts_on=to_come,
                ends_on=to_come + dt.timedelta(days=6),
                place="兴城疗养院",
                capacity=BATCH_PEOPLE + 5,
            ),
        ]
    )
    share = BATCH_PEOPLE // max(1, len(mines))
    BatchQuota.objects.bulk_create(
        BatchQuota(batch=batch, unit=mine, places=share + 1) for batch in batches for mine in mines
    )
    rows = []
    for mine in mines:
        here = [p for p in workers if p.unit.path.startswith(mine.path)]
        chosen = rng.sample(here, min(2 * share, len(here)))
        for index, person in enumerate(chosen):
            batch = batches[index % 2]
            if batch.kind == BatchKind.HONOUR:
                status = NominationStatus.ATTENDED
            else:
                status = rng.choice((NominationStatus.NOMINATED, NominationStatus.CONFIRMED))
            rows.append(
                Nomination(
                    batch=batch,
                    person=person,
                    unit_path=person.unit.path,
                    status=status,
                    nominated_by=union,
                )
            )
    Nomination.objects.bulk_create(rows)
    events = [
        _event(
            union,
            "care.sanatorium.batch",
            batch,
            capacity=batch.capacity,
            quotas={mine.code: share + 1 for mine in mines},
        )
        for batch in batches
    ]
    for row in rows:
        events.append(
            _event(union, "care.sanatorium.nominate", row, batch=row.batch_id, override_reason="")
        )
        if row.status in (NominationStatus.CONFIRMED, NominationStatus.ATTENDED):
            events.append(
                _event(
                    union,
                    "care.sanatorium.confirm",
                    row,
                    before={"status": NominationStatus.NOMINATED},
                    status=NominationStatus.CONFIRMED,
                )
            )
        if row.status == NominationStatus.ATTENDED:
            events.append(
                _event(
                    union,
                    "care.sanatorium.attend",
                    row,
                    before={"status": NominationStatus.CONFIRMED},
                    status=NominationStatus.ATTENDED,
                )
            )
    AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(rows)

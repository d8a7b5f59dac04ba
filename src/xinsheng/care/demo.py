"""The care part of the demo enterprise: the first company's hardship families and their pairs,
then its programmes and applications (``applications.demo``, as the ``union`` account).

About 121 families on file in each tier (most being helped, a few still waiting for the unit's
review or the union's approval, a few closed), about 343 cadres paired with them, and care
visits over the last months: some pairs overdue a visit, some families not yet visited this
quarter, and about 5.6万元 handed over from the cadres' own pockets besides the 送温暖基金's
money. The people are the demo's own. Rows are written in bulk, as the services would write
them (each file with its history, fund money following the file's approval), to stay fast.
"""

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Case, DateTimeField, Q, Sum, Value, When
from django.utils import timezone

from xinsheng.care.applications import demo as applications_demo
from xinsheng.care.choices import (
    FileStatus,
    HardshipReason,
    MoneySource,
    ProgrammeKind,
    Relation,
    Tier,
)
from xinsheng.care.families.selectors import months_before, visit_months
from xinsheng.care.families.services import file_values
from xinsheng.care.lists import demo as lists_demo
from xinsheng.care.models import (
    CareVisit,
    FileEvent,
    Fund,
    FundDeposit,
    HardshipFile,
    HouseholdMember,
    Pair,
    Payment,
    Programme,
)
from xinsheng.care.money.tally import tallies_recount
from xinsheng.core.periods import QUARTER, period_of
from xinsheng.org import demo as org_demo
from xinsheng.org.choices import Role, UnitKind
from xinsheng.org.models import OrgUnit, Person, RoleAssignment

FAMILIES = 121
CADRES = 343
WAITING = {FileStatus.PROPOSED: 4, FileStatus.REVIEWED: 3, FileStatus.APPROVED: 2}
CLOSED = 6
TIERS = ((Tier.EXTREME, 0.18), (Tier.HARDSHIP, 0.55), (Tier.TEMPORARY, 0.27))
PERSONAL_TOTAL = Decimal("56000")
FUND_DEPOSIT = Decimal("500000")
MONTHS = 8  # visits over this many months back
OVERDUE_SHARE = 0.08  # running pairs whose cadre has not been for longer than the setting
UNVISITED_SHARE = 0.06  # active families nobody visited this quarter
NOTES = (
    "了解家庭近况，孩子学习情况良好。",
    "妻子病情稳定，帮助联系了复查医院。",
    "送去米面油，叮嘱冬季取暖安全。",
    "老人行动不便，帮助办理了慢病卡。",
    "孩子开学在即，了解学费缺口。",
    "家中房屋漏雨，已协调维修。",
    "职工情绪乐观，希望调整到地面岗位。",
)
GOODS = (("米面油", "300"), ("棉被", "260"), ("学习用品", "150"), ("取暖煤", "500"), ("", "0"))
OCCUPATIONS = ("务农", "无业", "县一中", "矿区小学", "职业技术学院", "退休", "个体经营", "在家养病")


def demo_exists() -> bool:
    """Return whether the demo's hardship files are loaded."""
    return HardshipFile.objects.exists()


def _tier(rng: random.Random) -> str:
    draw = rng.random()
    for tier, share in TIERS:
        if draw < share:
            return tier
        draw -= share
    return Tier.HARDSHIP


def _members(rng: random.Random, person: Person, names: list[str], size: int) -> list[Any]:
    surname = person.name[:1]
    members = []
    year = timezone.localdate().year
    for index in range(size - 1):
        given = rng.choice(names)[1:] or "明"
        if index == 0 and rng.random() < 0.85:
            members.append(
                ("spouse", rng.choice(names)[:1] + given, year - rng.randint(32, 55), "")
            )
        elif index < 3:
            members.append(("child", surname + given, year - rng.randint(4, 21), ""))
        else:
            members.append(("parent", rng.choice(names), year - rng.randint(60, 82), ""))
    return [
        (relation, name, born, job or rng.choice(OCCUPATIONS))
        for relation, name, born, job in members
    ]


@transaction.atomic
def demo_load(*, seed: int = org_demo.DEFAULT_SEED) -> dict[str, int]:
    """Build the demo's hardship files unless they exist; return how many of what were made."""
    if not org_demo.demo_exists() or demo_exists():
        return {}
    admin = User.objects.filter(username="admin").first()
    company = (
        OrgUnit.objects.filter(path__startswith=org_demo.demo_group().path, kind=UnitKind.COMPANY)
        .order_by("path")
        .first()
    )
    if admin is None or company is None:
        return {}
    rng = random.Random(f"xinsheng.care.demo:{seed}")
    today = timezone.localdate()
    people = list(
        Person.objects.filter(unit__path__startswith=company.path, is_active=True)
        .select_related("unit")
        .order_by("employee_no")
    )
    cadres = [person for person in people if person.cadre_rank or person.is_manager]
    workers = [person for person in people if not (person.cadre_rank or person.is_manager)]
    if len(cadres) < CADRES:  # the group's own offices lend a hand to the first company
        cadres += list(
            Person.objects.filter(
                Q(cadre_rank__gt="") | Q(is_manager=True),
                unit__path__startswith=org_demo.demo_group().path,
                is_active=True,
            )
            .exclude(unit__path__startswith=company.path)
            .order_by("employee_no")[: CADRES - len(cadres)]
        )
    if not cadres or not workers:
        return {}
    names = [person.name for person in people]
    states = [FileStatus.ACTIVE] * FAMILIES + [s for s, n in WAITING.items() for _ in range(n)]
    states += [FileStatus.CLOSED] * CLOSED
    chosen = rng.sample(workers, min(len(states), len(workers)))

    files, member_rows = [], []
    for person, status in zip(chosen, states, strict=False):
        size = rng.choice((2, 3, 3, 4, 4, 4, 5, 6))
        per_head = rng.randint(3000, 14000)
        file = HardshipFile(
            person=person,
            unit_path=person.unit.path,
            tier=_tier(rng),
            reasons=sorted(set(rng.sample(list(HardshipReason.values[:7]), rng.randint(1, 2)))),
            household_size=size,
            household_income=Decimal(per_head * size),
            status=status,
            closed_reason="家庭收入恢复，已脱困" if status == FileStatus.CLOSED else "",
            review_due=today + dt.timedelta(days=rng.randint(-20, 330)),
            proposed_by=admin,
        )
        files.append(file)
        member_rows.append(_members(rng, person, names, size))
    HardshipFile.objects.bulk_create(files)
    household = {
        file.pk: [
            HouseholdMember(file=file, relation=r, name=n, birth_year=b, occupation=o)
            for r, n, b, o in rows
        ]
        for file, rows in zip(files, member_rows, strict=True)
    }
    HouseholdMember.objects.bulk_create(m for members in household.values() for m in members)
    assert all(r in Relation.values for rows in member_rows for r, *_ in rows)  # noqa: S101

    events, stamps, approvals = _history(files, household, admin, rng, today)
    active = [file for file in files if file.status == FileStatus.ACTIVE]
    pairs = _pairs(active, rng.sample(cadres, min(CADRES, len(cadres))), rng, today)
    fund, programmes = _money_holders(company, admin, today)
    visits, paid = _visits(active, pairs, approvals, fund, programmes, admin, rng, today)
    FileEvent.objects.filter(pk__in=stamps).update(
        at=Case(
            *(When(pk=pk, then=Value(at)) for pk, at in stamps.items()),
            output_field=DateTimeField(),
        )
    )
    made: dict[str, int] = {
        "files": len(files),
        "active": len(active),
        "events": events,
        "pairs": len(pairs),
        "cadres": len({pair.cadre_id for pair in pairs}),
        "visits": visits,
        "personal_yuan": int(paid[MoneySource.PERSONAL]),
        "fund_yuan": int(paid[MoneySource.FUND]),
    }
    union = User.objects.filter(username="union").first()
    if union is not None:
        made.update(
            applications_demo.load(
                union=union,
                reviewer=_company_reviewer(company),
                company=company,
                seed=seed,
                today=today,
            )
        )
        made.update(lists_demo.load(union=union, company=company, rng=rng, today=today))
    return made


def _company_reviewer(company: OrgUnit) -> User:
    """Return the user who reviews the company's applications as its unit head: its principal
    (given an account without a password, to sign in only once one is set)."""
    person = (
        Person.objects.filter(unit=company, is_active=True)
        .order_by("-is_principal", "employee_no")
        .select_related("user")
        .first()
    )
    if person is None:  # pragma: no cover - a demo company always has people
        raise ValueError(company)
    user = person.user
    if user is None:
        user = User(username=f"{company.code.lower()}-principal")
        user.set_unusable_password()
        user.save()
        person.user = user
        person.save(update_fields=["user"])
    RoleAssignment.objects.get_or_create(person=person, unit=company, role=Role.UNIT_HEAD)
    return user


def _history(
    files: list[HardshipFile],
    household: dict[int, list[HouseholdMember]],
    admin: User,
    rng: random.Random,
    today: dt.date,
) -> tuple[int, dict[int, dt.datetime], dict[int, FileEvent]]:
    """Write each file's steps up to its state; return the count, their times and approvals."""
    chain: dict[str, list[str]] = {
        FileStatus.PROPOSED: ["propose"],
        FileStatus.REVIEWED: ["propose", "review"],
        FileStatus.APPROVED: ["propose", "review", "approve"],
        FileStatus.ACTIVE: ["propose", "review", "approve", "activate"],
        FileStatus.CLOSED: ["propose", "review", "approve", "activate", "close"],
    }
    status_of = {
        "propose": FileStatus.PROPOSED,
        "review": FileStatus.REVIEWED,
        "approve": FileStatus.APPROVED,
        "activate": FileStatus.ACTIVE,
        "close": FileStatus.CLOSED,
    }
    rows, times = [], []
    for file in files:
        start = today - dt.timedelta(days=rng.randint(300, 720))
        if file.status in (FileStatus.PROPOSED, FileStatus.REVIEWED, FileStatus.APPROVED):
            start = today - dt.timedelta(days=rng.randint(3, 20))
        values = file_values(file, household[file.pk])
        day = start
        for action in chain[file.status]:
            rows.append(
                FileEvent(
                    file=file,
                    action=action,
                    status=status_of[action],
                    values=values,
                    reason=file.closed_reason if action == "close" else "",
                    actor=admin,
                )
            )
            times.append(timezone.make_aware(dt.datetime.combine(day, dt.time(9 + len(rows) % 8))))
            day = min(today, day + dt.timedelta(days=rng.randint(2, 12)))
    FileEvent.objects.bulk_create(rows)
    stamps = {event.pk: at for event, at in zip(rows, times, strict=True)}
    approvals = {event.file_id: event for event in rows if event.action == "approve"}
    return len(rows), stamps, approvals


def _pairs(
    files: list[HardshipFile], cadres: list[Person], rng: random.Random, today: dt.date
) -> list[Pair]:
    """Pair every cadre with a family, round the families, two or three to a family."""
    pairs = []
    for index, cadre in enumerate(cadres):
        file = files[index % len(files)]
        pairs.append(
            Pair(
                file=file,
                cadre=cadre,
                starts_on=today - dt.timedelta(days=rng.randint(200, 400)),
            )
        )
    return Pair.objects.bulk_create(pairs)


def _money_holders(
    company: OrgUnit, admin: User, today: dt.date
) -> tuple[Fund, dict[int, Programme]]:
    fund, _created = Fund.objects.get_or_create(
        unit=company, name="送温暖基金", defaults={"unit_path": company.path}
    )
    FundDeposit.objects.create(
        fund=fund, amount=FUND_DEPOSIT, received_on=today.replace(month=1, day=1), actor=admin
    )
    programmes = {}
    for year in sorted({today.year, months_before(today, MONTHS).year}):
        programmes[year], _created = Programme.objects.get_or_create(
            unit=company,
            year=year,
            title=f"{year}年困难职工帮扶",
            defaults={
                "kind": ProgrammeKind.HARDSHIP,
                "unit_path": company.path,
                "fund": fund,
                "needs_unit_review": True,
            },
        )
    return fund, programmes


def _visits(
    files: list[HardshipFile],
    pairs: list[Pair],
    approvals: dict[int, FileEvent],
    fund: Fund,
    programmes: dict[int, Programme],
    admin: User,
    rng: random.Random,
    today: dt.date,
) -> tuple[int, dict[str, Decimal]]:
    """Visit the families over the last months; a few pairs lag, a few families wait."""
    quarter = period_of(QUARTER, today)
    lag_before = months_before(today, visit_months() + 1)
    by_file: dict[int, list[Pair]] = {}
    for pair in pairs:
        by_file.setdefault(pair.file_id, []).append(pair)
    first = months_before(today, MONTHS)
    visits: list[CareVisit] = []
    visitors: list[tuple[int, list[int]]] = []
    for file in files:
        unvisited = rng.random() < UNVISITED_SHARE
        for pair in by_file.get(file.pk, []):
            lagging = rng.random() < OVERDUE_SHARE
            end = lag_before if lagging else today
            if unvisited and not lagging:
                end = min(end, quarter.start - dt.timedelta(days=1))
            day = first + dt.timedelta(days=rng.randint(0, 40))
            while day <= end:
                goods, value = rng.choice(GOODS)
                visits.append(
                    CareVisit(
                        file=file,
                        unit_path=file.unit_path,
                        visited_on=day,
                        goods=goods,
                        goods_value=Decimal(value),
                        note=rng.choice(NOTES),
                        recorded_by=admin,
                    )
                )
                visitors.append((len(visits) - 1, [pair.cadre_id]))
                day += dt.timedelta(days=rng.randint(45, 80))
    CareVisit.objects.bulk_create(visits)
    through = CareVisit.visitors.through
    through.objects.bulk_create(
        through(carevisit_id=visits[index].pk, person_id=person_id)
        for index, people in visitors
        for person_id in people
    )
    return len(visits), _payments(visits, files, approvals, fund, programmes, admin, rng)


def _payments(
    visits: list[CareVisit],
    files: list[HardshipFile],
    approvals: dict[int, FileEvent],
    fund: Fund,
    programmes: dict[int, Programme],
    admin: User,
    rng: random.Random,
) -> dict[str, Decimal]:
    """Hand money over at some visits: cadres' own pockets up to about 5.6万元, and fund money
    at the festivals, following each file's approval."""
    people = {file.pk: file.person for file in files}
    rows = []
    personal = Decimal("0")
    shuffled = rng.sample(visits, len(visits))
    for visit in shuffled:
        if personal >= PERSONAL_TOTAL:
            break
        amount = Decimal(rng.choice((200, 300, 300, 500, 500, 800, 1000)))
        amount = min(amount, PERSONAL_TOTAL - personal)
        personal += amount
        rows.append((visit, amount, MoneySource.PERSONAL))
    for visit in shuffled[len(rows) : len(rows) + len(files)]:
        rows.append((visit, Decimal(rng.choice((500, 800, 1000, 2000))), MoneySource.FUND))
    Payment.objects.bulk_create(
        Payment(
            programme=programmes.get(visit.visited_on.year) or next(iter(programmes.values())),
            person=people[visit.file_id],
            unit_path=visit.unit_path,
            amount=amount,
            source=source,
            fund=fund if source == MoneySource.FUND else None,
            paid_on=visit.visited_on,
            visit=visit,
            file_approval=approvals[visit.file_id] if source == MoneySource.FUND else None,
            note="干部个人慰问金" if source == MoneySource.PERSONAL else "走访慰问金",
            actor=admin,
        )
        for visit, amount, source in rows
        if amount > 0
    )
    tallies_recount([programme.pk for programme in programmes.values()])  # written in bulk
    totals = dict(
        Payment.objects.filter(visit__isnull=False)
        .values_list("source")
        .annotate(total=Sum("amount"))
        .values_list("source", "total")
    )
    return {
        MoneySource.PERSONAL: totals.get(MoneySource.PERSONAL, Decimal("0")),
        MoneySource.FUND: totals.get(MoneySource.FUND, Decimal("0")),
    }


def demo_report(*, summary: dict[str, Any] | None, seed: int) -> str:
    """Return the console's line about the hardship files just loaded (nothing when before)."""
    made = (summary or {}).get("care")
    if not made:
        return ""
    return (
        f"Hardship families: {made.get('files', 0)} on file ({made.get('active', 0)} helped), "
        f"{made.get('cadres', 0)} cadres paired, {made.get('visits', 0)} care visits, "
        f"{made.get('personal_yuan', 0)} yuan from cadres' own pockets; "
        f"{made.get('festival', 0)} festival gifts, {made.get('eid', 0)} on the Eid list, "
        f"{made.get('nominations', 0)} sanatorium nominations; "
        f"http://127.0.0.1:8000/care/families/"
    )

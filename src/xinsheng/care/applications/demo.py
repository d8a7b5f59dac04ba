"""The programmes-and-applications part of the demo enterprise's assistance (帮扶):

- last year's 金秋助学 round: 80 students, 20万元, paid after a five-day public notice, with a
  follow-up visit each term (a few of the spring visits never made: flagged overdue);
- this year's round: 107 students (the university students of last year renewed, the rest new
  entrants), 25.6万元, with its notice, a few applications refused with their reasons, and the
  autumn term's visits partly made;
- this year's 大病救助: 54 employees relieved, 19.1万元 in all, computed from the rules out of
  their costs and what insurance paid, and three cases still waiting (two past their deadline:
  the 三不让 pledge indicator).

Everything is written through the services, by a union officer (``union``: care.propose,
care.approve, care.pay, care.manage at ``company``) and a reviewer (``reviewer``: care.review
over the employees); only the times are moved afterwards to the days the steps were taken.
"""

import datetime as dt
import random
from collections import Counter
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet

from xinsheng.care.applications import follow_ups, notices, services
from xinsheng.care.applications.programmes import ProgrammeData, programme_create
from xinsheng.care.choices import ProgrammeKind
from xinsheng.care.models import Application, ApplicationEvent, FollowUp, Fund, Programme
from xinsheng.care.money import services as money
from xinsheng.org.models import OrgUnit, Person

FUND_NAME = "助学救助基金"
AMOUNTS = {"postgraduate": "5000", "undergraduate": "3000", "junior_college": "2000"}
AMOUNTS_NOW = {**AMOUNTS, "vocational": "1000"}
# (level, students): last year 40 × 3000 + 40 × 2000 = 20万; this year 52 × 3000 + 45 × 2000
# + 10 × 1000 = 25.6万, of which 40 university and 10 college students are renewals.
LAST_YEAR = (("undergraduate", 40), ("junior_college", 40))
THIS_YEAR_NEW = (("undergraduate", 12), ("junior_college", 35), ("vocational", 10))
RENEWED = {"undergraduate": 40, "junior_college": 10}
RELIEF_PEOPLE = 54
# Last year 80 + 2 refused, this year 57 new + 3 refused, relief 54 + 3 waiting.
PEOPLE_NEEDED = 199
RELIEF_TOTAL = Decimal("191000")
RELIEF_RULES = {"threshold": "5000", "rate": "0.5", "cap": "15000"}
SCHOOLS = {
    "undergraduate": ("中国矿业大学", "太原理工大学", "山西大学", "河南理工大学", "安徽理工大学"),
    "junior_college": ("山西煤炭职业技术学院", "山西工程职业学院", "晋中职业技术学院"),
    "vocational": ("煤炭工业学校", "市职业中专"),
}
GIVEN = ("浩然", "子涵", "欣怡", "宇轩", "梓萱", "晨阳", "雨桐", "思远", "佳怡", "博文", "一诺")
DIAGNOSES = (
    ("恶性肿瘤", "市人民医院", "手术后化疗六个疗程"),
    ("尿毒症", "省人民医院", "规律透析，等待肾移植"),
    ("尘肺病", "职业病防治院", "肺灌洗治疗两次"),
    ("重度颅脑损伤", "市第二人民医院", "开颅手术，康复治疗中"),
    ("急性白血病", "省肿瘤医院", "化疗，等待骨髓移植"),
    ("冠心病", "市中心医院", "心脏支架手术"),
)
REFUSALS = ("家庭人均收入高于申请标准", "已享受其他助学金资助", "申请材料不全，逾期未补交")


class _Loader:
    def __init__(self, union: User, reviewer: User, rng: random.Random, today: dt.date) -> None:
        self.union = union
        self.reviewer = reviewer
        self.rng = rng
        self.today = today
        self.counts: Counter[str] = Counter()
        self.stamps: list[tuple[int, dict[str, dt.date]]] = []

    def day(self, value: dt.date) -> dt.date:
        return min(value, self.today)

    def student(self, person: Person, level: str, admission_year: int) -> dict[str, Any]:
        return {
            "child_name": person.name[0] + self.rng.choice(GIVEN),
            "school": self.rng.choice(SCHOOLS[level]),
            "level": level,
            "admission_year": admission_year,
        }

    def round(
        self,
        programme: Programme,
        students: list[tuple[Person, dict[str, Any] | Application]],
        refused: list[tuple[Person, str]],
    ) -> list[Application]:
        """Take ``students`` through the chain (new data, or last year's application to
        renew), refuse ``refused`` with reasons, publish the notice and pay."""
        year = programme.year
        submitted = self.day(dt.date(year, 8, 20))
        notice_start = self.day(dt.date(year, 9, 1))
        paid_on = self.day(dt.date(year, 9, 12))
        made: list[Application] = []
        for person, what in students:
            if isinstance(what, Application):
                application = services.application_renew(actor=self.union, application=what)
            else:
                application = services.application_submit(
                    actor=self.union, programme=programme, person=person, data=what
                )
            services.application_review(actor=self.reviewer, application=application)
            services.application_approve(actor=self.union, application=application)
            made.append(application)
        for person, reason in refused:
            data = self.student(person, "undergraduate", year)
            application = services.application_submit(
                actor=self.union, programme=programme, person=person, data=data
            )
            services.application_reject(actor=self.reviewer, application=application, reason=reason)
            self.stamp(application, submitted)
            self.counts["refused"] += 1
        notice = notices.notice_publish(
            actor=self.union, programme=programme, starts_on=notice_start
        )
        notices.notice_close(actor=self.union, notice=notice, today=self.today)
        for application in made:
            services.application_pay(actor=self.union, application=application, paid_on=paid_on)
            self.stamp(application, submitted, notice=notice_start, paid=paid_on)
        self.counts["students"] += len(made)
        self.counts["notices"] += 1
        return made

    def visits(self, applications: list[Application], *, missed: int) -> None:
        """Make each term's visit that is due by now, but for ``missed`` of the last term's."""
        skip = {a.pk for a in self.rng.sample(applications, min(missed, len(applications)))}
        for follow_up in FollowUp.objects.filter(application__in=applications).order_by("due_on"):
            done = follow_up.due_on - dt.timedelta(days=self.rng.randint(5, 40))
            last_term = follow_up.due_on >= self.today - dt.timedelta(days=200)
            if done > self.today or (last_term and follow_up.application_id in skip):
                continue
            if follow_up.due_on > self.today and self.rng.random() < 0.6:
                continue  # the coming term's visits, partly made already
            follow_ups.follow_up_record(
                actor=self.union,
                follow_up=follow_up,
                done_on=done,
                note=self.rng.choice(
                    (
                        "学习生活正常，成绩中上",
                        "已适应大学生活，勤工俭学",
                        "成绩优良，获校三等奖学金",
                    )
                ),
            )
            self.counts["follow_ups_done"] += 1

    def stamp(
        self,
        application: Application,
        submitted: dt.date,
        *,
        notice: dt.date | None = None,
        paid: dt.date | None = None,
    ) -> None:
        days = {
            "submit": submitted,
            "review": submitted + dt.timedelta(days=3),
            "approve": submitted + dt.timedelta(days=6),
            "reject": submitted + dt.timedelta(days=3),
        }
        if notice is not None:
            days["notice"] = notice
            days["notice_end"] = notice + dt.timedelta(days=5)
        if paid is not None:
            days["pay"] = paid
        self.stamps.append((application.pk, {k: self.day(v) for k, v in days.items()}))

    def restamp(self) -> None:
        """Move the rows' times to the days the steps were taken (the services wrote now)."""
        zone = dt.timezone(dt.timedelta(hours=8))
        # One update for all the rows of a day (and an action): most share their days.
        created: dict[dt.date, list[int]] = {}
        moved: dict[tuple[str, dt.date], list[int]] = {}
        for pk, days in self.stamps:
            created.setdefault(days["submit"], []).append(pk)
            for action, day in days.items():
                moved.setdefault((action, day), []).append(pk)
        for day, pks in created.items():
            at = dt.datetime.combine(day, dt.time(9, 30), zone)
            Application.objects.filter(pk__in=pks).update(created_at=at)
        for (action, day), pks in moved.items():
            ApplicationEvent.objects.filter(application_id__in=pks, action=action).update(
                at=dt.datetime.combine(day, dt.time(10, 0), zone)
            )


def _people(company: OrgUnit) -> QuerySet[Person]:
    return (
        Person.objects.filter(unit__path__startswith=company.path, is_active=True)
        .exclude(unit=company)
        .select_related("unit")
        .order_by("employee_no")
    )


def _fund(union: User, company: OrgUnit, today: dt.date) -> Fund:
    fund = Fund.objects.filter(unit=company, name=FUND_NAME).first()
    if fund is None:
        fund = money.fund_create(
            actor=union, unit=company, name=FUND_NAME, note="工会助学和大病救助专项资金"
        )
        money.fund_deposit(
            actor=union,
            fund=fund,
            amount="1000000",
            received_on=dt.date(today.year - 2, 12, 28),
            note="年度工会经费划拨",
        )
    return fund


def _programme(
    union: User, company: OrgUnit, fund: Fund, kind: str, title: str, year: int, **extra: Any
) -> Programme:
    data = ProgrammeData(kind=kind, title=title, year=year, fund=fund, **extra)
    return programme_create(actor=union, unit=company, data=data)


def _relief_amounts(rng: random.Random) -> list[Decimal]:
    amounts = [Decimal(rng.randrange(1500, 7001, 100)) for _ in range(RELIEF_PEOPLE)]
    gap = RELIEF_TOTAL - sum(amounts)
    step = Decimal(100) if gap > 0 else Decimal(-100)
    index = 0
    while gap != 0:
        if Decimal(1000) <= amounts[index] + step <= Decimal(14000):
            amounts[index] += step
            gap -= step
        index = (index + 1) % RELIEF_PEOPLE
    return amounts


def _relief(loader: _Loader, programme: Programme, people: list[Person]) -> None:
    rng, today = loader.rng, loader.today
    start = dt.date(programme.year, 1, 10)
    span = max((today - dt.timedelta(days=40) - start).days, 1)
    for person, relief in zip(people, _relief_amounts(rng), strict=False):
        own = Decimal(RELIEF_RULES["threshold"]) + relief * 2
        covered = Decimal(rng.randrange(45, 71)) / 100
        costs = (own / (1 - covered)).quantize(Decimal("1"))
        diagnosis, hospital, details = rng.choice(DIAGNOSES)
        application = services.application_submit(
            actor=loader.union,
            programme=programme,
            person=person,
            data={
                "costs": str(costs),
                "insurance_paid": str(costs - own),
                "diagnosis": diagnosis,
                "hospital": hospital,
                "medical_details": details,
            },
        )
        services.application_review(actor=loader.reviewer, application=application)
        services.application_approve(actor=loader.union, application=application)
        submitted = start + dt.timedelta(days=rng.randrange(span))
        paid = loader.day(submitted + dt.timedelta(days=12))
        services.application_pay(actor=loader.union, application=application, paid_on=paid)
        loader.stamp(application, submitted, paid=paid)
        loader.counts["relief_paid"] += 1
        loader.counts["relief_amount"] += int(relief)
    # Three still waiting: two of them past their deadline (the pledge indicator).
    for index, person in enumerate(people[RELIEF_PEOPLE : RELIEF_PEOPLE + 3]):
        own = Decimal(RELIEF_RULES["threshold"]) + Decimal(rng.randrange(4000, 12001, 500))
        diagnosis, hospital, details = rng.choice(DIAGNOSES)
        application = services.application_submit(
            actor=loader.union,
            programme=programme,
            person=person,
            data={
                "costs": str(own * 2),
                "insurance_paid": str(own),
                "diagnosis": diagnosis,
                "hospital": hospital,
                "medical_details": details,
            },
        )
        if index < 2:
            submitted = today - dt.timedelta(days=30 + 7 * index)
            loader.stamp(application, submitted)
            Application.objects.filter(pk=application.pk).update(
                decide_by=submitted + dt.timedelta(days=14)
            )
        loader.counts["relief_waiting"] += 1


def load(
    *,
    union: User,
    reviewer: User,
    company: OrgUnit,
    seed: int = 0,
    today: dt.date | None = None,
) -> dict[str, int]:
    """Build the programmes and applications of ``company`` unless they exist; return how many
    of what were made (empty when they existed or the company has too few employees)."""
    today = today or dt.date.today()
    current = today.year if today >= dt.date(today.year, 9, 25) else today.year - 1
    if Programme.objects.filter(
        unit=company, year=current, kind=ProgrammeKind.STUDENT_AID
    ).exists():
        return {}
    people = list(_people(company))
    if len(people) < PEOPLE_NEEDED:
        return {}
    rng = random.Random(f"xinsheng.care.applications.demo:{seed}")
    rng.shuffle(people)
    loader = _Loader(union, reviewer, rng, today)
    fund = _fund(union, company, today)
    chain = {"needs_unit_review": True, "needs_union_approval": True, "notice_days": 5}

    before = _programme(
        union,
        company,
        fund,
        ProgrammeKind.STUDENT_AID,
        "金秋助学",
        current - 1,
        budget="200000",
        rules={"amounts": AMOUNTS, "mask": "surname"},
        **chain,
    )
    now = _programme(
        union,
        company,
        fund,
        ProgrammeKind.STUDENT_AID,
        "金秋助学",
        current,
        budget="260000",
        rules={"amounts": AMOUNTS_NOW, "mask": "surname"},
        **chain,
    )
    relief = _programme(
        union,
        company,
        fund,
        ProgrammeKind.ILLNESS_RELIEF,
        "大病救助",
        current,
        budget="250000",
        rules=RELIEF_RULES,
        decide_within=10,
    )
    seats = iter(people)
    last: list[tuple[Person, dict[str, Any] | Application]] = []
    for level, n in LAST_YEAR:
        for _ in range(n):
            person = next(seats)
            last.append((person, loader.student(person, level, current - 1)))
    refused_before = [(next(seats), reason) for reason in REFUSALS[:2]]
    paid_before = loader.round(before, last, refused_before)
    loader.visits(paid_before, missed=6)

    renewals: list[tuple[Person, dict[str, Any] | Application]] = []
    for level, n in RENEWED.items():
        chosen = [a for a in paid_before if a.details["level"] == level][:n]
        renewals.extend((a.person, a) for a in chosen)
    new: list[tuple[Person, dict[str, Any] | Application]] = []
    for level, n in THIS_YEAR_NEW:
        for _ in range(n):
            person = next(seats)
            new.append((person, loader.student(person, level, current)))
    refused_now = [(next(seats), reason) for reason in REFUSALS]
    paid_now = loader.round(now, renewals + new, refused_now)
    loader.visits(paid_now, missed=0)

    _relief(loader, relief, [next(seats) for _ in range(RELIEF_PEOPLE + 3)])
    loader.restamp()
    counts = dict(loader.counts)
    counts["programmes"] = 3
    return counts

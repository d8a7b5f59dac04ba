"""The talks part of the demo enterprise: a quarter of 双向约谈, months of talks and visits, a few
requests for a talk, meetings with their rectification items, and two supervision groups.

Everything is written through the services, as the demo's administrator, so that the records,
cases, pairs and audit rows are those a real installation would have; the many held pairs of the
cycle, each a talk of one host with one person, are written in bulk with the same rows (records,
hosts, people, the pairs marked held, their audit rows). Only the times are moved
afterwards, as ``cases.demo`` does, to the days the talks were held: a voice raised in a talk in
September came in in September, and those older than three weeks went round the loop (accepted,
dispatched, signed, answered, rated) in the days after. The first company's mines are reached
unevenly (``coverage`` in ``demo_texts.toml``): the last one lags behind, and its supervision
group sends it a notice.
"""

import datetime as dt
import functools
import random
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from xinsheng.cases import services as case_services
from xinsheng.cases.models import Case, CaseEvent, Category, Rating
from xinsheng.core.models import AuditEvent
from xinsheng.core.notifications import notifications_suppressed
from xinsheng.core.periods import QUARTER, period_of
from xinsheng.core.progress import progress_report
from xinsheng.core.ratings import Satisfaction
from xinsheng.org import demo as org_demo
from xinsheng.org.choices import CadreRank, Role, UnitKind
from xinsheng.org.models import OrgUnit, Person, RoleAssignment
from xinsheng.talks import aggregates
from xinsheng.talks.choices import Direction, MeetingKind, PairStatus, Place, TalkKind
from xinsheng.talks.cycles import services as cycle_services
from xinsheng.talks.meetings import services as meeting_services
from xinsheng.talks.models import TalkCycle, TalkHost, TalkPair, TalkParticipant, TalkRecord
from xinsheng.talks.records.checks import PeopleFinder, TalkInput, VoiceInput
from xinsheng.talks.records.services import talk_record_create
from xinsheng.talks.requests import services as request_services
from xinsheng.talks.supervision import services as supervision_services

TEXTS_FILE = Path(__file__).with_name("demo_texts.toml")
LOOP_AFTER_DAYS = 21  # voices raised longer ago than this have been answered and rated
VOICE_SHARE = 0.12  # of talks and team visits, those where someone raised a voice
HOME_VISITS_PER_MINE = 14


@dataclass(frozen=True)
class VoiceText:
    category: str
    text: str
    answer: str


@dataclass(frozen=True)
class MeetingText:
    kind: str
    title: str
    attendance: int
    topics: str
    findings: tuple[str, ...]
    hot_topics: tuple[str, ...]


@dataclass(frozen=True)
class Texts:
    coverage: tuple[float, ...]
    days: int
    team_visit_summaries: tuple[str, ...]
    talk_summaries: tuple[str, ...]
    home_visit_summaries: tuple[str, ...]
    sensitive_notes: tuple[str, ...]
    tags: tuple[str, ...]
    voices: tuple[VoiceText, ...]
    meetings: tuple[MeetingText, ...]


@functools.cache
def texts() -> Texts:
    """Return the demo's texts, read once from ``demo_texts.toml``."""
    data: dict[str, Any] = tomllib.loads(TEXTS_FILE.read_text(encoding="utf-8"))
    return Texts(
        coverage=tuple(data["coverage"]),
        days=int(data["days"]),
        team_visit_summaries=tuple(data["team_visit_summaries"]),
        talk_summaries=tuple(data["talk_summaries"]),
        home_visit_summaries=tuple(data["home_visit_summaries"]),
        sensitive_notes=tuple(data["sensitive_notes"]),
        tags=tuple(data["tags"]),
        voices=tuple(VoiceText(**voice) for voice in data["voices"]),
        meetings=tuple(
            MeetingText(
                kind=meeting["kind"],
                title=meeting["title"],
                attendance=int(meeting["attendance"]),
                topics=meeting["topics"],
                findings=tuple(meeting["findings"]),
                hot_topics=tuple(meeting.get("hot_topics", ())),
            )
            for meeting in data["meetings"]
        ),
    )


@dataclass
class Loop:
    """A voice raised in a talk, to be taken round the loop once every record is written."""

    case: Case
    receipt: str
    voice: VoiceText
    held_on: dt.date
    mine: OrgUnit


class Builder:
    """Writes one mine's talks and visits through the services, as the administrator."""

    def __init__(self, admin: User, rng: random.Random, today: dt.date) -> None:
        self.admin = admin
        self.rng = rng
        self.today = today
        self.finder = PeopleFinder(admin)
        self.loops: list[Loop] = []
        self.written: list[TalkRecord] = []
        self.counts: Counter[str] = Counter()

    def day(self, earliest: dt.date | None = None) -> dt.date:
        """Return a working day of the last months (after ``earliest`` when given)."""
        first = max(earliest or dt.date.min, self.today - dt.timedelta(days=texts().days))
        span = max((self.today - first).days, 1)
        day = first + dt.timedelta(days=self.rng.randrange(span))
        while day.weekday() == 6 and day > first:  # hardly anyone on a Sunday
            day -= dt.timedelta(days=1)
        return min(day, self.today - dt.timedelta(days=1))

    def team_hosts(self, leaders: list[Person], cadres: list[Person]) -> list[Person]:
        """Return who visits a team: a mine leader, with a cadre of the mine when there is one."""
        return [self.rng.choice(leaders), *self.rng.sample(cadres, k=min(1, len(cadres)))]

    def record(
        self,
        *,
        kind: str,
        unit: OrgUnit,
        held_on: dt.date,
        hosts: Sequence[Person],
        people: Sequence[Person],
        place: str,
        summary: str,
        mine: OrgUnit,
        tags: Sequence[str] = (),
        sensitive_note: str = "",
        voice: bool = False,
    ) -> TalkRecord:
        voices: list[VoiceInput] = []
        chosen: VoiceText | None = None
        if voice:
            chosen = self.rng.choice(texts().voices)
            speaker = self.rng.choice(list(people))
            voices.append(
                VoiceInput(
                    text=chosen.text,
                    anonymous=self.rng.random() < 0.25,
                    employee_no=speaker.employee_no,
                )
            )
        recorded = talk_record_create(
            actor=self.admin,
            data=TalkInput(
                kind=kind,
                unit=unit,
                held_on=held_on,
                person_employee_nos=[person.employee_no for person in people],
                host_employee_nos=[host.employee_no for host in hosts],
                place=place,
                direction=Direction.INITIATED,
                summary=summary,
                tags=list(tags),
                sensitive_note=sensitive_note,
                voices=voices,
            ),
            finder=self.finder,
        )
        self.written.append(recorded.record)
        self.counts[kind] += 1
        self.counts["person_times"] += len(people)
        if chosen is not None:
            case = Case.objects.get(case_no=recorded.case_nos[0])
            self.loops.append(Loop(case, recorded.receipt_codes[0], chosen, held_on, mine))
            self.counts["voices"] += 1
        return recorded.record

    def mine(self, mine: OrgUnit, share: float) -> None:
        """Reach ``share`` of the mine's people: team visits first, then talks, then homes."""
        people = list(
            Person.objects.filter(unit__path__startswith=mine.path, is_active=True)
            .select_related("unit")
            .order_by("employee_no")
        )
        leaders = [p for p in people if p.cadre_rank == CadreRank.MINE_LEADER] or people[:1]
        cadres = [
            p for p in people if p.cadre_rank in {CadreRank.SECTION, CadreRank.DEPUTY_SECTION}
        ]
        by_unit: dict[int, list[Person]] = {}
        for person in people:
            by_unit.setdefault(person.unit_id, []).append(person)
        teams = list(
            OrgUnit.objects.filter(path__startswith=mine.path, kind=UnitKind.TEAM, is_active=True)
        )
        self.rng.shuffle(teams)
        parents = dict(
            OrgUnit.objects.filter(path__startswith=mine.path).values_list("path", "kind")
        )
        target = int(len(people) * share)
        reached: set[int] = set()
        summaries = texts()
        for team in teams:
            members = by_unit.get(team.pk, [])
            if not members or len(reached) >= target * 0.85:
                continue
            underground = parents.get(team.path[: -OrgUnit.steplen]) == UnitKind.AREA
            for _visit in range(1 + int(self.rng.random() < 0.3)):  # some teams twice
                self.record(
                    kind=TalkKind.VISIT,
                    unit=team,
                    held_on=self.day(),
                    hosts=[
                        self.rng.choice(leaders),
                        *self.rng.sample(cadres, k=min(1, len(cadres))),
                    ],
                    people=members,
                    place=Place.UNDERGROUND if underground else Place.WORKSHOP,
                    summary=self.rng.choice(summaries.team_visit_summaries),
                    mine=mine,
                    voice=self.rng.random() < VOICE_SHARE,
                )
            reached.update(person.pk for person in members)
        others = [p for p in people if p.pk not in reached]
        self.rng.shuffle(others)
        while others and len(reached) < target:
            group = [others.pop() for _ in range(min(len(others), self.rng.randint(1, 3)))]
            host = self.rng.choice(leaders + cadres)
            self.record(
                kind=TalkKind.TALK,
                unit=group[0].unit,
                held_on=self.day(),
                hosts=[host] if host not in group else [self.rng.choice(leaders)],
                people=[p for p in group if p != host] or group,
                place=Place.OFFICE,
                summary=self.rng.choice(summaries.talk_summaries),
                tags=self.rng.sample(summaries.tags, k=1),
                mine=mine,
                voice=self.rng.random() < VOICE_SHARE,
            )
            reached.update(person.pk for person in group)
        for number in range(HOME_VISITS_PER_MINE):
            person = self.rng.choice(people)
            hardship = number % 3 == 0
            self.record(
                kind=TalkKind.HOME_VISIT,
                unit=person.unit,
                held_on=self.day(),
                hosts=[self.rng.choice(leaders)],
                people=[person],
                place=Place.HOME,
                summary=self.rng.choice(summaries.home_visit_summaries),
                tags=["家庭困难"] if hardship else ["身体健康"],
                sensitive_note=self.rng.choice(summaries.sensitive_notes) if hardship else "",
                mine=mine,
            )

    def offices(self, company: OrgUnit) -> None:
        """Talk with the staff of each of the company's offices, one office at a time."""
        leaders = list(
            Person.objects.filter(unit=company, cadre_rank=CadreRank.MINE_LEADER, is_active=True)
        )
        if not leaders:
            return
        offices = _children(company).filter(kind=UnitKind.DEPARTMENT, is_active=True)
        for office in offices:
            staff = list(Person.objects.filter(unit=office, is_active=True).order_by("employee_no"))
            if staff:
                self.record(
                    kind=TalkKind.TALK,
                    unit=office,
                    held_on=self.day(),
                    hosts=[self.rng.choice(leaders)],
                    people=staff,
                    place=Place.OFFICE,
                    summary=self.rng.choice(texts().talk_summaries),
                    mine=company,
                )

    def stamp(self) -> None:
        """Date each record as written on the evening of its talk."""
        for record in self.written:
            record.created_at = _at(record.held_on, 19, 30)
        TalkRecord.objects.bulk_update(self.written, ["created_at"], batch_size=500)

    def pairs_held(self, cycle: TalkCycle, mine: OrgUnit, share: float) -> None:
        """Hold ``share`` of the cycle's pairs in ``mine``, each with the talk that was had.

        The talks are in the past, so they are written in bulk: each pair's record with its host
        and person, the pair marked held with it, and the audit rows ``talk_record_create`` and
        ``pair_hold`` write.
        """
        pairs = list(
            TalkPair.objects.filter(
                cycle=cycle, unit_path__startswith=mine.path, status=PairStatus.PLANNED
            ).select_related("host__unit", "person__unit")
        )
        self.rng.shuffle(pairs)
        held = pairs[: int(len(pairs) * share)]
        records = []
        for pair in held:
            held_on = self.day(earliest=cycle.starts_on)
            if not cycle.starts_on <= held_on < self.today:
                raise ValueError(f"a pair held on {held_on}, outside its cycle")
            records.append(
                TalkRecord(
                    kind=TalkKind.TALK,
                    unit=pair.person.unit,
                    unit_path=pair.person.unit.path,
                    held_on=held_on,
                    place=Place.OFFICE,
                    direction=Direction.INITIATED,
                    summary=self.rng.choice(texts().talk_summaries).strip(),
                    tags=[],
                    recorded_by_id=self.admin.pk,
                )
            )
        TalkRecord.objects.bulk_create(records)
        TalkHost.objects.bulk_create(
            TalkHost(record=record, person=pair.host)
            for pair, record in zip(held, records, strict=True)
        )
        TalkParticipant.objects.bulk_create(
            TalkParticipant(
                record=record,
                person=pair.person,
                held_on=record.held_on,
                unit_path=pair.person.unit.path,
            )
            for pair, record in zip(held, records, strict=True)
        )
        now = timezone.now()
        for pair, record in zip(held, records, strict=True):
            pair.held_on, pair.record, pair.status = record.held_on, record, PairStatus.HELD
            pair.updated_at = now
        TalkPair.objects.bulk_update(held, ["status", "held_on", "record", "updated_at"])
        AuditEvent.objects.bulk_create(
            [
                *(
                    AuditEvent(
                        actor=self.admin,
                        action="talk.record",
                        object_type=TalkRecord._meta.label_lower,
                        object_id=str(record.pk),
                        after=_snapshot(record, host=pair.host, person=pair.person),
                    )
                    for pair, record in zip(held, records, strict=True)
                ),
                *(
                    AuditEvent(
                        actor=self.admin,
                        action="talk.pair.held",
                        object_type=TalkPair._meta.label_lower,
                        object_id=str(pair.pk),
                        before={"status": PairStatus.PLANNED},
                        after={
                            "status": PairStatus.HELD,
                            "held_on": record.held_on.isoformat(),
                            "record": record.pk,
                        },
                    )
                    for pair, record in zip(held, records, strict=True)
                ),
            ]
        )
        self.written += records
        self.counts[TalkKind.TALK] += len(records)
        self.counts["person_times"] += len(records)
        self.counts["pairs_held"] += len(records)


def _snapshot(record: TalkRecord, *, host: Person, person: Person) -> dict[str, Any]:
    """Return what ``talk_record_create`` audits of a record of one host and one person."""
    return {
        "kind": record.kind,
        "unit": record.unit.code,
        "held_on": record.held_on.isoformat(),
        "place": record.place,
        "place_note": record.place_note,
        "direction": record.direction,
        "summary": record.summary,
        "tags": list(record.tags),
        "sensitive_note": bool(record.sensitive_note),
        "hosts": [host.employee_no],
        "people": [person.employee_no],
        "cases": [],
    }


def _children(unit: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by("path")


# --- the loop, in the days after each talk --------------------------------------------------------


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _handler_at(mine: OrgUnit) -> RoleAssignment | None:
    return (
        RoleAssignment.objects.filter(role=Role.HANDLER, unit__path__startswith=mine.path)
        .select_related("person__user", "unit")
        .order_by("id")
        .first()
    )


def _dispatcher_over(unit: OrgUnit) -> User | None:
    for assignment in RoleAssignment.objects.filter(role=Role.DISPATCHER).select_related(
        "person__user", "unit"
    ):
        if unit.path.startswith(assignment.unit.path) and assignment.person.user is not None:
            return assignment.person.user
    return None


def _round_the_loop(loop: Loop, rng: random.Random, today: dt.date) -> bool:
    """Take an older voice from a talk through the loop; move its times to after the talk."""
    heard = _at(loop.held_on, 17, 30)
    events = CaseEvent.objects.filter(case=loop.case)
    if (today - loop.held_on).days <= LOOP_AFTER_DAYS:
        Case.objects.filter(pk=loop.case.pk).update(created_at=heard)
        events.update(at=heard)
        return False
    handler = _handler_at(loop.mine)
    dispatcher = _dispatcher_over(loop.case.origin_unit)
    category = Category.objects.filter(code=loop.voice.category).first()
    if handler is None or handler.person.user is None or dispatcher is None or category is None:
        events.update(at=heard)
        Case.objects.filter(pk=loop.case.pk).update(created_at=heard)
        return False
    user = handler.person.user
    case = case_services.case_accept(case=loop.case, actor=dispatcher, category=category)
    case = case_services.case_dispatch(case=case, actor=dispatcher, unit=handler.unit)
    case = case_services.case_sign(case=case, actor=user)
    case = case_services.case_answer(case=case, actor=user, text=loop.voice.answer, solved=True)
    satisfied = rng.random() < 0.85
    case_services.case_rate(
        receipt_code=loop.receipt,
        satisfaction=Satisfaction.SATISFIED if satisfied else Satisfaction.BASICALLY_SATISFIED,
        solved=True,
    )
    # Moved to the days after the talk, in the order they happened.
    answered_day = loop.held_on + dt.timedelta(days=rng.randint(3, 9))
    times = [
        heard,
        _at(loop.held_on + dt.timedelta(days=1), 9, 10),
        _at(loop.held_on + dt.timedelta(days=1), 9, 25),
        _at(loop.held_on + dt.timedelta(days=2), 8, 40),
        _at(answered_day, 16, 0),
        _at(answered_day + dt.timedelta(days=1), 20, 15),
    ]
    for index, event in enumerate(events.order_by("id")):
        CaseEvent.objects.filter(pk=event.pk).update(at=times[min(index, len(times) - 1)])
    Rating.objects.filter(case=loop.case).update(at=times[-1])
    Case.objects.filter(pk=loop.case.pk).update(
        created_at=heard,
        accepted_at=times[1],
        dispatched_at=times[2],
        response_deadline=(times[2] + dt.timedelta(days=1)).date(),
        signed_at=times[3],
        answered_at=times[4],
        deadline=answered_day + dt.timedelta(days=3),
        closed_at=times[5],
    )
    return True


# --- requests, meetings, supervision --------------------------------------------------------------


def _requests(admin: User, rng: random.Random, mine: OrgUnit, today: dt.date) -> int:
    """Four employees of ``mine`` asked for a talk: held, scheduled, declined, and one new."""
    people = list(
        Person.objects.filter(unit__path__startswith=mine.path, is_active=True, cadre_rank="")
        .select_related("unit")
        .order_by("employee_no")[:200]
    )
    hosts = list(
        Person.objects.filter(unit__path__startswith=mine.path, cadre_rank=CadreRank.MINE_LEADER)
    )
    if len(people) < 4 or not hosts:
        return 0
    topics = [
        "想和矿领导谈谈转岗到机电岗位的想法。",
        "家里老人住院，想谈谈倒班安排的困难。",
        "对本月绩效工资核算有疑问，希望当面说明。",
        "想反映班组内部分配不够公开的问题。",
    ]
    made = []
    for person, topic in zip(rng.sample(people, 4), topics, strict=True):
        asker = request_services.Asker(
            name=person.name, employee_no=person.employee_no, topic=topic
        )
        made.append(request_services.request_submit(unit=person.unit, asker=asker).request)
    host = rng.choice(hosts)
    soon = timezone.now() + dt.timedelta(days=2)
    held, scheduled, declined, _waiting = made
    for request in (held, scheduled):
        request_services.request_schedule(
            actor=admin, request=request, scheduled_at=soon, place="矿党委办公室", host=host
        )
    request_services.request_hold(actor=admin, request=held, held_on=today)
    request_services.request_decline(
        actor=admin,
        request=declined,
        reason="绩效工资核算问题已转人力资源部当面解释，本月不再另行安排约谈。",
    )
    return len(made)


def _meetings(admin: User, rng: random.Random, mines: Sequence[OrgUnit], today: dt.date) -> int:
    """A meeting at each mine, with its findings to put right: most done, one overdue."""
    made = 0
    for mine, meeting in zip(mines, texts().meetings, strict=False):
        held_on = today - dt.timedelta(days=rng.randint(20, 60))
        record = meeting_services.meeting_record(
            actor=admin,
            data=meeting_services.MeetingData(
                kind=MeetingKind(meeting.kind),
                unit=mine,
                held_on=held_on,
                title=meeting.title,
                attendance=meeting.attendance,
                topics=meeting.topics,
                hot_topics=list(meeting.hot_topics),
            ),
        )
        for number, finding in enumerate(meeting.findings):
            item = meeting_services.rectification_add(
                actor=admin,
                meeting=record,
                text=finding,
                owner_unit=mine,
                due_on=today + dt.timedelta(days=30),
            )
            if mine == mines[-1] and number == 0:
                # Promised for two weeks after the meeting, and still not done: overdue.
                type(item).objects.filter(pk=item.pk).update(due_on=held_on + dt.timedelta(days=14))
            elif number % 2 == 0 or mine != mines[-1]:
                meeting_services.rectification_done(
                    actor=admin,
                    item=item,
                    note="已按期整改完毕，经复查验收。",
                    done_on=min(today, held_on + dt.timedelta(days=rng.randint(7, 18))),
                )
        made += 1
    return made


def _supervision(admin: User, mines: Sequence[OrgUnit]) -> int:
    """Two groups: the first watches the two mines doing well, the second the one lagging."""
    supervisor = User.objects.filter(username="supervisor").first()
    watcher = getattr(supervisor, "person", None)
    leaders = list(
        Person.objects.filter(
            unit__path__startswith=mines[0].path[: -OrgUnit.steplen],
            cadre_rank=CadreRank.MINE_LEADER,
        ).order_by("employee_no")[:4]
    )
    if supervisor is None or watcher is None or len(leaders) < 2 or len(mines) < 2:
        return 0
    first = supervision_services.group_create(
        actor=admin,
        data=supervision_services.GroupData(
            name="第一督导组", members=[leaders[0], leaders[1]], units=list(mines[:-1])
        ),
    )
    second = supervision_services.group_create(
        actor=admin,
        data=supervision_services.GroupData(
            name="第二督导组", members=[watcher, *leaders[2:3]], units=[mines[-1]]
        ),
    )
    supervision_services.notice_issue(
        actor=supervisor,
        group=second,
        unit=mines[-1],
        text="本季度谈心走访覆盖率明显低于要求，请对照未覆盖人员名单，于月底前补齐走访谈心。",
    )
    return len([first, second])


# --- the part -------------------------------------------------------------------------------------


def demo_exists() -> bool:
    """Return whether the demo's talks are loaded."""
    return TalkCycle.objects.exists() or TalkRecord.objects.exists()


@transaction.atomic
def demo_load(*, seed: int = org_demo.DEFAULT_SEED) -> dict[str, int]:
    """Build the demo's talks unless they exist; return how many of what were made."""
    if not org_demo.demo_exists() or demo_exists():
        return {}
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return {}
    rng = random.Random(f"xinsheng.talks.demo:{seed}")
    today = timezone.localdate()
    group = org_demo.demo_group()
    company = _children(group).filter(kind=UnitKind.COMPANY).first()
    if company is None:
        return {}
    mines = list(_children(company).filter(kind=UnitKind.MINE).order_by("path"))
    builder = Builder(admin, rng, today)
    with notifications_suppressed():
        quarter = period_of(QUARTER, today)
        cycle = cycle_services.cycle_create(
            actor=admin,
            title=f"{quarter.start.year}年第{(quarter.start.month - 1) // 3 + 1}季度双向约谈",
            unit=company,
            starts_on=quarter.start,
            ends_on=quarter.end,
        )
        steps = len(mines) + 1  # each mine, then the offices and the rest
        for done, (mine, share) in enumerate(zip(mines, texts().coverage, strict=False)):
            progress_report(done, steps)
            builder.pairs_held(cycle, mine, min(share, 0.9) * 0.8)
            builder.mine(mine, share)
        progress_report(len(mines), steps)
        builder.offices(company)
        answered = sum(_round_the_loop(loop, rng, today) for loop in builder.loops)
        requests = _requests(admin, rng, mines[0], today) if mines else 0
        meetings = _meetings(admin, rng, mines, today)
        groups = _supervision(admin, mines)
    builder.stamp()
    aggregates.aggregates_rebuild()
    progress_report(steps, steps)
    counts = dict(builder.counts)
    counts.update(
        pairs=TalkPair.objects.filter(cycle=cycle).count(),
        answered=answered,
        requests=requests,
        meetings=meetings,
        supervision_groups=groups,
    )
    return counts


def demo_report(*, summary: dict[str, Any] | None, seed: int) -> str:
    """Return the console's line about the talks just loaded (nothing when loaded before)."""
    made = (summary or {}).get("talks")
    if not made:
        return ""
    return (
        f"Talks and visits: {made.get('talk', 0)} talks, {made.get('visit', 0)} team visits, "
        f"{made.get('home_visit', 0)} home visits ({made.get('person_times', 0)} person-times); "
        f"{made.get('voices', 0)} voices raised, {made.get('answered', 0)} answered; "
        f"{made.get('pairs', 0)} two-way talk pairs, {made.get('pairs_held', 0)} held; "
        f"http://127.0.0.1:8000/talks/supervision/"
    )

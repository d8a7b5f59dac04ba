"""The demo cases: about 3,000 voices of the last 12 months, taken round the loop.

The year is simulated: each case's steps (submitted, accepted, dispatched, signed, answered,
rated …) are planned in memory from one seeded generator, then taken in time order together with
the nightly sweeps (overdue, reminders, unrated answers closed) of every simulated day, as the
services and the scheduler take them, so that each case's state and its timeline agree. The past
is taken in memory and written in bulk (``demo_year``); live actions go through the services.

Steps planned after the end of the simulation (midnight today) are not taken: recent cases are
still on their way, as in a real ledger.

The categories and every word of the cases (voices, answers, reasons, notes …) are in
``demo_texts.toml`` next to this module.
"""

import datetime as dt
import functools
import random
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from xinsheng.cases import workflow
from xinsheng.cases.choices import (
    WITH_UNIT,
    CaseKind,
    CaseStatus,
    Channel,
    CloseReason,
    Urgency,
)
from xinsheng.cases.demo_year import Year
from xinsheng.cases.models import Case, Category, Rating
from xinsheng.cases.services import Identity
from xinsheng.core.calendar import add_working_days, days_off_held, is_working_day
from xinsheng.core.errors import Conflict
from xinsheng.core.notifications import notifications_suppressed
from xinsheng.core.ratings import Satisfaction
from xinsheng.org import demo as org_demo
from xinsheng.org.choices import Role, UnitKind
from xinsheng.org.models import OrgUnit, Person, RoleAssignment

CASES = 3000  # about this many cases over the simulated year
DAYS = 365
RECENT_DAYS = 21  # cases younger than this may still wait at any step

# --- Categories and texts ------------------------------------------------------------------------

TEXTS_FILE = Path(__file__).with_name("demo_texts.toml")


class CategoryPlan(NamedTuple):
    """A demo category: deadlines, share of the voices, and the units its cases go to."""

    code: str
    name: str
    english_name: str
    deadline_days: int
    urgent_days: int
    weight: float  # share of the voices
    targets: tuple[tuple[str, float], ...]  # kinds of responsible unit (see ``World.resolve``)
    keywords: str
    busy_months: tuple[int, ...] = ()  # months with twice the usual number of voices
    urgent_share: float = 0.05


class Voice(NamedTuple):
    """A kind of voice: its kind, a short title, the text and the answer (with placeholders)."""

    kind: str
    title: str
    text: str
    answer: str


@dataclass(frozen=True)
class Texts:
    """What the demo's employees say and its units answer, as ``demo_texts.toml`` holds it.

    The builder draws from every list in its order; see the file for what each one is.
    """

    categories: tuple[CategoryPlan, ...]
    voices: dict[str, tuple[Voice, ...]]  # by category code
    vocab: dict[str, tuple[str, ...]]  # the words a placeholder is filled with
    shifts: tuple[str, ...]
    qr_openings: tuple[str, ...]
    qr_closings: tuple[str, ...]
    recorded_who: tuple[str, ...]
    answer_openings: tuple[str, ...]
    answer_closings: tuple[str, ...]
    reanswers: tuple[str, ...]
    supervised_answer: str
    reject_reasons: tuple[str, ...]
    return_reasons: tuple[str, ...]
    notes: tuple[str, ...]
    extension_reasons: tuple[str, ...]
    supervision_texts: tuple[str, ...]
    escalation_text: str
    rating_comments: dict[str, tuple[str, ...]]  # by satisfaction
    heard_places: dict[str, tuple[str, ...]]  # by channel
    recorded_openings: dict[str, str]  # by channel


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{TEXTS_FILE.name}: {where} is not a list of strings")
    return tuple(value)


def _category(data: dict[str, Any]) -> CategoryPlan:
    return CategoryPlan(
        code=data["code"],
        name=data["name"],
        english_name=data.get("english_name", ""),
        deadline_days=data["deadline_days"],
        urgent_days=data["urgent_days"],
        weight=data["weight"],
        targets=tuple(data["targets"].items()),
        keywords="\n".join(_strings(data["keywords"], f"keywords of {data['code']}")),
        busy_months=tuple(data.get("busy_months", ())),
        urgent_share=data.get("urgent_share", 0.05),
    )


@functools.cache
def texts() -> Texts:
    """Return the demo texts, read from ``demo_texts.toml`` once."""
    with TEXTS_FILE.open("rb") as file:
        data = tomllib.load(file)
    said = data["texts"]
    return Texts(
        categories=tuple(_category(category) for category in data["categories"]),
        voices={
            category["code"]: tuple(
                Voice(CaseKind(voice["kind"]), voice["title"], voice["text"], voice["answer"])
                for voice in category["voices"]
            )
            for category in data["categories"]
        },
        vocab={key: _strings(words, f"vocab.{key}") for key, words in data["vocab"].items()},
        shifts=_strings(said["shifts"], "shifts"),
        qr_openings=_strings(said["qr_openings"], "qr_openings"),
        qr_closings=_strings(said["qr_closings"], "qr_closings"),
        recorded_who=_strings(said["recorded_who"], "recorded_who"),
        answer_openings=_strings(said["answer_openings"], "answer_openings"),
        answer_closings=_strings(said["answer_closings"], "answer_closings"),
        reanswers=_strings(said["reanswers"], "reanswers"),
        supervised_answer=said["supervised_answer"],
        reject_reasons=_strings(said["reject_reasons"], "reject_reasons"),
        return_reasons=_strings(said["return_reasons"], "return_reasons"),
        notes=_strings(said["notes"], "notes"),
        extension_reasons=_strings(said["extension_reasons"], "extension_reasons"),
        supervision_texts=_strings(said["supervision_texts"], "supervision_texts"),
        escalation_text=said["escalation_text"],
        rating_comments={
            Satisfaction(key): _strings(comments, f"rating_comments.{key}")
            for key, comments in data["rating_comments"].items()
        },
        heard_places={
            Channel(key): _strings(places, f"heard_places.{key}")
            for key, places in data["heard_places"].items()
        },
        recorded_openings={
            Channel(key): str(opening) for key, opening in data["recorded_openings"].items()
        },
    )


# --- Where voices come from, and when -------------------------------------------------------------

# Channels by where the voice comes from: a production team or area, or an office.
CHANNELS_PRODUCTION: dict[str, int] = {
    Channel.QR: 58, Channel.FACE_TO_FACE: 22, Channel.TALK: 4, Channel.VISIT: 3,
    Channel.HOTLINE: 6, Channel.MAILBOX: 4, Channel.SURVEY: 2, Channel.CONGRESS: 1,
}  # fmt: skip
CHANNELS_OFFICE: dict[str, int] = {
    Channel.QR: 75, Channel.HOTLINE: 10, Channel.MAILBOX: 8, Channel.SURVEY: 4, Channel.CONGRESS: 3,
}  # fmt: skip
ANONYMOUS_SHARE: dict[str, float] = {
    Channel.QR: 0.45, Channel.FACE_TO_FACE: 0.25, Channel.TALK: 0.15, Channel.VISIT: 0.1,
    Channel.HOTLINE: 0.5, Channel.MAILBOX: 0.85, Channel.SURVEY: 0.9, Channel.CONGRESS: 0.0,
}  # fmt: skip
BRANCH_CHANNELS = frozenset({Channel.FACE_TO_FACE, Channel.TALK, Channel.VISIT})
# When in the day employees scan a QR code: around shift changes and in the evening.
QR_HOURS = (3, 2, 1, 1, 1, 2, 4, 8, 6, 4, 4, 5, 7, 6, 5, 8, 7, 5, 6, 8, 9, 8, 6, 4)

# --- The enterprise and the staff who work the cases ----------------------------------------------


def _username(role: Role, unit: OrgUnit) -> str:
    return f"{role.value}-{unit.code.lower()}"


@dataclass
class World:
    """The demo enterprise as the builder needs it: units, people, and who acts where."""

    group: OrgUnit
    by_path: dict[str, OrgUnit]
    people: list[Person]  # everyone below the companies, who may raise a voice
    people_by_unit: dict[int, list[Person]]
    dispatchers: dict[int, User] = field(default_factory=dict)  # by mine or company pk
    handlers: dict[int, list[User]] = field(default_factory=dict)  # by unit pk
    supervisors: dict[int, User] = field(default_factory=dict)  # by company pk
    recorders: dict[int, User] = field(default_factory=dict)  # by branch pk
    by_pk: dict[int, OrgUnit] = field(default_factory=dict)
    accounts_created: int = 0
    children: dict[str, dict[str, OrgUnit]] = field(default_factory=dict)  # by parent path

    def __post_init__(self) -> None:
        self.by_pk = {unit.pk: unit for unit in self.by_path.values()}
        for path, unit in self.by_path.items():
            parent = path[: -OrgUnit.steplen]
            if parent:
                self.children.setdefault(parent, {})[unit.name] = unit

    def ancestors(self, unit: OrgUnit) -> Iterator[OrgUnit]:
        """Yield ``unit`` and its ancestors, nearest first."""
        for end in range(len(unit.path), 0, -OrgUnit.steplen):
            yield self.by_path[unit.path[:end]]

    def nearest(self, unit: OrgUnit, kind: UnitKind) -> OrgUnit | None:
        return next((u for u in self.ancestors(unit) if u.kind == kind), None)

    def company_of(self, unit: OrgUnit) -> OrgUnit:
        company = self.nearest(unit, UnitKind.COMPANY)
        if company is None:
            raise ValueError(f"{unit.code} is not in a company")
        return company

    def child(self, parent: OrgUnit | None, *names: str) -> OrgUnit | None:
        """Return the first child of ``parent`` named one of ``names``, in that order."""
        if parent is None:
            return None
        children = self.children.get(parent.path, {})
        return next((children[name] for name in names if name in children), None)

    def area_for(self, unit: OrgUnit) -> OrgUnit | None:
        """Return the work area of ``unit``; a party branch stands for the area it serves."""
        if unit.kind == UnitKind.BRANCH:
            mine = self.nearest(unit, UnitKind.MINE)
            return self.child(mine, unit.name.removesuffix("党支部"))
        return self.nearest(unit, UnitKind.AREA)

    def branch_for(self, area: OrgUnit) -> OrgUnit | None:
        return self.child(self.nearest(area, UnitKind.MINE), f"{area.name}党支部")

    def resolve(self, target: str, origin: OrgUnit) -> OrgUnit:
        """Return the unit of kind ``target`` responsible for a voice from ``origin``."""
        mine = self.nearest(origin, UnitKind.MINE)
        company = self.company_of(origin)
        if target == "area" and (area := self.area_for(origin)) is not None:
            return area
        found: OrgUnit | None = None
        if target in {"area", "office"}:  # a mine without an office sends it to the company's
            found = self.child(mine, "综合办公室") or self.child(company, "党群工作部")
        elif target == "logistics":  # canteens, bathhouses, dormitories, buses
            found = self.child(mine, "后勤服务中心") or self.child(company, "党群工作部")
        elif target == "safety":
            found = self.child(mine, "安监科") or self.child(company, "安全监察部")
        elif target == "production":
            found = self.child(mine, "生产科") or self.child(company, "生产技术部")
        elif target == "union":
            found = self.child(company, "工会")
        elif target == "party":
            found = self.child(company, "党群工作部")
        if found is None:
            raise ValueError(f"no {target} unit for {origin.code}")
        return found

    def dispatcher_for(self, origin: OrgUnit, target: OrgUnit | None = None) -> User:
        """Return who handles a voice from ``origin`` (and sends it to ``target``).

        The office of each mine dispatches within its mine; the company's office takes what is
        sent beyond it, and everything of a mine without an office of its own.
        """
        mine = self.nearest(origin, UnitKind.MINE)
        within = mine is not None and (target is None or target.path.startswith(mine.path))
        if mine is not None and within and mine.pk in self.dispatchers:
            return self.dispatchers[mine.pk]
        return self.dispatchers[self.company_of(origin).pk]


def world_build() -> World:
    """Return the demo enterprise with the staff accounts the loop needs, creating those."""
    group = org_demo.demo_group()
    units = list(OrgUnit.objects.filter(path__startswith=group.path).order_by("path"))
    by_path = {unit.path: unit for unit in units}
    everyone = list(
        Person.objects.filter(unit__path__startswith=group.path, is_active=True).order_by(
            "employee_no"
        )
    )
    people_by_unit: dict[int, list[Person]] = {}
    for person in everyone:
        people_by_unit.setdefault(person.unit_id, []).append(person)
    world = World(group, by_path, [], people_by_unit)
    companies = [unit for unit in units if unit.kind == UnitKind.COMPANY]
    world.people = [
        person
        for unit in units
        if any(unit.path.startswith(company.path) for company in companies)
        for person in people_by_unit.get(unit.pk, [])
    ]
    _staff(world, units)
    return world


HANDLER_POSITIONS = ("副队长", "技术员", "副科长", "副主任", "副部长", "副主席")


@dataclass(frozen=True)
class Post:
    """An account to create: the role, where it is held, and where its holder works."""

    role: Role
    unit: OrgUnit  # where the role is held
    seat: OrgUnit  # the unit of the person who holds it
    positions: tuple[str, ...]  # preferred positions of the holder, in order


def _staff(world: World, units: list[OrgUnit]) -> None:
    """Give the dispatchers, handlers, supervisors and recorders of the demo their accounts.

    The demo accounts of the organisation act where they hold their roles; people of the other
    mines and offices get accounts of their own (same password), named after role and unit.
    """
    by_code = {unit.code: unit for unit in units}
    names = [account.username for account in org_demo.ACCOUNTS]
    users = {user.username: user for user in User.objects.filter(username__in=names)}
    for account in org_demo.ACCOUNTS:  # in this order, so that choices among them repeat
        user, unit = users[account.username], by_code[account.role_unit]
        if account.role == Role.DISPATCHER:
            world.dispatchers[unit.pk] = user
        elif account.role == Role.SUPERVISOR:
            world.supervisors[unit.pk] = user
        elif account.role == Role.RECORDER:
            world.recorders[unit.pk] = user
        elif account.role in {Role.HANDLER, Role.UNIT_HEAD}:
            world.handlers.setdefault(unit.pk, []).append(user)
    # The company's demo dispatcher works the demo handler's mine itself, so that its inbox and
    # the handler's fill from the same cases.
    for unit_pk in list(world.handlers):
        mine = world.nearest(world.by_pk[unit_pk], UnitKind.MINE)
        company = world.company_of(world.by_pk[unit_pk])
        if mine is not None and company.pk in world.dispatchers:
            world.dispatchers.setdefault(mine.pk, world.dispatchers[company.pk])

    posts: list[Post] = []
    for unit in units:
        if unit.kind == UnitKind.COMPANY and unit.pk not in world.dispatchers:
            seat = world.child(unit, "党群工作部") or unit
            posts.append(Post(Role.DISPATCHER, unit, seat, ("干事", "组织专员")))
        if unit.kind == UnitKind.COMPANY and unit.pk not in world.supervisors:
            seat = world.child(unit, "工会") or unit
            posts.append(Post(Role.SUPERVISOR, unit, seat, ("副主席", "干事")))
        if unit.kind == UnitKind.MINE and unit.pk not in world.dispatchers:
            seat = world.child(unit, "综合办公室", "调度室") or unit
            posts.append(Post(Role.DISPATCHER, unit, seat, ("文书", "科员", "信息员", "调度员")))
        if unit.kind == UnitKind.BRANCH and unit.pk not in world.recorders:
            posts.append(Post(Role.RECORDER, unit, unit, ("党支部书记",)))
    origins = [person_unit for person_unit in units if world.nearest(person_unit, UnitKind.COMPANY)]
    targets = {
        world.resolve(target, origin).path
        for origin in origins
        for category in texts().categories
        for target, _share in category.targets
    }
    for path in sorted(targets):
        unit = world.by_path[path]
        if unit.pk not in world.handlers:
            posts.append(Post(Role.HANDLER, unit, unit, HANDLER_POSITIONS))
    _accounts_create(world, posts)


def _accounts_create(world: World, posts: list[Post]) -> None:
    """Create an account and its role for one person of each post's seat."""
    names = [_username(post.role, post.unit) for post in posts]
    taken = sorted(User.objects.filter(username__in=names).values_list("username", flat=True))
    if taken:
        message = gettext("演示账号的用户名已被占用：%(names)s") % {"names": "、".join(taken)}
        raise Conflict(message)
    chosen: set[int] = set()
    holders = [_holder(world, post, chosen) for post in posts]
    password = make_password(org_demo.DEMO_PASSWORD)  # hashed once, with the configured hasher
    users = User.objects.bulk_create(
        [
            User(username=name, password=password, first_name=holder.name)
            for name, holder in zip(names, holders, strict=True)
        ]
    )
    for holder, user in zip(holders, users, strict=True):
        holder.user = user
    Person.objects.bulk_update(holders, ["user"])
    RoleAssignment.objects.bulk_create(
        RoleAssignment(person=holder, unit=post.unit, role=post.role)
        for post, holder in zip(posts, holders, strict=True)
    )
    for post, user in zip(posts, users, strict=True):
        if post.role == Role.DISPATCHER:
            world.dispatchers[post.unit.pk] = user
        elif post.role == Role.SUPERVISOR:
            world.supervisors[post.unit.pk] = user
        elif post.role == Role.RECORDER:
            world.recorders[post.unit.pk] = user
        else:
            world.handlers[post.unit.pk] = [user]
    world.accounts_created = len(users)


def _holder(world: World, post: Post, chosen: set[int]) -> Person:
    """Return the person of the post's seat to hold it: a preferred position, without account."""
    free = [
        person
        for person in world.people_by_unit.get(post.seat.pk, [])
        if person.user_id is None and person.pk not in chosen
    ]
    if not free:
        raise ValueError(f"nobody left in {post.seat.code} to be {post.role}")
    rank = {position: index for index, position in enumerate(post.positions)}
    holder = min(free, key=lambda person: rank.get(person.position, len(rank)))
    chosen.add(holder.pk)
    return holder


# --- Planning the year ----------------------------------------------------------------------------

RATED_SHARE = 0.62  # of answers, rated by the employee within the week; the rest close unrated
RERATED_SHARE = 0.85  # of answers after a reopening: who complained follows it up
STOPS = ("submitted", "accepted", "dispatched", "returned", "in_progress", "asked")
# Where praise may still wait: it is thanked on time and closed, so never past its deadline.
PRAISE_STOPS = ("submitted", "accepted")


@dataclass
class Step:
    """One thing done to a case at a simulated time."""

    at: dt.datetime
    action: str
    actor: User | None = None
    unit: OrgUnit | None = None  # dispatch: the responsible unit
    text: str = ""
    satisfaction: str = ""
    solved: bool = False
    date: dt.date | None = None  # the deadline the step sets, or the date an extension asks for
    round: int = 0  # rate: the answer round rated
    outcome: str = ""  # rate: closed, reopened or escalated; supervise: reopened


@dataclass
class CasePlan:
    """A case to build: what is said, by whom, from where, and the steps it will go through."""

    created: dt.datetime
    origin: OrgUnit
    channel: str
    category: CategoryPlan
    voice: int
    kind: str
    title: str
    text: str
    answer: str
    identity: Identity
    urgency: str
    fate: str  # handled, return, reject, merge or stuck
    recorder: User | None = None
    heard_on: dt.date | None = None
    heard_place: str = ""
    merge_into: "CasePlan | None" = None
    first_answer: dt.datetime | None = None
    steps: list[Step] = field(default_factory=list)
    case: Case | None = None  # once submitted
    receipt: str = ""


class Fills(dict[str, str]):
    """The words of one voice: the unit's names, and vocabulary drawn once per placeholder."""

    def __init__(
        self, rng: random.Random, vocab: dict[str, tuple[str, ...]], context: dict[str, str]
    ) -> None:
        super().__init__(context)
        self.rng = rng
        self.vocab = vocab

    def __missing__(self, key: str) -> str:
        value = self.rng.choice(self.vocab[key])
        self[key] = value
        return value


class Planner:
    """Plan every case of the year from one generator: its words, origin and steps."""

    def __init__(
        self, rng: random.Random, world: World, end: dt.datetime, days_off: frozenset[dt.date]
    ) -> None:
        self.rng = rng
        self.world = world
        self.end = end
        self.start = end - dt.timedelta(days=DAYS)
        self.days_off = days_off
        self.texts = texts()
        self.working: dict[dt.date, bool] = {}  # the calendar, asked once per day
        self.later_days: dict[tuple[dt.date, int], dt.date] = {}
        self.waiting = 0  # recent cases planned to wait somewhere on their way

    # Time, in working days and working hours.

    def working_days_after(self, day: dt.date, n: int) -> dt.date:
        key = (day, n)
        if key not in self.later_days:
            self.later_days[key] = add_working_days(day, n, days_off=self.days_off)
        return self.later_days[key]

    def is_working(self, day: dt.date) -> bool:
        if day not in self.working:
            self.working[day] = is_working_day(day, days_off=self.days_off)
        return self.working[day]

    def at_work(
        self, day: dt.date, earliest: int = 8 * 60 + 20, latest: int = 17 * 60 + 40
    ) -> dt.datetime:
        """Return a time in the working hours of ``day``, or of the next working day."""
        while not self.is_working(day):
            day += dt.timedelta(days=1)
        minute = self.rng.randint(earliest, latest)
        return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=self.end.tzinfo)

    def work_after(self, t: dt.datetime, low: float, high: float) -> dt.datetime:
        """Return ``low`` to ``high`` hours after ``t``, moved into working hours."""
        t += dt.timedelta(seconds=round(self.rng.uniform(low, high) * 3600))
        if self.is_working(t.date()) and 8 <= t.hour < 18:
            return t
        day = t.date() if t.hour < 8 else t.date() + dt.timedelta(days=1)
        return self.at_work(day, 8 * 60, 9 * 60 + 30)

    def after(self, before: dt.datetime, t: dt.datetime) -> dt.datetime:
        """Return ``t``, or a little after ``before`` when ``t`` is not later than it."""
        return t if t > before else before + dt.timedelta(minutes=self.rng.randint(5, 90))

    # The cases.

    def plan(self, count: int) -> list[CasePlan]:
        """Return ``count`` cases spread over the year (a little more towards its end)."""
        days = [self.start.date() + dt.timedelta(days=i) for i in range(DAYS)]
        weights = [
            (0.7 + 0.6 * i / DAYS) * (1.0 if self.is_working(day) else 0.8)
            for i, day in enumerate(days)
        ]
        plans: list[CasePlan] = []
        for day in sorted(self.rng.choices(days, weights, k=count)):
            plans.append(self.plan_case(day, plans))
        plans.sort(key=lambda plan: plan.created)
        return plans

    def plan_case(self, day: dt.date, earlier: list[CasePlan]) -> CasePlan:
        rng, world = self.rng, self.world
        person = rng.choice(world.people)
        seat = world.by_pk[person.unit_id]
        channels = (
            CHANNELS_PRODUCTION if seat.kind in {UnitKind.TEAM, UnitKind.AREA} else CHANNELS_OFFICE
        )
        channel: str = rng.choices(list(channels), list(channels.values()))[0]
        category = self.category_on(day)
        voice_index = rng.randrange(len(self.texts.voices[category.code]))
        created = self.created_at(day, channel)
        fate, stop = self.fate(created)
        merge_into = None
        if fate == "merge":
            merge_into = self.merge_target(seat, category, created, earlier)
            if merge_into is None:
                fate = "handled"
            else:  # the same worry again, in other words
                category, voice_index = merge_into.category, merge_into.voice
        voice = self.texts.voices[category.code][voice_index]
        if voice.kind == CaseKind.PRAISE:  # thanked and closed: never refused, sent back or late
            fate = "merge" if fate == "merge" else "handled"
            stop = stop if stop in PRAISE_STOPS else ""
        origin, recorder = seat, None
        if channel in BRANCH_CHANNELS:
            area = world.area_for(seat)
            branch = world.branch_for(area) if area is not None else None
            if branch is None:
                channel = Channel.QR
            else:  # heard by the secretary of the area's party branch, in its notebook
                origin, recorder = branch, world.recorders[branch.pk]
        elif channel != Channel.QR:  # a call or a letter, written down by the office
            recorder = world.dispatcher_for(seat)
        anonymous = rng.random() < ANONYMOUS_SHARE[channel]
        identity = Identity(anonymous=True)
        if not anonymous:
            phone = person.phone if rng.random() < 0.6 else ""
            identity = Identity(False, person.name, person.employee_no, phone)
        said = self.texts
        fills = Fills(rng, said.vocab, self.context(seat))
        text = voice.text.format_map(fills)
        if channel == Channel.QR:
            openings = said.qr_openings
            if not world.area_for(seat):  # nobody outside a work area speaks of one
                openings = tuple(opening for opening in openings if "{area}" not in opening)
            opening = rng.choice(openings).format_map(fills)
            text = opening + text + rng.choice(said.qr_closings)
        else:
            # The notebook keeps the name in its own field, not in the words everyone reads.
            who = rng.choice(said.recorded_who)
            text = said.recorded_openings[channel].format(who=who) + text
        answer = voice.answer.format_map(fills)
        opening, closing = rng.choice(said.answer_openings), rng.choice(said.answer_closings)
        if voice.kind != CaseKind.PRAISE:  # thanks need no "如仍有问题" around them
            answer = opening + answer + closing
        urgent = rng.random() < category.urgent_share and voice.kind != CaseKind.PRAISE
        plan = CasePlan(
            created=created,
            origin=origin,
            channel=channel,
            category=category,
            voice=voice_index,
            kind=voice.kind,
            # Recorders give a title; employees often leave it to be derived from their words.
            title=voice.title if recorder is not None or rng.random() < 0.4 else "",
            text=text,
            answer=answer,
            identity=identity,
            urgency=Urgency.URGENT if urgent else Urgency.NORMAL,
            fate=fate,
            recorder=recorder,
            merge_into=merge_into,
        )
        if recorder is not None:
            plan.heard_on = created.date() - dt.timedelta(days=rng.choice((0, 0, 0, 1, 2)))
            plan.heard_place = rng.choice(said.heard_places[channel])
        self.plan_steps(plan, stop)
        return plan

    def category_on(self, day: dt.date) -> CategoryPlan:
        categories = self.texts.categories
        weights = [c.weight * (2 if day.month in c.busy_months else 1) for c in categories]
        return self.rng.choices(categories, weights)[0]

    def created_at(self, day: dt.date, channel: str) -> dt.datetime:
        """Return when a voice was raised: any hour by QR code, office hours when written down."""
        if channel != Channel.QR:
            return self.at_work(day)
        hour = self.rng.choices(range(24), QR_HOURS)[0]
        time = dt.time(hour, self.rng.randrange(60), self.rng.randrange(60))
        return dt.datetime.combine(day, time, tzinfo=self.end.tzinfo)

    def fate(self, created: dt.datetime) -> tuple[str, str]:
        """Return how a case ends, and where a recent one may still be waiting."""
        r = self.rng.random()
        fate = (
            "reject" if r < 0.05 else "merge" if r < 0.11 else "return" if r < 0.16 else "handled"
        )
        stop = ""
        if self.end - created < dt.timedelta(days=RECENT_DAYS):
            if self.rng.random() < 0.3:  # in turn, so that even a small demo has each
                stop = STOPS[self.waiting % len(STOPS)]
                self.waiting += 1
        elif fate == "handled" and self.rng.random() < 0.012:
            fate = "stuck"  # the unit never answers: overdue, and supervised
        return fate, stop

    def context(self, seat: OrgUnit) -> dict[str, str]:
        """Return the names a voice from ``seat`` speaks of: its mine, area and shift.

        Someone in an office speaks of one of the mine's work areas.
        """
        mine = self.world.nearest(seat, UnitKind.MINE) or self.world.company_of(seat)
        area = self.world.area_for(seat)
        if area is None:
            areas = [
                u
                for u in self.world.children.get(mine.path, {}).values()
                if u.kind == UnitKind.AREA
            ]
            area = self.rng.choice(sorted(areas, key=lambda u: u.path)) if areas else seat
        context = {"mine": mine.name, "area": area.name}
        if seat.kind == UnitKind.TEAM:
            shift = next((s for s in self.texts.shifts if seat.name.endswith(s)), None)
            if shift is not None:
                context["shift"] = shift
        return context

    def merge_target(
        self, seat: OrgUnit, category: CategoryPlan, created: dt.datetime, earlier: list[CasePlan]
    ) -> CasePlan | None:
        """Return a recent case of the same mine and category that this one repeats.

        The case is still open, or was answered within the week: the dispatcher merges the new
        voice into it, and its submitter follows that case and its answer.
        """
        mine = self.world.nearest(seat, UnitKind.MINE)
        if mine is None:
            return None
        since = created - dt.timedelta(days=25)
        for plan in reversed(earlier):
            if plan.created.date() < since.date():
                break
            if (
                plan.category == category
                and plan.fate in {"handled", "return", "stuck"}
                and plan.created < created
                and plan.origin.path.startswith(mine.path)
                and (
                    plan.first_answer is None or plan.first_answer > created - dt.timedelta(days=7)
                )
            ):
                return plan
        return None

    # The steps of one case.

    def deadline_days(self, plan: CasePlan) -> int:
        category = plan.category
        return category.urgent_days if plan.urgency == Urgency.URGENT else category.deadline_days

    def handler(self, unit: OrgUnit) -> User:
        return self.rng.choice(self.world.handlers[unit.pk])

    def supervisor(self, plan: CasePlan) -> User:
        return self.world.supervisors[self.world.company_of(plan.origin).pk]

    def targets(self, plan: CasePlan) -> tuple[OrgUnit, OrgUnit]:
        """Return the unit a case is sent to, and the one it goes to when that one returns it."""
        kinds = [kind for kind, _share in plan.category.targets]
        shares = [share for _kind, share in plan.category.targets]
        first = self.world.resolve(self.rng.choices(kinds, shares)[0], plan.origin)
        others = [self.world.resolve(kind, plan.origin) for kind in [*kinds, "office", "union"]]
        return first, next(unit for unit in others if unit != first)

    def dispatch(self, plan: CasePlan, t: dt.datetime, unit: OrgUnit) -> dt.date:
        deadline = self.working_days_after(t.date(), self.deadline_days(plan))
        dispatcher = self.world.dispatcher_for(plan.origin, unit)
        plan.steps.append(Step(t, "dispatch", dispatcher, unit=unit, date=deadline))
        return deadline

    def plan_steps(self, plan: CasePlan, stop: str) -> None:
        """Plan the way of ``plan`` through the loop, up to ``stop`` when one is given."""
        rng, add = self.rng, plan.steps.append
        add(Step(plan.created, "record" if plan.recorder else "submit", plan.recorder))
        if stop == "submitted":
            return
        dispatcher = self.world.dispatcher_for(plan.origin)
        t = self.work_after(plan.created, 0.3, 18)
        if plan.fate == "reject":
            add(Step(t, "reject", dispatcher, text=rng.choice(self.texts.reject_reasons)))
            return
        if plan.fate == "merge":
            add(Step(t, "merge", dispatcher))
            return
        add(Step(t, "accept", dispatcher))
        if stop == "accepted":
            return
        unit, second = self.targets(plan)
        if rng.random() < 0.65:  # accepted and dispatched in one go
            t += dt.timedelta(minutes=rng.randint(3, 25))
        else:
            t = self.work_after(t, 2, 26)
        deadline = self.dispatch(plan, t, unit)
        if plan.fate == "return" or stop == "returned":
            handler = self.handler(unit)
            t = self.work_after(t, 0.5, 20)
            if rng.random() < 0.4:
                add(Step(t, "sign", handler))
                t = self.work_after(t, 1, 12)
            add(Step(t, "return", handler, text=rng.choice(self.texts.return_reasons)))
            if stop == "returned":
                return
            unit = second
            t = self.work_after(t, 1, 30)
            deadline = self.dispatch(plan, t, unit)
        if stop == "dispatched":
            return
        handler = self.handler(unit)
        t = self.work_after(t, 0.2, 8) if rng.random() < 0.85 else self.work_after(t, 8, 40)
        add(Step(t, "sign", handler))
        if stop == "in_progress" or plan.fate == "stuck":
            self.plan_stuck(plan, t, deadline, handler, supervise=plan.fate == "stuck")
            return
        self.plan_handling(plan, t, deadline, unit, asked=stop == "asked")

    def plan_stuck(
        self, plan: CasePlan, t: dt.datetime, deadline: dt.date, handler: User, *, supervise: bool
    ) -> None:
        """Plan a case its unit does not answer: a note, and supervision once it is overdue."""
        if self.rng.random() < 0.6:
            t = self.work_after(t, 1, 30)
            plan.steps.append(Step(t, "note", handler, text=self.rng.choice(self.texts.notes)))
        for days in (2, 7) if supervise else ():
            t = self.after(t, self.at_work(self.working_days_after(deadline, days)))
            text = self.rng.choice(self.texts.supervision_texts)
            plan.steps.append(Step(t, "supervise", self.supervisor(plan), text=text))

    def plan_handling(
        self, plan: CasePlan, t: dt.datetime, deadline: dt.date, unit: OrgUnit, *, asked: bool
    ) -> None:
        """Plan the answers and ratings of a signed case, round after round."""
        rng, add = self.rng, plan.steps.append
        days = self.deadline_days(plan)
        praise = plan.kind == CaseKind.PRAISE  # thanked on time, the employee pleased
        r = rng.random()
        pace = "extend" if asked or r < 0.08 else "late" if r < 0.21 else "on_time"
        if praise:
            pace = "on_time"
        answer, round_, escalated = plan.answer, 0, False
        while True:
            handler = self.handler(unit)
            late = False
            if pace == "extend":
                ask = self.work_after(t, 2, 20)
                until = self.working_days_after(deadline, rng.randint(3, 8))
                reason = rng.choice(self.texts.extension_reasons)
                add(Step(ask, "extend", handler, text=reason, date=until))
                if asked:
                    return
                t = self.work_after(ask, 1, 24)
                dispatcher = self.world.dispatcher_for(plan.origin, unit)
                if rng.random() < 0.8:
                    add(Step(t, "grant", dispatcher))
                    deadline = until
                    answer_day = max(
                        self.working_days_after(deadline, -rng.randint(1, 3)), t.date()
                    )
                else:
                    add(Step(t, "refuse", dispatcher))
                    answer_day = self.working_days_after(deadline, rng.randint(0, 4))
                    late = answer_day > deadline
            elif pace == "late":
                answer_day = self.working_days_after(deadline, rng.randint(1, 8))
                late = True
                if rng.random() < 0.5:
                    notice = self.after(t, self.at_work(self.working_days_after(deadline, 1)))
                    if notice.date() < answer_day:
                        text = rng.choice(self.texts.supervision_texts)
                        add(Step(notice, "supervise", self.supervisor(plan), text=text))
                        t = notice
            else:
                answer_day = self.working_days_after(t.date(), rng.randint(0, max(days - 1, 0)))
                if praise:  # thanks go out within the time, however late the case was signed
                    answer_day = max(t.date(), min(answer_day, deadline))
            answered = self.after(t, self.at_work(answer_day))
            if rng.random() < 0.3 and answered - t > dt.timedelta(hours=1) and not praise:
                noted = (t + (answered - t) * rng.uniform(0.2, 0.8)).replace(microsecond=0)
                add(Step(noted, "note", handler, text=rng.choice(self.texts.notes)))
            solved = rng.random() < 0.85 or praise
            add(Step(answered, "answer", handler, text=answer, solved=solved))
            plan.first_answer = plan.first_answer or answered
            t = answered
            if escalated or rng.random() >= (RATED_SHARE if round_ == 0 else RERATED_SHARE):
                # The nightly sweep closes it as not rated after the configured days. (After a
                # supervision notice reopened it, the answer round is the one already rated.)
                return
            satisfaction = self.satisfaction(round_, late=late)
            if praise:
                satisfaction = Satisfaction.SATISFIED.value
            rated = self.rated_at(t)
            solved = praise or (
                satisfaction != Satisfaction.UNSATISFIED
                and rng.random() < (0.95 if satisfaction == Satisfaction.SATISFIED else 0.65)
            )
            rating = Step(
                rated,
                "rate",
                text=rng.choice(self.texts.rating_comments[satisfaction]),
                satisfaction=satisfaction,
                solved=solved,
                round=round_,
                outcome="closed",
            )
            add(rating)
            if satisfaction != Satisfaction.UNSATISFIED:
                return
            t, pace = rated, "on_time"
            if round_ < workflow.MAX_REOPENINGS:  # 重办; the next 不满意 goes to supervision
                round_ += 1
                deadline = self.working_days_after(rated.date(), days)
                rating.outcome, rating.date = "reopened", deadline
                answer = rng.choice(self.texts.reanswers)
                continue
            rating.outcome = "escalated"
            if rng.random() < 0.2:
                return  # left with the supervisor
            t = self.work_after(rated, 3, 50)
            deadline = self.working_days_after(t.date(), days)
            supervisor = self.supervisor(plan)
            add(
                Step(
                    t,
                    "supervise",
                    supervisor,
                    text=self.texts.escalation_text,
                    outcome="reopened",
                    date=deadline,
                )
            )
            answer, escalated = self.texts.supervised_answer, True

    def satisfaction(self, round_: int, *, late: bool) -> str:
        if round_ == 0:
            weights = (0.52, 0.28, 0.2) if late else (0.7, 0.2, 0.1)
        else:
            weights = (0.4, 0.25, 0.35) if round_ == 1 else (0.3, 0.25, 0.45)
        return self.rng.choices(list(Satisfaction), weights)[0].value

    def rated_at(self, answered: dt.datetime) -> dt.datetime:
        """Return when the employee rates: within six days, not in the small hours."""
        rated = answered + dt.timedelta(seconds=self.rng.randint(3600, 144 * 3600))
        if rated.hour < 7:
            rated = rated.replace(hour=self.rng.randint(7, 22))
        return rated


# --- Running it -----------------------------------------------------------------------------------


def case_no_in(case_no: str, year: int) -> str:
    """Return ``case_no`` dated ``year``: the running number stays, the year is the case's."""
    return f"{year}-{case_no.partition('-')[2]}"


# --- Loading -------------------------------------------------------------------------------------


def demo_cases_default() -> int:
    """Return how many cases ``xinsheng demo`` builds."""
    configured = settings.XINSHENG.get("DEMO_CASES")
    if configured is None:
        return 0 if settings.TESTING else CASES
    return int(configured)


def demo_cases_exist() -> bool:
    """Return whether cases of the demo enterprise exist."""
    group = OrgUnit.objects.filter(code=org_demo.GROUP_CODE).first()
    return (
        group is not None and Case.objects.filter(origin_unit__path__startswith=group.path).exists()
    )


def categories_create() -> dict[str, Category]:
    """Create the demo categories that do not exist yet; return all of them by code."""
    categories = {}
    for position, plan in enumerate(texts().categories, start=1):
        category, created = Category.objects.get_or_create(
            code=plan.code,
            defaults={
                "name": plan.name,
                "english_name": plan.english_name,
                "deadline_days": plan.deadline_days,
                "urgent_deadline_days": plan.urgent_days,
                "keywords": plan.keywords,
                "position": position * 10,
            },
        )
        if not created and not category.english_name and plan.english_name:
            category.english_name = plan.english_name  # loaded before categories had one
            category.save(update_fields=["english_name"])
        categories[plan.code] = category
    return categories


@transaction.atomic
def demo_load(
    *, seed: int = org_demo.DEFAULT_SEED, today: dt.date | None = None, cases: int | None = None
) -> dict[str, int]:
    """Build ``cases`` demo cases of the 12 months up to midnight ``today``.

    ``cases`` defaults to ``XINSHENG["DEMO_CASES"]``: ``CASES``, and none in tests, where
    ``xinsheng demo`` builds the organisation only unless told otherwise. Needs the demo
    organisation; does nothing when its cases exist. Return the numbers of what was created, by
    state among others, for the audit record and the operator.
    """
    count = cases if cases is not None else demo_cases_default()
    if count <= 0 or demo_cases_exist():
        return {}
    end = dt.datetime.combine(
        today or timezone.localdate(), dt.time.min, tzinfo=timezone.get_current_timezone()
    )
    rng = random.Random(f"xinsheng.cases.demo:{seed}")
    categories = categories_create()
    world = world_build()
    names = dict(Person.objects.values_list("employee_no", "name"))
    with days_off_held() as days_off, notifications_suppressed():
        plans = Planner(rng, world, end, days_off).plan(count)
        Year(categories, days_off, names).run(plans, end - dt.timedelta(days=DAYS), end)
    return {
        "categories": len(categories),
        "staff_accounts": world.accounts_created,
        **demo_summary(),
    }


def demo_summary() -> dict[str, int]:
    """Return how many demo cases there are, in each state and in the states that matter."""
    group = org_demo.demo_group()
    cases = Case.objects.filter(origin_unit__path__startswith=group.path).order_by()
    by_status = dict(cases.values_list("status").annotate(n=Count("id")))
    summary = {"cases": sum(by_status.values())}
    summary |= {status.value: by_status.get(status.value, 0) for status in CaseStatus}
    summary |= cases.aggregate(
        overdue=Count("id", filter=Q(is_overdue=True, status__in=WITH_UNIT)),
        extension_asked=Count("id", filter=Q(extension_until__isnull=False, status__in=WITH_UNIT)),
        reopened=Count("id", filter=Q(reopen_count__gt=0)),
        supervised=Count("id", filter=Q(supervision_count__gt=0)),
        escalated=Count("id", filter=Q(escalated=True)),
        closed_rated=Count(
            "id", filter=Q(status=CaseStatus.CLOSED, close_reason=CloseReason.RATED)
        ),
        closed_not_rated=Count(
            "id", filter=Q(status=CaseStatus.CLOSED, close_reason=CloseReason.NOT_RATED)
        ),
        anonymous=Count("id", filter=Q(is_anonymous=True)),
    )
    summary["ratings"] = Rating.objects.filter(case__in=cases).count()
    return summary

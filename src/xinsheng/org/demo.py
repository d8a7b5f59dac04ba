"""The organisation of the demo enterprise: a fictional coal-mining group, its people and accounts.

Everything comes from one generator seeded with the demo seed, so that one seed always gives the
same enterprise: the same units, names, employee numbers and phone numbers. The plan is drawn in
memory first and then written in bulk, which keeps ``demo_load`` within a few seconds. The shape
of the group and the names of its people are in ``demo_texts.toml`` next to this module.
"""

import datetime as dt
import functools
import random
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinsheng.core.errors import Conflict
from xinsheng.org.choices import CadreRank, Role, UnitKind
from xinsheng.org.models import OrgUnit, Person, RoleAssignment, UnitCharge

GROUP_CODE = "JT"
DEMO_PASSWORD = "xinsheng-demo"  # noqa: S105 - the published password of the demo accounts
DEFAULT_SEED = 2025

# --- The shape of the group and the names of its people ----------------------------------------

TEXTS_FILE = Path(__file__).with_name("demo_texts.toml")
AREAS_PER_MINE = (4, 6)
PEOPLE_TOTAL = (2950, 3050)
MAINTENANCE_SHIFT_FACTOR = 0.7  # a maintenance shift (检修班) is smaller than a production shift
SINGLE_NAME_SHARE = 0.3  # share of two-character names (surname + one character)
MINE_LEADERS_EXTRA = (0, 3)  # optional leaders of a mine, besides the five every mine has
SECOND_DEPUTY_SHARE = 0.5  # departments and work areas with a second deputy head
WORKING_AGES = (20, 59)  # the ages of the people this year, for their birth dates
CHARGES_PER_DEPUTY = (2, 4)  # departments and work areas a deputy leader is in charge of
PLANT_FEMALE_SHARE = 0.25  # women at a washing plant's control desks, belts and laboratory


@dataclass(frozen=True)
class AreaKind:
    """What a kind of work area does: its teams, the trades of its workers, its relative size."""

    teams: tuple[str, ...]
    trades: tuple[str, ...]  # most common first
    size: float


@dataclass(frozen=True)
class Texts:
    """The shape of the demo enterprise and the names of its people, from ``demo_texts.toml``.

    The plan draws from every list in its order; see the file for what each one is.
    """

    group_name: str
    # Department name → (title of its head, positions of its staff). The deputy is "副" + title.
    departments: dict[str, tuple[str, tuple[str, ...]]]
    group_departments: tuple[str, ...]
    company_departments: tuple[str, ...]
    mine_departments: tuple[str, ...]
    mine_departments_always: tuple[str, ...]  # in every mine; the others in some
    companies: tuple[tuple[str, tuple[str, ...]], ...]  # the companies and their mines
    leaders: dict[UnitKind, tuple[str, ...]]  # of the group, a company and a mine
    area_leaders: tuple[str, ...]
    branch_staff: tuple[str, ...]
    team_leaders: tuple[str, ...]
    areas: dict[str, AreaKind]
    areas_always: tuple[str, ...]
    surnames: dict[str, int]  # with rough weights
    male_first: str
    male_last: str
    female_first: str
    female_last: str
    famous: frozenset[str]  # names never given to a fictional employee
    principals: dict[UnitKind, frozenset[str]]  # leaders who are principals, by level
    mine_leaders_optional: tuple[str, ...]
    office_managers: frozenset[str]  # office staff who are 一般管理人员
    technical_words: tuple[str, ...]  # in the positions of technical staff
    skilled_words: tuple[str, ...]  # in the positions of skilled trades
    charge_words: dict[str, tuple[str, ...]]  # deputy leader → words of the units they prefer
    plant: "PlantTexts"


@dataclass(frozen=True)
class PlantTexts:
    """The washing plant (选煤厂) of one company: its leaders, offices and workshops."""

    company: int  # the company's number, 1 for the first
    name: str
    leaders: tuple[str, ...]
    departments: tuple[str, ...]
    workshop_leaders: tuple[str, ...]
    workshops: dict[str, AreaKind]
    workers: tuple[int, int]  # of its shifts, besides their leaders


@functools.cache
def texts() -> Texts:
    """Return the shape of the demo enterprise and its names, read from ``demo_texts.toml`` once."""
    with TEXTS_FILE.open("rb") as file:
        data = tomllib.load(file)
    group, company, mine = data["group"], data["company"], data["mine"]
    positions, names, standing = data["positions"], data["names"], data["standing"]
    return Texts(
        group_name=data["group_name"],
        departments={
            name: (department["head"], tuple(department["staff"]))
            for name, department in data["departments"].items()
        },
        group_departments=tuple(group["departments"]),
        company_departments=tuple(company["departments"]),
        mine_departments=tuple(mine["departments"]),
        mine_departments_always=tuple(mine["departments_always"]),
        companies=tuple((entry["name"], tuple(entry["mines"])) for entry in data["companies"]),
        leaders={
            UnitKind.GROUP: tuple(group["leaders"]),
            UnitKind.COMPANY: tuple(company["leaders"]),
            UnitKind.MINE: tuple(mine["leaders"]),
        },
        area_leaders=tuple(positions["area"]),
        branch_staff=tuple(positions["branch"]),
        team_leaders=tuple(positions["team"]),
        areas={
            name: AreaKind(tuple(kind["teams"]), tuple(kind["trades"]), kind["size"])
            for name, kind in data["areas"]["kinds"].items()
        },
        areas_always=tuple(data["areas"]["always"]),
        surnames=dict(names["surnames"]),
        male_first=names["male_first"],
        male_last=names["male_last"],
        female_first=names["female_first"],
        female_last=names["female_last"],
        famous=frozenset(names["famous"].split()),
        principals={
            UnitKind.GROUP: frozenset(standing["group_principals"]),
            UnitKind.COMPANY: frozenset(standing["company_principals"]),
            UnitKind.MINE: frozenset(standing["mine_principals"]),
        },
        mine_leaders_optional=tuple(standing["mine_leaders_optional"]),
        office_managers=frozenset(standing["office_managers"]),
        technical_words=tuple(standing["technical_words"]),
        skilled_words=tuple(standing["skilled_words"]),
        charge_words={title: tuple(words) for title, words in standing["charges"].items()},
        plant=_plant_texts(data["plant"]),
    )


def _plant_texts(plant: dict[str, Any]) -> PlantTexts:
    return PlantTexts(
        company=int(plant["company"]),
        name=plant["name"],
        leaders=tuple(plant["leaders"]),
        departments=tuple(plant["departments"]),
        workshop_leaders=tuple(plant["workshop_leaders"]),
        workshops={
            name: AreaKind(tuple(kind["teams"]), tuple(kind["trades"]), kind["size"])
            for name, kind in plant["workshops"].items()
        },
        workers=(int(plant["workers"][0]), int(plant["workers"][1])),
    )


@dataclass(frozen=True)
class AccountPlan:
    """A demo account: who holds it (a position in a unit) and which role it holds where."""

    username: str
    role: Role
    role_unit: str  # code of the unit where the role is held
    person_unit: str  # code of the unit of the person who holds the account
    position: str


ACCOUNTS = (
    AccountPlan("admin", Role.ADMINISTRATOR, "JT", "JT-D08", "系统管理员"),
    AccountPlan("leader", Role.LEADER, "JT", "JT", "党委副书记"),
    AccountPlan("dispatcher", Role.DISPATCHER, "JT-C1", "JT-C1-D01", "干事"),
    AccountPlan("supervisor", Role.SUPERVISOR, "JT-C1", "JT-C1-D02", "副主席"),
    AccountPlan("handler", Role.HANDLER, "JT-C1-M1-A01", "JT-C1-M1-A01", "副队长"),
    AccountPlan("head", Role.UNIT_HEAD, "JT-C1-M1-A01", "JT-C1-M1-A01", "队长"),
    AccountPlan("recorder", Role.RECORDER, "JT-C1-M1-B01", "JT-C1-M1-B01", "党支部书记"),
    AccountPlan("union", Role.UNION, "JT-C1", "JT-C1-D02", "干事"),
    AccountPlan("privacy", Role.PRIVACY, "JT-C1", "JT-C1-D02", "主席"),
)
SUPERUSERS = frozenset({"admin"})

PHONE_PREFIXES = tuple(
    [f"13{d}" for d in range(10)] + [f"15{d}" for d in "012356789"]
    + [f"18{d}" for d in range(10)]
)  # fmt: skip


class NameMaker:
    """Draw plausible Chinese names, employee numbers and mobile numbers from one generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.texts = texts()
        self.surnames = list(self.texts.surnames)
        self.surname_weights = list(self.texts.surnames.values())
        self.next_number = 1000
        self.phones: set[str] = set()

    def name(self, *, female: bool) -> str:
        """Return a two- or three-character name that is not a well-known person's."""
        said = self.texts
        first, last = (
            (said.female_first, said.female_last) if female else (said.male_first, said.male_last)
        )
        while True:
            surname = self.rng.choices(self.surnames, self.surname_weights)[0]
            given = self.rng.choice(last)
            if self.rng.random() >= SINGLE_NAME_SHARE:
                given = self.rng.choice(first) + given
            if female or len(given) == 1 or given[0] != given[1]:  # 丽丽, but no 伟伟
                name = surname + given
                if name not in said.famous:
                    return name

    def employee_no(self) -> str:
        """Return the next employee number, e.g. JT0001234; numbers leave gaps as real ones do."""
        self.next_number += self.rng.randint(1, 3)
        return f"{GROUP_CODE}{self.next_number:07d}"

    def phone(self) -> str:
        """Return a fictional 11-digit mobile number not handed out before."""
        while True:
            number = self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.phones:
                self.phones.add(number)
                return number


# --- The plan ------------------------------------------------------------------------------------


@dataclass
class UnitPlan:
    """A unit to create, the positions of the people placed directly in it, and its children."""

    code: str
    name: str
    kind: UnitKind
    positions: list[str] = field(default_factory=list)
    children: list["UnitPlan"] = field(default_factory=list)
    trades: tuple[str, ...] = ()  # a team's workers are drawn from these
    weight: float = 0.0  # a team's share of the production workforce
    female_share: float = 0.0
    charges: dict[int, list[str]] = field(default_factory=dict)  # position index → unit codes

    def walk(self) -> Iterator["UnitPlan"]:
        """Yield this unit and its descendants, parents before children."""
        yield self
        for child in self.children:
            yield from child.walk()

    def bulk_data(self) -> dict[str, object]:
        """Return this subtree in the nested form of treebeard's ``load_bulk``."""
        return {
            "data": {"name": self.name, "kind": self.kind.value, "code": self.code},
            "children": [child.bulk_data() for child in self.children],
        }


def plan_group(rng: random.Random) -> UnitPlan:
    """Return the unit tree of the group, with the fixed positions of each unit."""
    said = texts()
    group = UnitPlan(
        GROUP_CODE, said.group_name, UnitKind.GROUP, list(said.leaders[UnitKind.GROUP])
    )
    group.female_share = 0.15
    group.children += plan_departments(rng, GROUP_CODE, said.group_departments, (5, 9))
    for number, (company_name, mine_names) in enumerate(said.companies, start=1):
        code = f"{GROUP_CODE}-C{number}"
        company = UnitPlan(
            code, company_name, UnitKind.COMPANY, list(said.leaders[UnitKind.COMPANY])
        )
        company.female_share = 0.1
        company.children += plan_departments(rng, code, said.company_departments, (4, 7))
        company.children += [
            plan_mine(rng, f"{code}-M{index}", name)
            for index, name in enumerate(mine_names, start=1)
        ]
        plan_charges(rng, company)
        group.children.append(company)
    plan_charges(rng, group)
    return group


def plan_departments(
    rng: random.Random, parent_code: str, names: Sequence[str], size: tuple[int, int]
) -> list[UnitPlan]:
    """Return the departments ``names`` under ``parent_code``, each with ``size`` people."""
    departments = texts().departments
    plans = []
    for number, name in enumerate(names, start=1):
        head, staff = departments[name]
        deputies = 2 if rng.random() < SECOND_DEPUTY_SHARE else 1
        positions = [head, *[f"副{head}"] * deputies, *staff]
        extra = rng.randint(*size) - len(positions)
        positions += rng.choices(staff, k=max(extra, 0))
        plans.append(
            UnitPlan(
                f"{parent_code}-D{number:02d}",
                name,
                UnitKind.DEPARTMENT,
                positions,
                female_share=0.4,
            )
        )
    return plans


def plan_mine(rng: random.Random, code: str, name: str) -> UnitPlan:
    """Return a mine: its offices, its work areas with their teams, and a party branch per area."""
    said = texts()
    always = said.mine_departments_always
    optional_leaders = said.mine_leaders_optional
    drawn = rng.sample(range(len(optional_leaders)), rng.randint(*MINE_LEADERS_EXTRA))
    leaders = [*said.leaders[UnitKind.MINE], *(optional_leaders[i] for i in sorted(drawn))]
    mine = UnitPlan(code, name, UnitKind.MINE, leaders)
    optional = [n for n in said.mine_departments if n not in always]
    chosen = set(rng.sample(optional, rng.randint(0, 2)))
    offices = [n for n in said.mine_departments if n in always or n in chosen]
    mine.children += plan_departments(rng, code, offices, (6, 12))
    extra = [n for n in said.areas if n not in said.areas_always]
    chosen = set(rng.sample(extra, rng.randint(*AREAS_PER_MINE) - len(said.areas_always)))
    areas = [n for n in said.areas if n in said.areas_always or n in chosen]
    for number, area_name in enumerate(areas, start=1):
        mine.children.append(plan_area(rng, f"{code}-A{number:02d}", area_name))
    for number, area_name in enumerate(areas, start=1):
        branch_name = f"{area_name}党支部"
        branch_code = f"{code}-B{number:02d}"
        mine.children.append(
            UnitPlan(branch_code, branch_name, UnitKind.BRANCH, list(said.branch_staff))
        )
    plan_charges(rng, mine)
    return mine


def plan_charges(rng: random.Random, unit: UnitPlan) -> None:
    """Put each deputy leader of ``unit`` in charge of two to four of its departments and areas.

    A deputy takes first the free units their position prefers (``charge_words``), then other
    free ones; a unit gets a second leader in charge only when every unit has one, a third
    only when every unit has two.
    """
    said = texts()
    below = [c for c in unit.children if c.kind in (UnitKind.DEPARTMENT, UnitKind.AREA)]
    load = dict.fromkeys((child.code for child in below), 0)
    for index, title in enumerate(unit.positions):
        if title in said.principals[unit.kind]:
            continue
        words = said.charge_words.get(title, ())

        def preference(child: UnitPlan, words: tuple[str, ...] = words) -> tuple[object, ...]:
            rank = next((i for i, word in enumerate(words) if word in child.name), len(words))
            return (load[child.code], rank, rng.random())

        count = min(rng.randint(*CHARGES_PER_DEPUTY), len(below))
        chosen = sorted(below, key=preference)[:count]
        for child in chosen:
            load[child.code] += 1
        unit.charges[index] = [child.code for child in chosen]


def plan_area(
    rng: random.Random,
    code: str,
    name: str,
    kind: AreaKind | None = None,
    leaders: Sequence[str] = (),
) -> UnitPlan:
    """Return a work area with its leaders and its teams (shifts).

    A mine's areas are of the kinds of ``demo_texts.toml``; a plant's workshops give their
    ``kind`` and ``leaders``.
    """
    said = texts()
    kind = kind or said.areas[name]
    positions = drop_deputies(rng, list(leaders or said.area_leaders))
    positions += ["技术员"] if rng.random() < 0.5 else []
    area = UnitPlan(code, name, UnitKind.AREA, positions)
    for number, shift in enumerate(kind.teams, start=1):
        factor = MAINTENANCE_SHIFT_FACTOR if shift == "检修班" else 1.0
        area.children.append(
            UnitPlan(
                f"{code}-T{number}",
                f"{name}{shift}",
                UnitKind.TEAM,
                list(said.team_leaders),
                trades=kind.trades,
                weight=kind.size * factor * rng.uniform(0.85, 1.15),
            )
        )
    return area


def drop_deputies(rng: random.Random, titles: list[str]) -> list[str]:
    """Return ``titles`` with the first deputy (副…) and each further one half of the time."""
    kept: list[str] = []
    for title in titles:
        further_deputy = title.startswith("副") and any(t.startswith("副") for t in kept)
        if not further_deputy or rng.random() < SECOND_DEPUTY_SHARE:
            kept.append(title)
    return kept


def plan_plant(rng: random.Random, group: UnitPlan) -> UnitPlan:
    """Add the washing plant, staffed, as the last unit of its company; return it.

    Its company is the last, so it comes last in the walk of the group (its people are made
    after everyone else's); it draws from ``rng`` alone, so the units and people planned before
    it are the same as without it.
    """
    said = texts()
    plant_said = said.plant
    company_code = f"{GROUP_CODE}-C{plant_said.company}"
    company = next(child for child in group.children if child.code == company_code)
    code = plant_code()
    plant = UnitPlan(code, plant_said.name, UnitKind.MINE, list(plant_said.leaders))
    plant.children += plan_departments(rng, code, plant_said.departments, (5, 9))
    workshops = list(plant_said.workshops.items())
    for number, (name, kind) in enumerate(workshops, start=1):
        workshop = plan_area(rng, f"{code}-A{number:02d}", name, kind, plant_said.workshop_leaders)
        for team in workshop.children:
            team.female_share = PLANT_FEMALE_SHARE
        plant.children.append(workshop)
    for number, (name, _kind) in enumerate(workshops, start=1):
        plant.children.append(
            UnitPlan(
                f"{code}-B{number:02d}", f"{name}党支部", UnitKind.BRANCH, [*said.branch_staff]
            )
        )
    plan_charges(rng, plant)
    teams = [unit for unit in plant.walk() if unit.kind == UnitKind.TEAM]
    share_workers(rng, teams, rng.randint(*plant_said.workers))
    company.children.append(plant)
    return plant


def staff_teams(rng: random.Random, group: UnitPlan) -> None:
    """Share the rest of the workforce among the teams by weight, and draw each worker's trade."""
    units = list(group.walk())
    teams = [unit for unit in units if unit.kind == UnitKind.TEAM]
    fixed = sum(len(unit.positions) for unit in units)
    share_workers(rng, teams, max(rng.randint(*PEOPLE_TOTAL) - fixed, 0))


def share_workers(rng: random.Random, teams: list[UnitPlan], workers: int) -> None:
    """Share ``workers`` among ``teams`` by weight, and draw each worker's trade."""
    total_weight = sum(team.weight for team in teams)
    shares = [workers * team.weight / total_weight for team in teams]
    counts = [int(share) for share in shares]
    by_remainder = sorted(range(len(teams)), key=lambda i: counts[i] - shares[i])
    for index in by_remainder[: workers - sum(counts)]:
        counts[index] += 1
    for team, count in zip(teams, counts, strict=True):
        trade_weights = list(range(len(team.trades), 0, -1))
        team.positions += rng.choices(team.trades, trade_weights, k=count)


# --- The standing of each person -------------------------------------------------------------

LEADER_KINDS = frozenset({UnitKind.GROUP, UnitKind.COMPANY, UnitKind.MINE})
OFFICE_KINDS = frozenset({UnitKind.DEPARTMENT, UnitKind.AREA})
# Shares of party members: nearly every leader, most cadres, about a quarter of the others, so
# that about a third of the workforce are members.
PARTY_SHARE = {
    CadreRank.MINE_LEADER: 0.97,
    CadreRank.SECTION: 0.9,
    CadreRank.DEPUTY_SECTION: 0.8,
    CadreRank.MANAGER: 0.6,
}
PARTY_SHARE_TEAM_LEADERS = 0.55
PARTY_SHARE_OTHERS = 0.29
# Shares of 技术技能人才: technical staff, skilled trades, everyone else (about 5 % in all).
TALENT_SHARE = {"technical": 0.3, "skilled": 0.06, "other": 0.035}
# Shares of 业务骨干: the leaders of a team and its deputies, the other workers (about 10 %).
BACKBONE_SHARE_TEAM_LEADERS = 0.35
BACKBONE_SHARE_OTHERS = 0.1


@dataclass(frozen=True)
class Seat:
    """A position in a unit: the ``index``-th of the unit's positions (its principal is first)."""

    kind: UnitKind
    index: int
    title: str

    def rank_and_principal(self) -> tuple[str, bool]:
        """Return the cadre rank of the seat ("" for none) and whether it is the unit's 正职."""
        said = texts()
        if self.kind in LEADER_KINDS:
            return CadreRank.MINE_LEADER, self.title in said.principals[self.kind]
        if self.kind in OFFICE_KINDS and self.index == 0:
            return CadreRank.SECTION, True
        if self.kind in OFFICE_KINDS and self.title.startswith("副"):
            return CadreRank.DEPUTY_SECTION, False
        if self.kind == UnitKind.DEPARTMENT and self.title in said.office_managers:
            return CadreRank.MANAGER, False
        if self.kind == UnitKind.BRANCH and self.index == 0:  # the branch secretary
            return CadreRank.SECTION, True
        return "", self.kind == UnitKind.TEAM and self.index == 0

    @property
    def leads_team(self) -> bool:
        return self.kind == UnitKind.TEAM and self.index == 0

    @property
    def team_deputy(self) -> bool:
        return self.kind == UnitKind.TEAM and self.title.startswith("副")

    def trade(self) -> str:
        """Return "technical", "skilled" or "other", for the share of 技术技能人才."""
        said = texts()
        if any(word in self.title for word in said.technical_words):
            return "technical"
        if any(word in self.title for word in said.skilled_words):
            return "skilled"
        return "other"


def draw_standing(rng: random.Random, seat: Seat) -> dict[str, object]:
    """Return the cadre rank, principal flag and groups of the person in ``seat``."""
    rank, principal = seat.rank_and_principal()
    if seat.kind == UnitKind.BRANCH and seat.index == 0:
        party = 1.0  # a branch secretary is a party member by definition
    elif rank:
        party = PARTY_SHARE[CadreRank(rank)]
    else:
        party = PARTY_SHARE_TEAM_LEADERS if seat.leads_team else PARTY_SHARE_OTHERS
    backbone = (
        0.0
        if rank
        else BACKBONE_SHARE_TEAM_LEADERS
        if seat.leads_team or seat.team_deputy
        else BACKBONE_SHARE_OTHERS
    )
    return {
        "cadre_rank": rank,
        "is_principal": principal,
        "is_party_member": rng.random() < party,
        "is_technical_talent": rng.random() < TALENT_SHARE[seat.trade()],
        "is_team_leader": seat.leads_team,
        "is_backbone": rng.random() < backbone,
        "is_manager": bool(rank),
    }


# --- Writing it ---------------------------------------------------------------------------------


def demo_exists() -> bool:
    """Return whether the demo enterprise is loaded (its group code is taken)."""
    return OrgUnit.objects.filter(code=GROUP_CODE).exists()


def demo_group() -> OrgUnit:
    """Return the group unit of the demo enterprise."""
    return OrgUnit.objects.get(code=GROUP_CODE)


def plant_code() -> str:
    """Return the code of the demo's washing plant (选煤厂)."""
    return f"{GROUP_CODE}-C{texts().plant.company}-P1"


def demo_plant() -> OrgUnit | None:
    """Return the demo's washing plant, or None when the demo was loaded without one."""
    return OrgUnit.objects.filter(code=plant_code()).first()


@transaction.atomic
def demo_load(*, seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Build the demo organisation from ``seed``: units, people, accounts and their roles.

    Return the numbers of what was created, for the audit record of the demo load.
    """
    taken = sorted(
        User.objects.filter(username__in=[a.username for a in ACCOUNTS]).values_list(
            "username", flat=True
        )
    )
    if taken:
        message = gettext("演示账号的用户名已被占用：%(names)s") % {"names": "、".join(taken)}
        raise Conflict(message)
    rng = random.Random(f"xinsheng.org.demo:{seed}")
    plan = plan_group(rng)
    staff_teams(rng, plan)
    plan_plant(random.Random(f"xinsheng.org.demo.plant:{seed}"), plan)
    OrgUnit.objects.load_bulk([plan.bulk_data()], bulk_create=True)
    group = demo_group()
    units = {unit.code: unit for unit in OrgUnit.objects.filter(path__startswith=group.path)}
    # The standing is drawn from a generator of its own, so that it leaves the names alone.
    standing_rng = random.Random(f"xinsheng.org.demo.standing:{seed}")
    # So are the birth dates (for birthday wishes, 生日祝福).
    birth_rng = random.Random(f"xinsheng.org.demo.birth:{seed}")
    people = create_people(rng, plan, units, standing_rng=standing_rng, birth_rng=birth_rng)
    charges = create_charges(plan, people, units)
    create_accounts(people)
    return {
        "units": len(units),
        "people": len(people),
        "accounts": len(ACCOUNTS),
        "cadres": sum(1 for person in people if person.cadre_rank),
        "party_members": sum(1 for person in people if person.is_party_member),
        "units_in_charge": charges,
    }


def create_people(
    rng: random.Random,
    plan: UnitPlan,
    units: dict[str, OrgUnit],
    *,
    standing_rng: random.Random,
    birth_rng: random.Random,
) -> list[Person]:
    """Create the people of every planned unit in bulk, in plan order, and return them."""
    names = NameMaker(rng)
    this_year = timezone.localdate().year
    people = []
    for unit_plan in plan.walk():
        for index, position in enumerate(unit_plan.positions):
            female = rng.random() < unit_plan.female_share
            standing = draw_standing(standing_rng, Seat(unit_plan.kind, index, position))
            people.append(
                Person(
                    employee_no=names.employee_no(),
                    name=names.name(female=female),
                    unit=units[unit_plan.code],
                    position=position,
                    phone=names.phone(),
                    birth_date=birth_date(birth_rng, this_year),
                    **standing,
                )
            )
    return Person.objects.bulk_create(people, batch_size=500)


def birth_date(rng: random.Random, this_year: int) -> dt.date:
    """Return a birth date of working age (20 to 59 this year)."""
    born = dt.date(this_year - rng.randint(*WORKING_AGES), 1, 1)
    return born + dt.timedelta(days=rng.randrange(365))


def create_charges(plan: UnitPlan, people: list[Person], units: dict[str, OrgUnit]) -> int:
    """Create the planned units in charge of the deputy leaders; return how many."""
    seats = iter(people)  # the people are in plan order: walk the plan again alongside them
    charges = []
    for unit_plan in plan.walk():
        for index, _position in enumerate(unit_plan.positions):
            person = next(seats)
            charges += [
                UnitCharge(person=person, unit=units[code])
                for code in unit_plan.charges.get(index, ())
            ]
    UnitCharge.objects.bulk_create(charges, batch_size=500)
    return len(charges)


def create_accounts(people: list[Person]) -> None:
    """Create the demo users, link each to its person, and give each its role."""
    password = make_password(DEMO_PASSWORD)  # hashed once, with the configured hasher
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=_account_units())}
    holders = [_holder(people, units[account.person_unit], account) for account in ACCOUNTS]
    users = User.objects.bulk_create(
        [
            User(
                username=account.username,
                password=password,
                first_name=holder.name,
                is_staff=account.username in SUPERUSERS,
                is_superuser=account.username in SUPERUSERS,
            )
            for account, holder in zip(ACCOUNTS, holders, strict=True)
        ]
    )
    for holder, user in zip(holders, users, strict=True):
        holder.user = user
    Person.objects.bulk_update(holders, ["user"])
    RoleAssignment.objects.bulk_create(
        RoleAssignment(person=holder, unit=units[account.role_unit], role=account.role)
        for account, holder in zip(ACCOUNTS, holders, strict=True)
    )


def _account_units() -> set[str]:
    return {a.role_unit for a in ACCOUNTS} | {a.person_unit for a in ACCOUNTS}


def _holder(people: list[Person], unit: OrgUnit, account: AccountPlan) -> Person:
    """Return the first person in ``unit`` with the account's position who holds no account."""
    return next(
        person
        for person in people
        if person.unit_id == unit.pk
        and person.position == account.position
        and person.user_id is None
    )


# --- Reading it back -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoAccount:
    """A demo account as the operator sees it after loading."""

    username: str
    name: str
    role: Role
    unit_name: str
    unit_code: str


def demo_accounts() -> list[DemoAccount]:
    """Return the demo accounts with the roles they hold now, in the order of ``ACCOUNTS``."""
    order = {account.username: index for index, account in enumerate(ACCOUNTS)}
    rows = RoleAssignment.objects.filter(person__user__username__in=order).select_related(
        "person__user", "unit"
    )
    accounts = [
        DemoAccount(
            username=row.person.user.username if row.person.user else "",
            name=row.person.name,
            role=Role(row.role),
            unit_name=row.unit.name,
            unit_code=row.unit.code,
        )
        for row in rows
    ]
    return sorted(accounts, key=lambda account: (order[account.username], account.role))

"""The proposals part of the demo enterprise: two windows, at the washing plant and a mine.

The washing plant's (西河选煤厂) window of last year is closed: every proposal decided, many
adopted, several implemented with their actual savings, rewards paid and three on public notice
now (公示). The first company's first mine (东山一矿) has a window open: proposals coming in, with
evaluators scoring (the ``head`` demo account sits on its committee, with proposals waiting for
it), a few decided.

About 120 proposals with their texts from ``demo_texts.toml``, each window drawing those of its
place (the plant's, or a mine's) and those of both. Rows are written in bulk, as the
services would write them (each proposal with its authors, assignments, scores, history and
payments), so that the part loads in well under a second; the figures agree with what the
services would have made.
"""

import datetime as dt
import random
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from xinsheng.org import demo as org_demo
from xinsheng.org.choices import UnitKind
from xinsheng.org.models import OrgUnit, Person
from xinsheng.proposals.choices import (
    ADOPTING,
    DEFAULT_CATEGORIES,
    Channel,
    Decision,
    EventKind,
    ProposalStatus,
)
from xinsheng.proposals.models import (
    Assignment,
    CoAuthor,
    ProgressNote,
    Proposal,
    ProposalEvent,
    RewardPayment,
    Score,
    Window,
)
from xinsheng.proposals.rewards import shares_split

TEXTS_FILE = Path(__file__).with_name("demo_texts.toml")
CRITERIA: list[dict[str, Any]] = [
    {"code": "innovation", "name": "创新性", "max": 30},
    {"code": "feasibility", "name": "可行性", "max": 30},
    {"code": "benefit", "name": "效益", "max": 40},
]
TIERS = [
    {"code": "first", "name": "一等奖", "amount": "5000.00"},
    {"code": "second", "name": "二等奖", "amount": "2000.00"},
    {"code": "third", "name": "三等奖", "amount": "800.00"},
    {"code": "merit", "name": "鼓励奖", "amount": "200.00"},
]
# The closed window's proposals by where they ended, and the open window's.
CLOSED_PLAN = [
    ("rewarded", 7),
    ("notice", 3),
    ("implemented", 6),
    ("implementing", 8),
    ("adopted", 4),
    ("deferred", 14),
    ("rejected", 20),
]
OPEN_PLAN = [
    ("received", 18),
    ("evaluating", 26),
    ("adopted", 10),
    ("implementing", 2),
    ("rejected", 2),
]
EVALUATORS = 3  # per proposal
HEAD_WAITING = 8  # open proposals waiting for the head account's scores
PROGRESS = ("已完成方案设计和物资申请。", "设备已到货，正在安装调试。", "已完成改造，试运行正常。")
WORKPLACES = {  # what a title may start with, where it is proposed
    "mine": ("", "一号", "二号", "东翼", "西翼", "北区"),
    "plant": ("", "一号", "二号", "A系统", "B系统"),
}


@dataclass
class Built:
    """The rows of the demo, made in memory before they are written."""

    proposals: list[Proposal] = field(default_factory=list)
    authors: list[list[tuple[Person, int]]] = field(default_factory=list)
    evaluators: list[list[tuple[Person, dt.datetime | None, int]]] = field(default_factory=list)
    events: list[list[tuple[str, dt.datetime, str, dict[str, Any], bool]]] = field(
        default_factory=list
    )


def texts(place: str = "") -> list[dict[str, Any]]:
    """Return the demo proposals' texts: all, or those fit for ``place`` ("mine", "plant")."""
    with TEXTS_FILE.open("rb") as file:
        found = list(tomllib.load(file)["proposals"])
    return [text for text in found if not place or text.get("place", place) == place]


def demo_exists() -> bool:
    return Window.objects.exists()


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    zone = timezone.get_current_timezone()
    return dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=zone)


def _committee(mine: OrgUnit, extra: list[Person]) -> list[Person]:
    cadres = list(
        Person.objects.filter(
            unit__path__startswith=mine.path, unit__kind=UnitKind.DEPARTMENT, is_active=True
        )
        .exclude(cadre_rank="")
        .order_by("employee_no")[:4]
    )
    return list(dict.fromkeys(extra + cadres))


@transaction.atomic
def demo_load(*, seed: int = org_demo.DEFAULT_SEED) -> dict[str, int]:
    """Build the demo's windows and proposals unless they exist; return what was made."""
    if not org_demo.demo_exists() or demo_exists():
        return {}
    company = (
        OrgUnit.objects.filter(path__startswith=org_demo.demo_group().path, kind=UnitKind.COMPANY)
        .order_by("path")
        .first()
    )
    plant = org_demo.demo_plant()
    open_mine = (
        OrgUnit.objects.filter(path__startswith=company.path, kind=UnitKind.MINE)
        .order_by("path")
        .first()
        if company
        else None
    )
    if plant is None or open_mine is None:
        return {}
    rng = random.Random(f"xinsheng.proposals.demo:{seed}")
    today = timezone.localdate()
    head = Person.objects.filter(user__username="head").first()
    admin = User.objects.filter(username="admin").first()
    closed = Window.objects.create(
        title=f"{today.year - 1}年度“爱矿山爱主人、献良策”合理化建议征集",
        unit=plant,
        unit_path=plant.path,
        opens_on=today - dt.timedelta(days=300),
        closes_on=today - dt.timedelta(days=150),
        categories=list(DEFAULT_CATEGORIES),
        criteria=CRITERIA,
        tiers=TIERS,
        note="整理分类，酌情实施；采纳实施的建议按创效评定奖励。",
    )
    opened = Window.objects.create(
        title=f"{today.year}年“小改小革、献计献策”合理化建议征集",
        unit=open_mine,
        unit_path=open_mine.path,
        opens_on=today - dt.timedelta(days=45),
        closes_on=today + dt.timedelta(days=45),
        categories=list(DEFAULT_CATEGORIES),
        criteria=CRITERIA,
        tiers=TIERS,
    )
    closed_committee = _committee(plant, [])
    open_committee = _committee(open_mine, [head] if head else [])
    closed.committee.set(closed_committee)
    opened.committee.set(open_committee)
    units = {
        unit.path: unit
        for unit in OrgUnit.objects.filter(
            Q(path__startswith=plant.path) | Q(path__startswith=open_mine.path)
        )
    }
    built = Built()
    numbers: dict[int, int] = {}
    for window, plan, committee, place in (
        (closed, CLOSED_PLAN, closed_committee, "plant"),
        (opened, OPEN_PLAN, open_committee, "mine"),
    ):
        pool = texts(place)
        people = list(
            Person.objects.filter(
                unit__path__startswith=window.unit_path,
                unit__kind=UnitKind.TEAM,
                is_active=True,
            )
            .select_related("unit")
            .order_by("employee_no")
        )
        for fate, count in plan:
            for _index in range(count):
                _build(
                    built,
                    window,
                    fate,
                    committee,
                    people,
                    (pool, WORKPLACES[place]),
                    rng,
                    today,
                    numbers,
                    head,
                    units,
                )
    made = _write(built, rng, today, admin)
    return {"windows": 2, **made}


def _build(
    built: Built,
    window: Window,
    fate: str,
    committee: list[Person],
    people: list[Person],
    place: tuple[list[dict[str, Any]], tuple[str, ...]],
    rng: random.Random,
    today: dt.date,
    numbers: dict[int, int],
    head: Person | None,
    units: dict[str, OrgUnit],
) -> None:
    """Make one proposal of ``window`` that ended as ``fate``, with its history, in memory.

    ``place`` is the texts the window draws from and the workplaces its titles may name.
    """
    pool, workplaces = place
    text = rng.choice(pool)
    proposer = rng.choice(people)
    last_day = min(window.closes_on, today)
    submitted = _at(
        window.opens_on + dt.timedelta(days=rng.randint(0, (last_day - window.opens_on).days)), rng
    )
    numbers[submitted.year] = numbers.get(submitted.year, 0) + 1
    low, high = text["savings"]
    estimated = Decimal(rng.randint(low // 100, high // 100) * 100) if high else None
    where = rng.choice(workplaces)
    title = text["title"] if not where or rng.random() < 0.5 else f"{where}{text['title']}"
    proposal = Proposal(
        proposal_no=f"JY{submitted.year}-{numbers[submitted.year]:05d}",
        window=window,
        unit=proposer.unit,
        unit_path=proposer.unit.path,
        category=text["category"],
        title=title[:100],
        problem=text["problem"],
        measure=text["measure"],
        benefit=text["benefit"],
        estimated_savings=estimated,
        proposer=proposer,
        channel=rng.choice([Channel.FORM, Channel.FORM, Channel.RECORDER, Channel.IMPORT]),
        submitted_at=submitted,
        status=ProposalStatus.RECEIVED,
    )
    authors = [(proposer, 100)]
    if rng.random() < 0.25:
        partner = rng.choice(people)
        if partner.pk != proposer.pk:
            authors = [(proposer, 60), (partner, 40)]
    events: list[tuple[str, dt.datetime, str, dict[str, Any], bool]] = [
        (EventKind.SUBMITTED, submitted, "", {"channel": proposal.channel}, True)
    ]
    evaluators: list[tuple[Person, dt.datetime | None, int]] = []
    if fate != "received":
        assigned = submitted + dt.timedelta(days=rng.randint(2, 6))
        events.append((EventKind.ASSIGNED, assigned, "进入评审", {}, True))
        chosen = rng.sample(committee, min(EVALUATORS, len(committee)))
        waiting_for_head = (
            fate == "evaluating"
            and head is not None
            and head in committee
            and sum(
                1 for row in built.evaluators if any(p == head and s is None for p, s, _t in row)
            )
            < HEAD_WAITING
        )
        if waiting_for_head and head is not None and head not in chosen:
            chosen = [head, *chosen[: EVALUATORS - 1]]
        quality = rng.randint(45, 95)
        for person in chosen:
            unscored = fate == "evaluating" and (
                (waiting_for_head and person == head) or rng.random() < 0.4
            )
            scored = None if unscored else assigned + dt.timedelta(days=rng.randint(1, 8))
            total = max(10, min(100, quality + rng.randint(-8, 8)))
            evaluators.append((person, scored, total))
        proposal.status = ProposalStatus.EVALUATING
    if fate in {"received", "evaluating"}:
        _keep(built, proposal, authors, evaluators, events)
        return
    decided = max(s for _p, s, _t in evaluators if s is not None) + dt.timedelta(
        days=rng.randint(3, 12)
    )
    decision = {
        "deferred": Decision.DEFERRED,
        "rejected": Decision.REJECTED,
    }.get(fate, Decision.PARTLY_ADOPTED if rng.random() < 0.2 else Decision.ADOPTED)
    reason = ""
    if decision == Decision.DEFERRED:
        reason = rng.choice(["待明年技改资金落实后实施。", "需与设备大修统筹安排，暂缓。"])
    elif decision == Decision.REJECTED:
        reason = rng.choice(
            ["已有同类措施在实施。", "现场条件不具备，安全上不可行。", "效益不明显，投入较大。"]
        )
    proposal.decision = decision
    proposal.decision_reason = reason
    proposal.decided_at = decided
    proposal.status = decision
    events.append((EventKind.DECIDED, decided, reason, {"decision": decision}, True))
    if decision not in ADOPTING or fate == "adopted":
        _keep(built, proposal, authors, evaluators, events)
        return
    started = decided + dt.timedelta(days=rng.randint(5, 15))
    owner = units.get(proposer.unit.path[: -OrgUnit.steplen], proposer.unit)
    proposal.owner_unit = owner
    proposal.due_date = started.date() + dt.timedelta(days=rng.randint(30, 120))
    proposal.implementing_since = started
    proposal.status = ProposalStatus.IMPLEMENTING
    events.append((EventKind.IMPLEMENTING, started, f"实施单位：{owner.name}", {}, True))
    if fate == "implementing":
        _keep(built, proposal, authors, evaluators, events)
        return
    verified = _at(today - dt.timedelta(days=rng.randint(25, 60)), rng)
    factor = Decimal(rng.randint(60, 130)) / 100
    actual = (estimated * factor).quantize(Decimal("100")) if estimated else None
    proposal.actual_savings = actual
    proposal.verified_at = verified
    proposal.status = ProposalStatus.IMPLEMENTED
    events.append((EventKind.VERIFIED, verified, "", {"actual_savings": str(actual)}, True))
    if fate == "implemented":
        _keep(built, proposal, authors, evaluators, events)
        return
    saved = actual or Decimal("0")
    tier = TIERS[0 if saved >= 100000 else 1 if saved >= 50000 else 2 if saved > 0 else 3]
    proposal.reward_tier = tier["code"]
    proposal.reward_amount = Decimal(tier["amount"])
    if fate == "notice":
        proposal.notice_from = today - dt.timedelta(days=2)
    else:
        proposal.notice_from = today - dt.timedelta(days=rng.randint(12, 20))
    proposal.notice_until = proposal.notice_from + dt.timedelta(days=window.notice_days)
    notice_at = _at(proposal.notice_from, rng)
    note = f"拟评{tier['name']}，公示至{proposal.notice_until}"
    events.append((EventKind.NOTICE, notice_at, note, {"tier": tier["code"]}, True))
    if fate == "rewarded":
        paid = _at(proposal.notice_until + dt.timedelta(days=rng.randint(1, 4)), rng)
        proposal.rewarded_at = paid
        proposal.status = ProposalStatus.REWARDED
        events.append((EventKind.REWARDED, paid, tier["name"], {"amount": tier["amount"]}, True))
    _keep(built, proposal, authors, evaluators, events)


def _keep(
    built: Built,
    proposal: Proposal,
    authors: list[tuple[Person, int]],
    evaluators: list[tuple[Person, dt.datetime | None, int]],
    events: list[tuple[str, dt.datetime, str, dict[str, Any], bool]],
) -> None:
    built.proposals.append(proposal)
    built.authors.append(authors)
    built.evaluators.append(evaluators)
    built.events.append(events)


def _split_total(total: int, rng: random.Random) -> dict[str, int]:
    """Split an evaluator's total over the rubric, each within its maximum."""
    top = sum(int(row["max"]) for row in CRITERIA)
    values = {str(row["code"]): int(row["max"]) * total // top for row in CRITERIA}
    rest = total - sum(values.values())
    for row in CRITERIA:
        room = int(row["max"]) - values[row["code"]]
        step = min(room, rest)
        values[row["code"]] += step
        rest -= step
    return values


def _write(built: Built, rng: random.Random, today: dt.date, admin: User | None) -> dict[str, int]:
    """Write what was built, in bulk."""
    Proposal.objects.bulk_create(built.proposals)
    CoAuthor.objects.bulk_create(
        CoAuthor(proposal=proposal, person=person, share=share)
        for proposal, authors in zip(built.proposals, built.authors, strict=True)
        for person, share in authors
    )
    assignments: list[Assignment] = []
    totals: list[int] = []
    for proposal, rows in zip(built.proposals, built.evaluators, strict=True):
        for person, scored, total in rows:
            assignments.append(
                Assignment(
                    proposal=proposal,
                    evaluator=person,
                    scored_at=scored,
                    total=total if scored else None,
                    comment=rng.choice(["思路清晰，可操作性强。", "建议细化实施方案。", ""])
                    if scored
                    else "",
                )
            )
            totals.append(total)
    Assignment.objects.bulk_create(assignments)
    Score.objects.bulk_create(
        Score(assignment=assignment, criterion=code, value=value)
        for assignment, total in zip(assignments, totals, strict=True)
        if assignment.scored_at is not None
        for code, value in _split_total(total, rng).items()
    )
    actor_id = admin.pk if admin else None
    ProposalEvent.objects.bulk_create(
        ProposalEvent(
            proposal=proposal,
            kind=kind,
            at=at,
            note=note,
            data=data,
            public=public,
            actor_id=actor_id,
        )
        for proposal, events in zip(built.proposals, built.events, strict=True)
        for kind, at, note, data, public in events
    )
    notes = []
    payments = []
    for proposal, authors in zip(built.proposals, built.authors, strict=True):
        if proposal.implementing_since is not None:
            for index, text in enumerate(PROGRESS[: 3 if proposal.verified_at else 2]):
                at = proposal.implementing_since + dt.timedelta(days=7 * (index + 1))
                notes.append(ProgressNote(proposal=proposal, text=text, at=at, actor_id=actor_id))
        if proposal.status == ProposalStatus.REWARDED and proposal.rewarded_at is not None:
            for person, part in shares_split(proposal.reward_amount or Decimal("0"), authors):
                payments.append(
                    RewardPayment(
                        proposal=proposal,
                        person=person,
                        unit_path=proposal.unit_path,
                        tier=proposal.reward_tier,
                        amount=part,
                        paid_on=proposal.rewarded_at.date(),
                        at=proposal.rewarded_at,
                        actor_id=actor_id,
                    )
                )
    ProgressNote.objects.bulk_create(notes)
    RewardPayment.objects.bulk_create(payments)
    statuses = [proposal.status for proposal in built.proposals]
    return {
        "proposals": len(built.proposals),
        "adopted": sum(1 for p in built.proposals if p.decision in ADOPTING),
        "implemented": statuses.count(ProposalStatus.IMPLEMENTED)
        + statuses.count(ProposalStatus.REWARDED),
        "rewarded": statuses.count(ProposalStatus.REWARDED),
        "on_notice": sum(1 for p in built.proposals if p.notice_until and p.notice_until >= today),
        "assignments": len(assignments),
        "reward_yuan": int(sum(payment.amount for payment in payments)),
    }


def demo_report(*, summary: dict[str, Any] | None, seed: int) -> str:
    """Return the console's line about the proposals just loaded (nothing when before)."""
    made = (summary or {}).get("proposals")
    if not made:
        return ""
    return (
        f"Rationalisation proposals: {made.get('proposals', 0)} in {made.get('windows', 0)} "
        f"windows, {made.get('adopted', 0)} adopted, {made.get('implemented', 0)} implemented, "
        f"{made.get('rewarded', 0)} rewarded ({made.get('reward_yuan', 0)} yuan), "
        f"{made.get('on_notice', 0)} on public notice; http://127.0.0.1:8000/proposals/"
    )

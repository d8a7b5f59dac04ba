"""Random cases taken through the real services, at moved clock times, for the figures tests.

The clock is moved by replacing ``django.utils.timezone.now``: every service, every
``auto_now_add`` time and every "today" reads it, so the rows look as if written on those days.
"""

import contextlib
import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from tests.cases.factories import make_category
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.cases import services
from xinsheng.cases.choices import Channel
from xinsheng.cases.models import Case, Category
from xinsheng.cases.services import Identity, Submitted
from xinsheng.core.errors import Conflict
from xinsheng.core.ratings import Satisfaction
from xinsheng.org.choices import Role
from xinsheng.org.models import OrgUnit

TZ = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2025, 3, 3, 8, 30, tzinfo=TZ)  # a Monday
SPAN_DAYS = 100


class Clock:
    """The time every service sees; moved by hand."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, start: dt.datetime) -> None:
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, rng: random.Random, *, most_days: int = 3) -> None:
        """Move on by a random while: minutes to ``most_days`` days, at any hour."""
        self.now += dt.timedelta(minutes=rng.randint(5, most_days * 24 * 60 + 30))


@dataclass
class Cast:
    """Who acts: an administrator (dispatches anywhere), handlers per unit, a supervisor."""

    admin: User
    recorder: User
    supervisor: User
    handlers: dict[int, User]
    units: list[OrgUnit]  # where cases come from
    handling_units: list[OrgUnit]  # where they are dispatched to
    categories: list[Category] = field(default_factory=list)


def make_scenario_cast(tree: Tree) -> Cast:
    """Return the people acting in the scenario, with three categories."""
    handling = [tree.area1, tree.mine1, tree.team1, tree.mine2, tree.company2]
    return Cast(
        admin=make_staff(tree.group, Role.ADMINISTRATOR),
        recorder=make_staff(tree.group, Role.RECORDER),
        supervisor=make_staff(tree.group, Role.SUPERVISOR),
        handlers={unit.pk: make_staff(unit, Role.HANDLER) for unit in handling},
        units=[tree.team1, tree.area1, tree.mine1, tree.mine2, tree.company2, tree.company1],
        handling_units=handling,
        categories=[
            make_category("canteen", "食堂", 5),
            make_category("wages", "薪酬", 3),
            make_category("safety", "安全", 2),
        ],
    )


def _submit(rng: random.Random, cast: Cast) -> Submitted:
    unit = rng.choice(cast.units)
    anonymous = rng.random() < 0.5
    identity = (
        Identity(anonymous=True)
        if anonymous
        else Identity(anonymous=False, name="李明", employee_no="E1", phone="13900001111")
    )
    text = rng.choice(["食堂饭菜偏咸。", "工资条看不懂。", "井口照明不足。", "澡堂热水不够。"])
    if rng.random() < 0.6:
        return services.case_submit(
            unit=unit, kind="demand", title="", text=text, identity=identity
        )
    channel = rng.choice([c for c in Channel if c != Channel.QR])
    return services.case_record(
        actor=cast.recorder,
        unit=unit,
        channel=channel,
        kind="suggestion",
        title="",
        text=text,
        identity=identity,
        heard_on=timezone.localdate(),
    )


def _rate(rng: random.Random, receipt: str, *, satisfaction: str | None = None) -> str:
    choice = satisfaction or rng.choice(
        [Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED, Satisfaction.UNSATISFIED]
    )
    solved = choice != Satisfaction.UNSATISFIED and rng.random() < 0.8
    services.case_rate(receipt_code=receipt, satisfaction=choice, solved=solved)
    return choice


def _handle(rng: random.Random, clock: Clock, cast: Cast, case: Case, receipts: list[str]) -> None:
    """Take a dispatched case through signing, answering and rating, with detours."""
    admin = cast.admin
    for _attempt in range(3):
        unit = rng.choice(cast.handling_units)
        services.case_dispatch(case=case, actor=admin, unit=unit)
        handler = cast.handlers[unit.pk]
        clock.advance(rng, most_days=2)
        if rng.random() < 0.1:
            return  # never signed: still dispatched
        if rng.random() < 0.2:
            services.case_return(case=case, actor=handler, reason="不属于本单位职责。")
            clock.advance(rng, most_days=1)
            continue
        services.case_sign(case=case, actor=handler)
        break
    else:
        return
    if rng.random() < 0.2:
        clock.advance(rng)
        services.case_supervise(case=case, actor=cast.supervisor, text="请抓紧办理。")
    if rng.random() < 0.15:
        current = Case.objects.get(pk=case.pk)
        until = (current.deadline or timezone.localdate()) + dt.timedelta(days=5)
        services.case_extension_request(case=case, actor=handler, until=until, reason="需采购。")
        services.case_extension_grant(case=case, actor=admin)
    for _round in range(5):
        clock.advance(rng, most_days=6)
        if rng.random() < 0.05:
            return  # still in progress
        services.case_answer(case=case, actor=handler, text="已处理。", solved=rng.random() < 0.7)
        clock.advance(rng, most_days=2)
        if rng.random() < 0.2:
            return  # answered, not rated (closed later by the sweep, or still waiting)
        choice = _rate(rng, receipts[0])
        for follower in receipts[1:]:
            if rng.random() < 0.6:
                clock.advance(rng, most_days=1)
                with contextlib.suppress(Conflict):  # no longer open to rating
                    _rate(rng, follower)
        current = Case.objects.get(pk=case.pk)
        if current.escalated:
            clock.advance(rng)
            services.case_supervise(case=case, actor=cast.supervisor, text="重新办理。")
            continue
        if choice != Satisfaction.UNSATISFIED:
            return


def build_cases(
    rng: random.Random, clock: Clock, cast: Cast, count: int, *, every: Callable[[], object]
) -> list[Case]:
    """Create ``count`` random cases through the services; call ``every`` now and then."""
    made: list[Case] = []
    for number in range(count):
        clock.now = START + dt.timedelta(minutes=rng.randint(0, SPAN_DAYS * 24 * 60))
        submitted = _submit(rng, cast)
        case = submitted.case
        made.append(case)
        receipts = [submitted.receipt_code]
        clock.advance(rng, most_days=1)
        roll = rng.random()
        if roll < 0.08:
            services.case_reject(case=case, actor=cast.admin, reason="不属于受理范围。")
        elif roll < 0.12:
            pass  # left waiting
        else:
            category = rng.choice(cast.categories)
            services.case_accept(case=case, actor=cast.admin, category=category)
            if rng.random() < 0.25:  # a duplicate arrives and is merged into it
                clock.advance(rng, most_days=1)
                duplicate = _submit(rng, cast)
                made.append(duplicate.case)
                services.case_merge(case=duplicate.case, actor=cast.admin, into=case)
                receipts.append(duplicate.receipt_code)
            clock.advance(rng, most_days=1)
            if rng.random() < 0.95:
                _handle(rng, clock, cast, case, receipts)
        if number % 7 == 6:
            every()
    clock.now = START + dt.timedelta(days=SPAN_DAYS + 30)
    services.cases_close_unrated(now=clock.now)
    return made


def iter_days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)

"""Test factories of proposals: a window with a rubric, tiers and a committee."""

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db.models import F
from django.utils import timezone

from tests.org.factories import PersonFactory, make_staff
from xinsheng.org.choices import Role
from xinsheng.org.models import OrgUnit, Person
from xinsheng.proposals import services
from xinsheng.proposals.models import Proposal, Window

CRITERIA = [
    {"code": "innovation", "name": "创新性", "max": 30},
    {"code": "feasibility", "name": "可行性", "max": 30},
    {"code": "benefit", "name": "效益", "max": 40},
]
TIERS = [
    {"code": "first", "name": "一等奖", "amount": "3000"},
    {"code": "second", "name": "二等奖", "amount": "1000"},
    {"code": "third", "name": "三等奖", "amount": "500"},
]


def make_window(unit: OrgUnit, committee: list[Person], **extra: Any) -> Window:
    """Open a window at ``unit`` running from a week ago to a month ahead."""
    manager = make_staff(unit, Role.ADMINISTRATOR)
    today = timezone.localdate()
    fields: dict[str, Any] = {
        "title": "2026年度“爱矿山、献良策”合理化建议征集",
        "opens_on": today - dt.timedelta(days=7),
        "closes_on": today + dt.timedelta(days=30),
        "criteria": CRITERIA,
        "tiers": TIERS,
        "committee": committee,
        **extra,
    }
    return services.window_create(actor=manager, unit=unit, **fields)


def make_evaluator(unit: OrgUnit, name: str = "") -> tuple[User, Person]:
    """Create a staff user with no role, whose person can sit on a committee."""
    user = make_staff(unit)
    person = Person.objects.get(user=user)
    if name:
        person.name = name
        person.save()
    return user, person


def make_worker(unit: OrgUnit, name: str = "王建国") -> Person:
    return PersonFactory(unit=unit, name=name)  # type: ignore[no-any-return]


def submit(
    unit: OrgUnit, worker: Person, title: str = "改进皮带机清扫器", **extra: Any
) -> tuple[Proposal, str]:
    """Submit a proposal by name at ``unit``; return it and its receipt code."""
    draft = services.Draft(
        title=title,
        problem=extra.pop("problem", "皮带机头部清扫器刮板磨损快，回程皮带粘煤严重。"),
        measure=extra.pop("measure", "改用聚氨酯合金刮板，并加装二道清扫器。"),
        benefit=extra.pop("benefit", "减少撒煤和清理人工。"),
        estimated_savings=extra.pop("estimated_savings", "50000"),
        **extra,
    )
    done = services.proposal_submit_at(
        unit_code=unit.code, draft=draft, name=worker.name, employee_no=worker.employee_no
    )
    return done.proposal, done.receipt_code


def notice_passes(proposal: Proposal) -> None:
    """Let the public notice of ``proposal``'s reward run out (its days pass)."""
    days = dt.timedelta(days=10)
    Proposal.objects.filter(pk=proposal.pk).update(
        notice_from=F("notice_from") - days, notice_until=F("notice_until") - days
    )

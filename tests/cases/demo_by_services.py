"""The demo year taken through the services, step by step, as the demo was built before it was
written in bulk: the reference the bulk-written year is compared with (test_demo_bulk.py).

Every step goes through ``xinsheng.cases.services``; after each one, what the services stamped
with the real time is moved to the simulated time with queryset updates.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models.signals import post_save
from django.utils import timezone

from xinsheng.cases import services
from xinsheng.cases.choices import EventKind
from xinsheng.cases.demo import CasePlan, Step, case_no_in
from xinsheng.cases.models import Case, CaseEvent, Category, Rating
from xinsheng.core.calendar import add_working_days

DISPATCH_UID = "tests.cases.demo_by_services.Runner.written"


class Runner:
    """Take the planned steps and the nightly sweeps in time order, through the services.

    The services stamp the real time. After each step, ``settle`` moves what it stamped to the
    simulated time with queryset updates (``update()``, ``bulk_update()``). Events are
    append-only for ``save`` and ``delete``; rewriting their time (and the deadlines in their
    data) this way is allowed for this demo builder only, which writes a history that never
    happened in real time.
    """

    def __init__(self, categories: dict[str, Category], days_off: frozenset[dt.date]) -> None:
        self.categories = categories
        self.days_off = days_off
        self.started = timezone.now()  # everything stamped from now on is still to be moved
        self.fresh: list[CaseEvent] = []  # written by the step being taken
        self.stamped: list[CaseEvent] = []  # given their simulated time, to be saved in bulk
        self.restated: list[CaseEvent] = []  # given simulated deadlines in their data
        self.response_days: int = settings.XINSHENG["RESPONSE_DAYS"]

    def run(self, plans: list[CasePlan], start: dt.datetime, end: dt.datetime) -> None:
        """Take every step before ``end``, and sweep at each midnight after ``start``."""
        if end >= self.started:
            raise ValueError("the simulated year must end before now")
        agenda = [
            (step.at, 1, i, j)
            for i, plan in enumerate(plans)
            for j, step in enumerate(plan.steps)
            if step.at < end
        ]
        day = start.date() + dt.timedelta(days=1)
        while day <= end.date():
            agenda.append((dt.datetime.combine(day, dt.time.min, tzinfo=end.tzinfo), 0, -1, -1))
            day += dt.timedelta(days=1)
        agenda.sort()
        post_save.connect(self.written, sender=CaseEvent, weak=False, dispatch_uid=DISPATCH_UID)
        try:
            for at, _order, i, j in agenda:
                if i < 0:
                    self.sweep(at)
                else:
                    self.take(plans[i], plans[i].steps[j])
        finally:
            post_save.disconnect(sender=CaseEvent, dispatch_uid=DISPATCH_UID)
        # The events' times are not read while the year runs: they are written in bulk at the end.
        CaseEvent.objects.bulk_update(self.stamped, ["at"], batch_size=500)
        CaseEvent.objects.bulk_update(self.restated, ["data"], batch_size=500)

    def written(self, sender: type[CaseEvent], instance: CaseEvent, **kwargs: Any) -> None:
        """Note an event a service has just written (a ``post_save`` receiver)."""
        self.fresh.append(instance)

    def sweep(self, at: dt.datetime) -> None:
        """Do what the scheduler does each night: overdue, reminders, unrated answers."""
        services.cases_mark_overdue(today=at.date())
        services.cases_remind_due(today=at.date())
        services.cases_close_unrated(now=at)
        self.settle(at, None, {})
        Case.objects.filter(updated_at__gte=self.started).update(updated_at=at)

    def take(self, plan: CasePlan, step: Step) -> None:
        """Take ``step`` through its service, then move its stamps to ``step.at``."""
        if step.action in {"submit", "record"}:
            submitted = self.submit(plan)
            plan.case, plan.receipt = submitted.case, submitted.receipt_code
            # Numbers run on across years, in the order cases came in; the year is the case's.
            fields = {"created_at": step.at, "case_no": case_no_in(plan.case.case_no, step.at.year)}
            self.settle(step.at, plan.case, fields)
            return
        case = plan.case
        if case is None:
            raise ValueError("a step before the case exists")
        action = ACTIONS[step.action]
        fields, data = action(self, plan, case, step)
        self.settle(step.at, case if step.action != "note" else None, fields, data)
        if step.action == "rate":
            Rating.objects.filter(at__gte=self.started).update(at=step.at)

    def settle(
        self,
        at: dt.datetime,
        case: Case | None,
        fields: dict[str, Any],
        data: dict[str, dict[str, Any]] | None = None,
    ) -> None:
        """Move what the last step stamped to the simulated time ``at``.

        The case's own times and deadlines are updated at once (the nightly sweeps read them);
        the new events are given ``at`` (and their data its simulated deadlines) in memory, and
        written in bulk when the year has run.
        """
        for event in self.fresh:
            event.at = at
            if data and event.kind in data:
                event.data = data[event.kind]
                self.restated.append(event)
        self.stamped += self.fresh
        self.fresh = []
        if case is not None:
            Case.objects.filter(pk=case.pk).update(updated_at=at, **fields)

    def submit(self, plan: CasePlan) -> services.Submitted:
        if plan.recorder is None:
            return services.case_submit(
                unit=plan.origin,
                kind=plan.kind,
                title=plan.title,
                text=plan.text,
                identity=plan.identity,
            )
        return services.case_record(
            actor=plan.recorder,
            unit=plan.origin,
            channel=plan.channel,
            kind=plan.kind,
            title=plan.title,
            text=plan.text,
            identity=plan.identity,
            heard_on=plan.heard_on,
            heard_place=plan.heard_place,
        )


Fixes = tuple[dict[str, Any], dict[str, dict[str, Any]]]


def _actor(step: Step) -> User:
    if step.actor is None:
        raise ValueError(f"{step.action} needs an actor")
    return step.actor


def _date(step: Step) -> dt.date:
    if step.date is None:
        raise ValueError(f"{step.action} needs a date")
    return step.date


def _accept(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    category = runner.categories[plan.category.code]
    services.case_accept(case=case, actor=_actor(step), category=category, urgency=plan.urgency)
    return {"accepted_at": step.at}, {}


def _reject(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_reject(case=case, actor=_actor(step), reason=step.text)
    return {"closed_at": step.at}, {}


def _merge(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    target = plan.merge_into.case if plan.merge_into is not None else None
    if target is None:
        raise ValueError("merging into a case that does not exist yet")
    services.case_merge(case=case, actor=_actor(step), into=target)
    return {"closed_at": step.at}, {}


def _dispatch(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    if step.unit is None:
        raise ValueError("dispatch needs a unit")
    services.case_dispatch(case=case, actor=_actor(step), unit=step.unit)
    deadline = _date(step)
    response = add_working_days(step.at.date(), runner.response_days, days_off=runner.days_off)
    fields = {"dispatched_at": step.at, "response_deadline": response, "deadline": deadline}
    return fields, {EventKind.DISPATCHED: {"deadline": deadline.isoformat()}}


def _sign(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_sign(case=case, actor=_actor(step))
    return {"signed_at": step.at}, {}


def _note(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_note(case=case, actor=_actor(step), text=step.text)
    return {}, {}


def _return(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_return(case=case, actor=_actor(step), reason=step.text)
    return {}, {}


def _extend(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_extension_request(
        case=case, actor=_actor(step), until=_date(step), reason=step.text
    )
    return {}, {}


def _grant(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_extension_grant(case=case, actor=_actor(step))
    return {}, {}


def _refuse(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_extension_refuse(case=case, actor=_actor(step))
    return {}, {}


def _supervise(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_supervise(case=case, actor=_actor(step), text=step.text)
    return ({"deadline": _date(step)} if step.outcome == "reopened" else {}), {}


def _answer(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_answer(case=case, actor=_actor(step), text=step.text, solved=step.solved)
    return {"answered_at": step.at}, {}


def _rate(runner: Runner, plan: CasePlan, case: Case, step: Step) -> Fixes:
    services.case_rate(
        receipt_code=plan.receipt,
        satisfaction=step.satisfaction,
        solved=step.solved,
        comment=step.text,
    )
    if step.outcome != "reopened":
        return {"closed_at": step.at}, {}
    deadline = _date(step)
    data = {"round": step.round + 1, "deadline": deadline.isoformat()}
    return {"deadline": deadline}, {EventKind.REOPENED: data}


ACTIONS: dict[str, Callable[[Runner, CasePlan, Case, Step], Fixes]] = {
    "accept": _accept,
    "reject": _reject,
    "merge": _merge,
    "dispatch": _dispatch,
    "sign": _sign,
    "note": _note,
    "return": _return,
    "extend": _extend,
    "grant": _grant,
    "refuse": _refuse,
    "supervise": _supervise,
    "answer": _answer,
    "rate": _rate,
}

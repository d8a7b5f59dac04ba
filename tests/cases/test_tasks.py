"""The scheduled work of the loop: the deadline sweep, unrated answers closed, the scheduler, and
the administration pages that must not change cases."""

import datetime as dt
import os
import signal
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_enqueued
from pytest_django.fixtures import Settings

from tests.cases.factories import Cast, answered, dispatched, make_cast, make_category, reload
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.cases import services, tasks
from xinsheng.cases.choices import CaseStatus, CloseReason, EventKind
from xinsheng.cases.models import Case, CaseEvent, Category, Rating
from xinsheng.core.calendar import add_working_days
from xinsheng.core.errors import Conflict
from xinsheng.core.models import AuditEvent, Notification
from xinsheng.core.schedule import round_claim
from xinsheng.org.choices import Role


@pytest.fixture
def cast(tree: Tree) -> Cast:
    return make_cast(tree)


def sweep() -> str:
    out = StringIO()
    call_command("cases_sweep", stdout=out)
    return out.getvalue()


def due(case: Case, deadline: dt.date) -> None:
    """Given: the case's deadline is ``deadline`` (as if dispatched days ago)."""
    Case.objects.filter(pk=case.pk).update(deadline=deadline)


def events(case: Case, kind: EventKind) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case=case, kind=kind))


def handler_texts(cast: Cast) -> list[str]:
    return list(Notification.objects.filter(user=cast.handler).values_list("text", flat=True))


# --- The deadline sweep ---------------------------------------------------------------------------


def test_a_case_past_its_deadline_is_marked_overdue_once_and_its_unit_told(
    tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    case = dispatched(tree, cast).case
    due(case, timezone.localdate() - dt.timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        output = sweep()
        again = sweep()

    case = reload(case)
    assert case.is_overdue
    assert case.status == CaseStatus.DISPATCHED
    assert len(events(case, EventKind.OVERDUE)) == 1
    assert "1 marked overdue" in output
    assert "0 marked overdue" in again
    assert any(case.case_no in t and "已超过办理时限" in t for t in handler_texts(cast))


def test_a_case_due_today_or_answered_is_not_overdue(tree: Tree, cast: Cast) -> None:
    today_case = dispatched(tree, cast).case
    due(today_case, timezone.localdate())
    answered_case = answered(tree, cast).case
    due(answered_case, timezone.localdate() - dt.timedelta(days=3))

    sweep()

    assert not reload(today_case).is_overdue
    assert not reload(answered_case).is_overdue
    assert not CaseEvent.objects.filter(kind=EventKind.OVERDUE).exists()


def test_the_unit_is_reminded_once_the_working_day_before(
    tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    case = dispatched(tree, cast).case
    tomorrow = add_working_days(timezone.localdate(), 1)
    due(case, tomorrow)
    later = dispatched(tree, cast).case
    due(later, add_working_days(timezone.localdate(), 2))

    with django_capture_on_commit_callbacks(execute=True):
        first = sweep()
        second = sweep()

    reminders = events(case, EventKind.REMINDED)
    assert len(reminders) == 1
    assert reminders[0].data == {"deadline": tomorrow.isoformat()}
    assert not reminders[0].is_public
    assert not events(later, EventKind.REMINDED)
    assert "1 reminded" in first
    assert "0 reminded" in second
    texts = [t for t in handler_texts(cast) if "到期" in t]
    assert texts == [f"{case.case_no} 将于{tomorrow.isoformat()}到期，请抓紧办理。"]


# --- Unrated answers ------------------------------------------------------------------------------


def answered_days_ago(tree: Tree, cast: Cast, days: float) -> Case:
    case = answered(tree, cast).case
    Case.objects.filter(pk=case.pk).update(answered_at=timezone.now() - dt.timedelta(days=days))
    return case


def test_an_answer_not_rated_in_time_closes_as_not_rated_never_satisfied(
    tree: Tree, cast: Cast, settings: Settings
) -> None:
    assert settings.XINSHENG["UNRATED_CLOSE_DAYS"] == 7
    stale = answered_days_ago(tree, cast, 7.1)
    fresh = answered_days_ago(tree, cast, 6.9)

    output = sweep()

    stale, fresh = reload(stale), reload(fresh)
    assert stale.status == CaseStatus.CLOSED
    assert stale.close_reason == CloseReason.NOT_RATED
    assert stale.closed_at is not None
    closing = events(stale, EventKind.CLOSED)
    assert [(e.from_status, e.to_status, e.data) for e in closing] == [
        (CaseStatus.ANSWERED, CaseStatus.CLOSED, {"reason": CloseReason.NOT_RATED})
    ]
    assert not Rating.objects.exists()  # nobody said they were satisfied
    assert fresh.status == CaseStatus.ANSWERED
    assert "1 closed as not rated" in output


def test_the_days_before_closing_unrated_are_configurable(
    tree: Tree, cast: Cast, settings: Settings
) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "UNRATED_CLOSE_DAYS": 3}
    case = answered_days_ago(tree, cast, 3.5)

    sweep()

    assert reload(case).close_reason == CloseReason.NOT_RATED


def test_a_closed_unrated_case_can_no_longer_be_rated(tree: Tree, cast: Cast) -> None:
    submitted = answered(tree, cast)
    Case.objects.filter(pk=submitted.case.pk).update(
        answered_at=timezone.now() - dt.timedelta(days=8)
    )
    sweep()

    with pytest.raises(Conflict, match="当前不能评价"):
        services.case_rate(
            receipt_code=submitted.receipt_code, satisfaction="satisfied", solved=True
        )
    assert not Rating.objects.exists()


# --- The tasks and the scheduler ------------------------------------------------------------------


def test_the_tasks_run_through_the_task_backend(tree: Tree, cast: Cast) -> None:
    case = dispatched(tree, cast).case
    due(case, timezone.localdate() - dt.timedelta(days=2))
    stale = answered_days_ago(tree, cast, 10)

    swept = tasks.deadline_sweep.enqueue()
    closed = tasks.close_unrated.enqueue()

    assert swept.status == TaskResultStatus.SUCCESSFUL
    assert swept.return_value == {"overdue": 1, "reminded": 0}
    assert closed.return_value == 1
    assert reload(case).is_overdue
    assert reload(stale).status == CaseStatus.CLOSED


@pytest.fixture
def enqueued() -> Any:
    names: list[str] = []

    def note(sender: object, task_result: Any, **kwargs: Any) -> None:
        names.append(task_result.task.name)

    task_enqueued.connect(note, dispatch_uid="test-enqueued")
    yield names
    task_enqueued.disconnect(dispatch_uid="test-enqueued")


def test_the_scheduler_enqueues_the_periodic_tasks(
    tree: Tree, cast: Cast, enqueued: list[str]
) -> None:
    case = dispatched(tree, cast).case
    due(case, timezone.localdate() - dt.timedelta(days=1))
    out = StringIO()

    call_command("scheduler", "--once", stdout=out)

    # The loop's sweeps come first (apps in the order they are installed), then the others'.
    assert enqueued[:2] == ["deadline_sweep", "close_unrated"]
    assert "Enqueued deadline_sweep, close_unrated, " in out.getvalue()
    assert reload(case).is_overdue  # tests run tasks at once


def test_two_schedulers_enqueue_one_round_per_interval(db: None, enqueued: list[str]) -> None:
    # Given two servers, each with its scheduler, ticking at the same time
    first, second = StringIO(), StringIO()

    # When both start a round
    call_command("scheduler", "--once", stdout=first)
    call_command("scheduler", "--once", stdout=second)

    # Then the periodic tasks were enqueued once, by the first
    assert "Enqueued deadline_sweep" in first.getvalue()
    assert "Another scheduler has enqueued this round." in second.getvalue()
    assert enqueued.count("deadline_sweep") == 1


def test_a_round_is_free_again_when_its_interval_has_passed(db: None) -> None:
    now = timezone.now()
    interval = 15 * 60.0

    assert round_claim(holder="web-1:101", interval=interval, now=now)
    assert not round_claim(holder="web-2:202", interval=interval, now=now)
    assert not round_claim(holder="web-2:202", interval=interval, now=now + dt.timedelta(minutes=5))
    later = now + dt.timedelta(seconds=interval)
    assert round_claim(holder="web-2:202", interval=interval, now=later)
    assert not round_claim(holder="web-1:101", interval=interval, now=later)


def test_the_scheduler_refuses_a_useless_interval(db: None) -> None:
    with pytest.raises(CommandError, match="interval"):
        call_command("scheduler", "--interval", "0")


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_scheduler_stops_cleanly_on_a_signal(tmp_path: Path, stop: signal.Signals) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "xinsheng.settings",
        "XINSHENG_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "SECRET_KEY": "scheduler-test",
        "LOG_LEVEL": "CRITICAL",
    }
    command = [sys.executable, "-u", "-m", "xinsheng.cli", "scheduler", "--interval", "60"]
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        started = process.stdout.readline()
        assert "Scheduler started: periodic tasks every 60 minutes." in started

        process.send_signal(stop)
        output, _errors = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "Scheduler stopped." in output


# --- Administration -------------------------------------------------------------------------------


@pytest.fixture
def superuser(tree: Tree) -> User:
    return User.objects.create_superuser("root", password="pw-for-tests")


@pytest.fixture
def admin_site(superuser: User) -> Client:
    client = Client()
    client.force_login(superuser)
    return client


def test_cases_and_events_are_shown_but_never_changed_in_the_admin(
    tree: Tree, cast: Cast, admin_site: Client
) -> None:
    case = reload(dispatched(tree, cast).case)
    event = CaseEvent.objects.filter(case=case).first()
    assert event is not None
    before = (case.status, case.title, CaseEvent.objects.count())

    assert case.case_no in admin_site.get("/admin/cases/case/").content.decode()
    assert admin_site.get("/admin/cases/case/?q=" + case.case_no).status_code == 200
    page = admin_site.get(f"/admin/cases/case/{case.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    changed = admin_site.post(
        f"/admin/cases/case/{case.pk}/change/", {"title": "改掉", "status": "closed"}
    )
    assert changed.status_code == 403
    assert admin_site.get(f"/admin/cases/case/{case.pk}/delete/").status_code == 403
    assert (
        admin_site.post(f"/admin/cases/case/{case.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert admin_site.get("/admin/cases/case/add/").status_code == 403
    bulk = admin_site.post(
        "/admin/cases/case/",
        {"action": "delete_selected", "_selected_action": [case.pk], "post": "yes"},
    )
    assert bulk.status_code in {200, 302}
    for url in (f"/admin/cases/caseevent/{event.pk}/change/", "/admin/cases/caseevent/"):
        assert admin_site.get(url).status_code == 200
    assert admin_site.post(f"/admin/cases/caseevent/{event.pk}/change/", {}).status_code == 403
    assert admin_site.get(f"/admin/cases/caseevent/{event.pk}/delete/").status_code == 403
    assert admin_site.get("/admin/cases/caseevent/add/").status_code == 403
    assert admin_site.get("/admin/cases/intakepoint/add/").status_code == 403

    case = reload(case)
    assert (case.status, case.title, CaseEvent.objects.count()) == before


def test_categories_are_edited_in_the_admin_and_audited(
    tree: Tree, admin_site: Client, superuser: User
) -> None:
    category = make_category(code="canteen", name="食堂", days=5)
    listing = admin_site.get("/admin/cases/category/").content.decode()
    assert "canteen" in listing

    response = admin_site.post(
        f"/admin/cases/category/{category.pk}/change/",
        {
            "code": "canteen",
            "name": "食堂",
            "deadline_days": "3",
            "urgent_deadline_days": "1",
            "keywords": "食堂\n饭菜",
            "is_active": "on",
            "position": "5",
        },
    )

    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.deadline_days, category.urgent_deadline_days) == (3, 1)
    audit = AuditEvent.objects.get(action="category.update")
    assert audit.actor == superuser
    assert audit.object_id == str(category.pk)
    assert audit.before is not None
    assert audit.after is not None
    assert (audit.before["deadline_days"], audit.after["deadline_days"]) == (5, 3)
    assert admin_site.get(f"/admin/cases/category/{category.pk}/delete/").status_code == 403
    assert Category.objects.filter(pk=category.pk).exists()


@pytest.mark.parametrize("role_at", ["company1", None])
def test_only_an_administrator_of_the_whole_tree_edits_categories(
    tree: Tree, role_at: str | None
) -> None:
    # Given staff with the admin site's permissions on categories, but who administer at most
    # a company: categories apply everywhere
    category = make_category()
    staff = (
        make_staff(getattr(tree, role_at), Role.ADMINISTRATOR)
        if role_at
        else make_staff(tree.area1, Role.DISPATCHER)
    )
    staff.is_staff = True
    staff.save()
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["change_category", "view_category"])
    )
    client = Client()
    client.force_login(staff)

    response = client.post(
        f"/admin/cases/category/{category.pk}/change/", {"code": "x", "name": "y"}
    )

    assert response.status_code == 403
    category.refresh_from_db()
    assert category.code == "canteen"
    assert not AuditEvent.objects.filter(action="category.update").exists()

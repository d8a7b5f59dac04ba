"""The closed loop through the HTML pages, signing in as each role in turn.

The employee sends the voice through the public form of a unit (``/v/<unit code>/``) and rates
the answer on the follow-up page (``/r/``); staff act through their inboxes and action forms.

One voice goes the straight way round (accepted, dispatched, signed, noted, answered, rated 满意,
closed); another takes the side paths (returned, re-dispatched, extended, answered, rated 不满意
and reopened, supervised).
"""

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.cases.factories import Cast, make_cast, make_category, reload
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.cases.choices import CaseStatus, CloseReason, EventKind
from xinsheng.cases.models import Case, CaseEvent
from xinsheng.core.models import Notification
from xinsheng.org.choices import Role

PASSWORD = "pw-for-tests"  # the password tests.org.factories gives every user


@pytest.fixture
def cast(tree: Tree) -> Cast:
    return make_cast(tree)


def sign_in(client: Client, user: User) -> Client:
    """Sign out whoever was signed in, and sign ``user`` in through the login page."""
    client.logout()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()
    return client


def open_page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def act(client: Client, case: Case, action: str, data: dict[str, Any] | None = None) -> str:
    """Open the form of ``action`` from the case, send it, and return the page it leads to."""
    url = reverse("cases:act", args=[case.case_no, action])
    assert case.case_no in open_page(client, url)
    response = client.post(url, data or {})
    assert response.status_code == 302, response.content.decode()
    return open_page(client, response["Location"])


def offered_deadline(html: str) -> str:
    found = re.search(r'name="deadline" value="(\d{4}-\d{2}-\d{2})"', html)
    assert found is not None
    return found.group(1)


def submit_anonymously(client: Client, tree: Tree, text: str) -> tuple[Case, str]:
    """Send a voice through the public form of team T1; return its case and receipt code."""
    client.logout()
    url = reverse("public:intake", args=[tree.team1.code])
    form = open_page(client, url)
    key = re.search(r'name="intake_key" value="([^"]+)"', form)
    assert key is not None
    response = client.post(
        url, {"kind": "demand", "text": text, "identity": "anonymous", "intake_key": key.group(1)}
    )
    assert response.status_code == 200, response.content.decode()
    done = response.content.decode()
    receipt = re.search(r'id="receipt-code" data-code="([^"]+)"', done)
    assert receipt is not None
    case = Case.objects.get(text=text)
    assert case.case_no in done
    return case, receipt.group(1).strip()


def rate(client: Client, receipt_code: str, satisfaction: str, *, solved: bool) -> str:
    """Rate the answer through the follow-up page, as the employee holding the receipt code."""
    client.logout()
    response = client.post(
        reverse("public:receipt"),
        {
            "code": receipt_code,
            "action": "rate",
            "satisfaction": satisfaction,
            "solved": "yes" if solved else "no",
        },
    )
    assert response.status_code == 200, response.content.decode()
    return response.content.decode()


def kinds(case: Case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))


def test_a_voice_goes_round_the_loop_through_the_pages(
    client: Client, tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    # An employee of team T1 sends a voice anonymously and keeps the receipt code
    make_category(days=3)
    case, receipt_code = submit_anonymously(
        client, tree, "井口澡堂夜班没有热水，希望延长供水时间。"
    )

    # The dispatcher finds it in the inbox, accepts it and dispatches it to area A1
    sign_in(client, cast.dispatcher)
    inbox = open_page(client, reverse("cases:dispatcher_inbox"))
    assert case.case_no in inbox
    assert reverse("cases:act", args=[case.case_no, "accept"]) in inbox
    html = act(client, case, "accept", {"category": "canteen", "urgency": "normal"})
    assert "已受理" in html
    deadline = offered_deadline(
        open_page(client, reverse("cases:act", args=[case.case_no, "dispatch"]))
    )
    with django_capture_on_commit_callbacks(execute=True):
        html = act(client, case, "dispatch", {"unit": "A1", "deadline": deadline})
    assert "已派单给综采一区" in html
    assert reload(case).deadline == dt.date.fromisoformat(deadline)

    # The handler of A1 is told, finds it in the inbox, signs, notes the work and answers
    assert Notification.objects.filter(user=cast.handler, text__contains=case.case_no).exists()
    sign_in(client, cast.handler)
    inbox = open_page(client, reverse("cases:handler_inbox"))
    assert reverse("cases:act", args=[case.case_no, "sign"]) in inbox
    act(client, case, "sign")
    act(client, case, "note", {"text": "已与澡堂管理员核实锅炉排班。"})
    html = act(
        client, case, "answer", {"text": "自下周一起夜班供水延长至次日2点。", "solved": "on"}
    )
    assert "已答复" in html
    assert case.case_no not in open_page(client, reverse("cases:handler_inbox"))

    # The employee looks the case up with the receipt code, reads the answer, rates it 满意
    client.logout()
    response = client.post(reverse("public:receipt"), {"code": receipt_code})
    assert "自下周一起夜班供水延长至次日2点。" in response.content.decode()
    rate(client, receipt_code, "satisfied", solved=True)
    case = reload(case)
    assert (case.status, case.close_reason) == (CaseStatus.CLOSED, CloseReason.RATED)
    assert kinds(case) == [
        EventKind.SUBMITTED,
        EventKind.ACCEPTED,
        EventKind.DISPATCHED,
        EventKind.SIGNED,
        EventKind.NOTE,
        EventKind.ANSWERED,
        EventKind.RATED,
        EventKind.CLOSED,
    ]
    sign_in(client, cast.dispatcher)
    assert "已办结" in open_page(client, reverse("cases:detail", args=[case.case_no]))
    assert case.case_no not in open_page(client, reverse("cases:dispatcher_inbox"))


def test_a_voice_takes_the_side_paths_through_the_pages(
    client: Client, tree: Tree, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    make_category(days=5)
    mine_handler = make_staff(tree.mine1, Role.HANDLER)
    case, receipt_code = submit_anonymously(
        client, tree, "综采一区到井口的通勤班车太挤，希望加开一班。"
    )

    # The dispatcher accepts it and sends it, wrongly, to the mine
    sign_in(client, cast.dispatcher)
    act(client, case, "accept", {"category": "canteen", "urgency": "urgent"})
    deadline = offered_deadline(
        open_page(client, reverse("cases:act", args=[case.case_no, "dispatch"]))
    )
    act(client, case, "dispatch", {"unit": "M1", "deadline": deadline})

    # The mine returns it: the area runs its own bus
    sign_in(client, mine_handler)
    with django_capture_on_commit_callbacks(execute=True):
        html = act(client, case, "return", {"reason": "班车由综采一区自行安排。"})
    assert "已退单" in html
    assert Notification.objects.filter(user=cast.dispatcher, text__contains="退单").exists()

    # The dispatcher sees it come back, with the reason, and re-dispatches it to the area
    sign_in(client, cast.dispatcher)
    inbox = open_page(client, reverse("cases:dispatcher_inbox"))
    assert "退单待重新派单" in inbox
    assert "重新派单" in inbox
    form = open_page(client, reverse("cases:act", args=[case.case_no, "dispatch"]))
    assert "班车由综采一区自行安排。" in form
    act(client, case, "dispatch", {"unit": "A1", "deadline": offered_deadline(form)})
    assert reload(case).responsible_unit == tree.area1

    # The area signs, and asks for more time
    sign_in(client, cast.head)
    act(client, case, "sign")
    first_deadline = reload(case).deadline
    assert first_deadline is not None
    until = first_deadline + dt.timedelta(days=14)
    act(client, case, "extend", {"until": until.isoformat(), "reason": "需与公交公司协调车辆。"})

    # The dispatcher sees the request in the inbox and grants it
    sign_in(client, cast.dispatcher)
    inbox = open_page(client, reverse("cases:dispatcher_inbox"))
    assert "延期申请待审批" in inbox
    assert reverse("cases:act", args=[case.case_no, "grant-extension"]) in inbox
    act(client, case, "grant-extension", {"note": "同意，请按期办结。"})
    assert reload(case).deadline == until

    # The area answers; the employee is not satisfied, and the case is reopened (重办)
    sign_in(client, cast.handler)
    act(client, case, "answer", {"text": "已向公交公司申请加开车辆，等待批复。"})
    rate(client, receipt_code, "unsatisfied", solved=False)
    case = reload(case)
    assert (case.status, case.reopen_count) == (CaseStatus.IN_PROGRESS, 1)

    # The supervisor finds it among the reopened cases and issues a 督办 notice
    sign_in(client, cast.supervisor)
    watch = open_page(client, reverse("cases:supervision"))
    assert case.case_no in watch
    assert "重办 1 次" in watch
    with django_capture_on_commit_callbacks(execute=True):
        html = act(client, case, "supervise", {"text": "职工仍不满意，请一周内拿出方案。"})
    assert "已发出督办通知" in html
    assert reload(case).supervision_count == 1

    # The area is told, and its inbox shows the notice against the case
    assert Notification.objects.filter(user=cast.handler, text__contains="督办通知").exists()
    sign_in(client, cast.handler)
    inbox = open_page(client, reverse("cases:handler_inbox"))
    assert case.case_no in inbox
    assert "督办 1 次" in inbox
    assert kinds(case) == [
        EventKind.SUBMITTED,
        EventKind.ACCEPTED,
        EventKind.DISPATCHED,
        EventKind.RETURNED,
        EventKind.DISPATCHED,
        EventKind.SIGNED,
        EventKind.EXTENSION_REQUESTED,
        EventKind.EXTENSION_GRANTED,
        EventKind.ANSWERED,
        EventKind.RATED,
        EventKind.REOPENED,
        EventKind.SUPERVISED,
    ]

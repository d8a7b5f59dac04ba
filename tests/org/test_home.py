"""The staff home (工作台) is a to-do page: what waits for the user, most urgent first.

Each item has a count and links to exactly the list it counts; the apps add their items through
the ``TODO`` hook (cases: the inboxes; projects: projects behind schedule; org: notifications).
"""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.cases.factories import Cast, answered, dispatched, make_cast, make_category, submit
from tests.conftest import Tree
from tests.org.factories import make_staff
from tests.projects.factories import make_project
from xinsheng.cases import services
from xinsheng.core.models import Notification
from xinsheng.org.choices import Role
from xinsheng.projects.models import Project

TODO_ITEM = re.compile(
    r'<li class="todo-item todo-(\w+)"><a href="([^"]+)">\s*'
    r'<span class="todo-count">([^<]+)</span>\s*'
    r'<span class="todo-text"><span class="todo-label">([^<]+)</span>'
)


@pytest.fixture
def cast(tree: Tree) -> Cast:
    return make_cast(tree)


def todo(client: Client) -> list[tuple[str, str, str, str]]:
    """Return the to-do items of the home as (label, count, urgency, link), in page order."""
    html = client.get(reverse("home")).content.decode()
    return [
        (label, count, urgency, url.replace("&amp;", "&"))
        for urgency, url, count, label in TODO_ITEM.findall(html)
    ]


def item(client: Client, label: str) -> tuple[str, str]:
    """Return the count and link of the to-do item ``label``."""
    found = [(count, url) for name, count, _urgency, url in todo(client) if name == label]
    assert found, f"no to-do item {label!r}"
    return found[0]


def case_rows(client: Client, url: str) -> set[str]:
    """Return the case numbers an inbox list shows (its section, for a link with an anchor)."""
    path, _, anchor = url.partition("#")
    html = client.get(path).content.decode()
    if anchor:
        html = html.split(f'id="{anchor}"', 1)[1].split("</section>", 1)[0]
    return set(re.findall(r'<a class="case-no" href="[^"]+">([^<]+)</a>', html))


def overdue(tree: Tree, cast: Cast) -> str:
    """Return the number of a case signed for and now past its deadline."""
    case = dispatched(tree, cast).case
    services.case_sign(case=case, actor=cast.handler)
    case.refresh_from_db()
    assert case.deadline is not None
    services.cases_mark_overdue(today=case.deadline + dt.timedelta(days=1))
    return str(case.case_no)


def test_a_handler_sees_the_dispatch_to_sign_and_the_overdue_case_first(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given one case overdue, one waiting to be signed for, one in progress
    late = overdue(tree, cast)
    to_sign = dispatched(tree, cast).case.case_no
    in_progress = dispatched(tree, cast).case
    services.case_sign(case=in_progress, actor=cast.handler)
    client.force_login(cast.handler)
    # when the handler opens the home
    items = todo(client)
    # then the overdue case comes first, in red, and each kind has its count
    assert items[0][:3] == ("已超期的诉求", "1", "overdue")
    assert item(client, "待签收的派单")[0] == "1"
    assert item(client, "办理中待答复")[0] == "2"
    # and each item leads to exactly the cases it counts
    assert case_rows(client, item(client, "已超期的诉求")[1]) == {late}
    assert case_rows(client, item(client, "待签收的派单")[1]) == {to_sign}
    assert case_rows(client, item(client, "办理中待答复")[1]) == {late, in_progress.case_no}


def test_a_dispatcher_sees_new_voices_and_extension_requests(
    client: Client, tree: Tree, cast: Cast
) -> None:
    new = {submit(tree).case.case_no, submit(tree, "澡堂热水时有时无，洗不上澡。").case.case_no}
    asking = dispatched(tree, cast).case
    services.case_sign(case=asking, actor=cast.handler)
    asking.refresh_from_db()
    assert asking.deadline is not None
    services.case_extension_request(
        case=asking,
        actor=cast.handler,
        until=asking.deadline + dt.timedelta(days=5),
        reason="需采购配件。",
    )
    client.force_login(cast.dispatcher)

    count, url = item(client, "待受理的诉求")
    assert count == "2"
    assert case_rows(client, url) == new
    count, url = item(client, "待审批的延期申请")
    assert count == "1"
    assert case_rows(client, url) == {asking.case_no}
    labels = [label for label, *_ in todo(client)]
    assert labels.index("待审批的延期申请") < labels.index("待受理的诉求")  # due before waiting


def test_a_supervisor_sees_what_to_supervise(client: Client, tree: Tree, cast: Cast) -> None:
    late = overdue(tree, cast)
    reopened = answered(tree, cast)
    services.case_rate(receipt_code=reopened.receipt_code, satisfaction="unsatisfied", solved=False)
    client.force_login(cast.supervisor)

    count, url = item(client, "超期未办结，待督办")
    assert count == "1"
    assert case_rows(client, url) == {late}
    count, url = item(client, "群众不满意重办")
    assert count == "1"
    assert case_rows(client, url) == {reopened.case.case_no}


def test_projects_behind_schedule_and_unread_notifications_are_there_too(
    client: Client, tree: Tree, cast: Cast
) -> None:
    behind = make_project(cast.dispatcher, tree.area1, title="更衣室改造")
    make_project(cast.dispatcher, tree.area1, title="食堂扩建")  # on schedule
    Project.objects.filter(pk=behind.pk).update(
        due_date=timezone.localdate() - dt.timedelta(days=3)
    )
    Notification.objects.create(user=cast.head, kind="case", text="新派单", url="/cases/")
    client.force_login(cast.head)

    items = todo(client)

    count, url = item(client, "进度滞后的实事项目")
    assert count == "1"
    listed = client.get(url).content.decode()
    assert "更衣室改造" in listed
    assert "食堂扩建" not in listed
    assert items[-1][:3] == ("未读通知", "1", "info")  # to know about: last
    assert item(client, "未读通知")[1] == reverse("notifications")


def test_nothing_waiting_says_so_and_the_units_stay_below(client: Client, tree: Tree) -> None:
    client.force_login(make_staff(tree.company1, Role.LEADER))

    html = client.get(reverse("home")).content.decode()

    assert "暂无待办事项。" in html
    assert html.index("待办事项") < html.index("我负责的单位")
    assert "第一煤业公司" in html


def test_the_home_counts_with_a_few_queries_however_much_waits(
    client: Client, tree: Tree, cast: Cast
) -> None:
    # given someone who is dispatcher, handler and supervisor at once
    everything = make_staff(tree.company1, Role.DISPATCHER, Role.HANDLER, Role.SUPERVISOR)
    client.force_login(everything)
    make_category()
    submit(tree)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("home")).status_code == 200
    # when much more waits
    for _ in range(5):
        submit(tree)
        overdue(tree, cast)
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("home")).content.decode()
    # then the page costs the same number of queries
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "待受理的诉求" in html

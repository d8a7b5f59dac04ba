"""Hot topics inside the platform: a run over a subtree and period, its page, and a project."""

import datetime as dt
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.cases.factories import make_cast
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.cases import services as case_services
from xinsheng.cases.models import Case
from xinsheng.insight import services
from xinsheng.insight.models import TopicRun
from xinsheng.org.choices import Role
from xinsheng.projects.models import ProjectCase

CANTEEN = [
    "食堂晚班没有热饭，饭菜都是凉的。",
    "食堂饭菜太咸，希望食堂改进口味。",
    "食堂窗口太少，打饭排队太久。",
    "食堂夜宵品种单一，饭菜天天一样。",
    "食堂饭菜涨价了，分量却少了。",
    "食堂的饭菜不卫生，碗筷洗不干净。",
    "夜班食堂关门太早，下班吃不上热饭。",
    "食堂打饭师傅态度不好，饭菜也凉。",
]
BUS = [
    "通勤班车早上太挤，很多人站着。",
    "通勤班车发车时间和交接班对不上。",
    "希望增加一趟通勤班车到新村。",
    "通勤班车司机开得太快不安全。",
    "夜班下班后没有通勤班车回市区。",
    "通勤班车座位坏了很久没人修。",
    "通勤班车经常晚点，上班迟到。",
    "通勤班车停靠站点太远，走路要二十分钟。",
]


def voices(tree: Tree, texts: list[str], *, days_ago: int = 0) -> list[Case]:
    made = []
    for text in texts:
        case = case_services.case_submit(
            unit=tree.team1,
            kind="demand",
            title="",
            text=text,
            identity=case_services.Identity(anonymous=True),
        ).case
        if days_ago:
            moment = timezone.now() - dt.timedelta(days=days_ago)
            Case.objects.filter(pk=case.pk).update(created_at=moment)
        made.append(case)
    return made


def run_for(tree: Tree, capture: Any, actor: Any) -> TopicRun:
    today = timezone.localdate()
    with capture(execute=True):
        run = services.topics_request(
            actor=actor, unit=tree.company1, start=today - dt.timedelta(days=9), end=today
        )
    run.refresh_from_db()
    return run


def test_the_voices_of_a_period_form_ranked_topics_with_a_trend(
    tree: Tree, django_capture_on_commit_callbacks: Any
) -> None:
    leader = make_staff(tree.company1, Role.LEADER)
    voices(tree, CANTEEN)
    voices(tree, BUS[:6])
    voices(tree, CANTEEN[:3], days_ago=15)  # the previous ten days
    run = run_for(tree, django_capture_on_commit_callbacks, leader)
    assert run.status == TopicRun.Status.DONE
    assert (run.case_count, run.previous_count) == (14, 3)
    topics = list(run.topics.all())
    assert sum(topic.size for topic in topics) == 14
    canteen = next(topic for topic in topics if "食堂" in topic.label)
    bus = next(topic for topic in topics if "通勤" in topic.label)
    assert canteen.size >= 6
    assert bus.size >= 5
    assert canteen.previous_size >= 2
    assert bus.previous_size == 0
    assert canteen.trend == canteen.size - canteen.previous_size
    assert canteen.units == 1
    assert [topic.rank for topic in topics] == list(range(1, len(topics) + 1))
    assert topics == sorted(topics, key=lambda topic: -topic.size)


def test_the_topics_page_and_its_scope(
    tree: Tree, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    leader = make_staff(tree.company1, Role.LEADER)
    voices(tree, CANTEEN + BUS)
    run = run_for(tree, django_capture_on_commit_callbacks, leader)
    client.force_login(leader)
    page = client.get(reverse("insight:topics"), {"unit": "C1"}).content.decode()
    assert "食堂" in page
    assert "通勤" in page
    topic = run.topics.first()
    assert topic is not None
    detail = client.get(reverse("insight:topic", args=[topic.pk])).content.decode()
    assert topic.label in detail
    assert all(
        case.case_no in detail for case in Case.objects.filter(topic_memberships__topic=topic)
    )
    stranger = make_staff(tree.company2, Role.LEADER)
    client.force_login(stranger)
    assert client.get(reverse("insight:topic", args=[topic.pk])).status_code == 404
    assert client.get(reverse("insight:topics"), {"unit": "C1"}).status_code == 404
    client.force_login(make_cast(tree).handler)
    assert client.get(reverse("insight:topics")).status_code == 404


def test_a_topic_becomes_a_project_with_its_voices_in_one_step(
    tree: Tree, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    cast = make_cast(tree)
    voices(tree, CANTEEN + BUS)
    run = run_for(tree, django_capture_on_commit_callbacks, cast.dispatcher)
    topic = next(topic for topic in run.topics.all() if "食堂" in topic.label)
    client.force_login(cast.dispatcher)
    response = client.post(
        reverse("insight:topic_project", args=[topic.pk]),
        {"title": "职工餐厅提质改造", "owner_unit": "M1", "due_date": "2027-06-30"},
    )
    assert response.status_code == 302
    links = ProjectCase.objects.filter(project__title="职工餐厅提质改造")
    assert links.count() == topic.size >= 6
    assert set(links.values_list("case_id", flat=True)) == set(
        topic.members.values_list("case_id", flat=True)
    )


def test_the_dashboard_shows_the_newest_topics_and_the_projects(
    tree: Tree, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    leader = make_staff(tree.company1, Role.LEADER)
    voices(tree, CANTEEN + BUS)
    run = run_for(tree, django_capture_on_commit_callbacks, leader)
    client.force_login(leader)
    page = client.get(reverse("reports:dashboard"), {"unit": "C1"}).content.decode()
    first = run.topics.first()
    assert first is not None
    assert reverse("insight:topic", args=[first.pk]) in page
    assert "本期销号项目" in page

"""A family goes on file through the chain (proposed, reviewed by the unit, approved by the
union, active, closed with a reason), every step kept in its history; bad input writes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.care.factories import make_person
from tests.care.families.factories import Carers, file_data, make_carers, make_file
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.care.choices import FileStatus
from xinsheng.care.families import services
from xinsheng.care.models import FileEvent, HardshipFile, HouseholdMember
from xinsheng.core.errors import Conflict, Forbidden, InvalidInput
from xinsheng.org.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def carers(tree: Tree) -> Carers:
    return make_carers(tree)


def test_a_file_goes_through_the_chain_and_keeps_its_history(tree: Tree, carers: Carers) -> None:
    file = make_file(tree, carers, status=FileStatus.APPROVED)
    assert file.status == FileStatus.APPROVED

    closed = services.file_close(actor=carers.head, file=file, reason="家庭收入恢复，已脱困")

    assert closed.status == FileStatus.CLOSED
    assert closed.closed_reason == "家庭收入恢复，已脱困"
    steps = list(FileEvent.objects.filter(file=file).values_list("action", "status"))
    assert steps == [
        ("propose", "proposed"),
        ("review", "reviewed"),
        ("approve", "approved"),
        ("close", "closed"),
    ]
    first = FileEvent.objects.filter(file=file).first()
    assert first is not None
    assert first.values["household_income"] == "24000.00"
    assert first.values["members"] == [
        {"relation": "spouse", "birth_year": 1980, "occupation": "无业"}
    ]


def test_the_yearly_review_appends_the_new_figures_and_keeps_the_old(
    tree: Tree, carers: Carers
) -> None:
    file = make_file(tree, carers)
    services.file_yearly_review(
        actor=carers.head,
        file=file,
        data=file_data(tier="temporary", household_income="40000", members=[]),
        note="妻子已就业",
    )
    file.refresh_from_db()
    assert file.tier == "temporary"
    history = list(file.events.order_by("at", "id"))
    assert history[0].values["tier"] == "hardship"
    assert history[-1].action == "yearly_review"
    assert history[-1].values["household_income"] == "40000.00"
    assert not HouseholdMember.objects.filter(file=file).exists()


def test_a_second_open_file_for_the_same_person_is_refused_and_nothing_written(
    tree: Tree, carers: Carers
) -> None:
    file = make_file(tree, carers, status=FileStatus.PROPOSED)
    before = (HardshipFile.objects.count(), FileEvent.objects.count())

    with pytest.raises(InvalidInput) as error:
        services.file_propose(actor=carers.head, person=file.person, data=file_data())

    assert "已有未退出的困难档案" in str(error.value.message)
    assert (HardshipFile.objects.count(), FileEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tier": "rich"}, "请选择困难类别。"),
        ({"reasons": []}, "请至少选择一项致困原因。"),
        ({"household_size": 0}, "家庭人口应为1到30之间的整数。"),
        ({"household_income": "很多"}, "家庭年收入应为数字，单位为元。"),
        ({"household_size": 1}, "家庭成员（不含职工本人）应少于家庭人口。"),
    ],
)
def test_bad_figures_are_refused_with_a_clear_message(
    tree: Tree, carers: Carers, changes: dict[str, object], message: str
) -> None:
    person = make_person(tree.team1)
    with pytest.raises(InvalidInput) as error:
        services.file_propose(actor=carers.head, person=person, data=file_data(**changes))
    assert str(error.value.message) == message
    assert not HardshipFile.objects.exists()


def test_only_the_union_approves_and_steps_go_in_order(tree: Tree, carers: Carers) -> None:
    file = make_file(tree, carers, status=FileStatus.PROPOSED)
    with pytest.raises(Conflict):
        services.file_approve(actor=carers.union, file=file)
    reviewed = services.file_review(actor=carers.head, file=file)
    with pytest.raises(Forbidden):
        services.file_approve(actor=carers.head, file=reviewed)
    refused = services.file_refuse(actor=carers.union, file=reviewed, reason="收入高于标准")
    assert refused.status == FileStatus.CLOSED
    assert refused.closed_reason == "收入高于标准"


def test_a_unit_outside_the_scope_neither_proposes_nor_sees(tree: Tree, carers: Carers) -> None:
    other = make_staff(tree.mine2, Role.UNIT_HEAD, Role.RECORDER)
    file = make_file(tree, carers)
    with pytest.raises(Forbidden):
        services.file_propose(actor=other, person=make_person(tree.team1), data=file_data())
    client = Client()
    client.force_login(other)
    assert client.get(reverse("care_families:detail", args=[file.pk])).status_code == 404
    page = client.get(reverse("care_families:list"))
    assert file.person.name not in page.content.decode()


def test_proposing_reviewing_and_approving_on_the_pages(tree: Tree, carers: Carers) -> None:
    person = make_person(tree.team1, name="刘海涛")
    client = Client()
    client.force_login(carers.head)
    response = client.post(
        reverse("care_families:propose"),
        {
            "employee_no": person.employee_no,
            "tier": "extreme",
            "reasons": ["illness", "schooling"],
            "household_size": "4",
            "household_income": "18000",
            "members": "张丽 配偶 1983 无业\n刘小雨 子女 2010 县一中",
        },
    )
    file = HardshipFile.objects.get(person=person)
    assert response.status_code == 302
    assert [m.name for m in file.members.all()] == ["张丽", "刘小雨"]

    client.post(reverse("care_families:step", args=[file.pk, "review"]), {"note": "情况属实"})
    client.force_login(carers.union)
    client.post(reverse("care_families:step", args=[file.pk, "approve"]), {"note": ""})
    file.refresh_from_db()
    assert file.status == FileStatus.APPROVED

    page = client.get(reverse("care_families:detail", args=[file.pk])).content.decode()
    assert "刘海涛" in page
    assert "工会审批" in page
    assert "刘**" in page  # a child's name is masked for all but the privacy role
    assert "刘小雨" not in page

    # A second proposal for the same person shows the message, nothing written
    client.force_login(carers.head)
    again = client.post(
        reverse("care_families:propose"),
        {
            "employee_no": person.employee_no,
            "tier": "hardship",
            "reasons": ["illness"],
            "household_size": "2",
            "household_income": "18000",
        },
    )
    assert again.status_code == 400
    assert "已有未退出的困难档案" in again.content.decode()
    assert HardshipFile.objects.filter(person=person).count() == 1


def test_the_list_filters_by_tier_state_and_unit_and_the_home_lists_the_work(
    tree: Tree, carers: Carers
) -> None:
    make_file(tree, carers, name="王强")
    waiting = make_file(tree, carers, status=FileStatus.PROPOSED, name="李建军")
    client = Client()
    client.force_login(carers.head)
    listed = client.get(reverse("care_families:list"), {"status": "proposed", "unit": "M1"})
    text = listed.content.decode()
    assert "李建军" in text
    assert "王强" not in text
    extreme = client.get(reverse("care_families:list"), {"tier": "extreme"})
    assert "王强" not in extreme.content.decode()

    home = client.get(reverse("care_families:list"), {"waiting": "review"}).content.decode()
    assert waiting.person.name in home
    from xinsheng.care.families.todo import families_todo

    items = {str(item.label): item.count for item in families_todo(actor=carers.head)}
    assert items["待单位审核的困难档案"] == 1

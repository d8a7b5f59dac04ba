"""The demo enterprise: ``xinsheng demo`` builds a fictional coal-mining group and its accounts."""

import re
from io import StringIO

import pytest
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import QuerySet
from django.test import Client

from xinsheng.core.models import AuditEvent
from xinsheng.org import permissions
from xinsheng.org.choices import CadreRank, Role, UnitKind
from xinsheng.org.models import OrgUnit, Person, RoleAssignment, UnitCharge

PASSWORD = "xinsheng-demo"
ACCOUNTS = ("admin", "leader", "dispatcher", "supervisor", "handler", "head", "recorder")


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_output(db: None) -> str:
    return run_demo()


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def children(parent: OrgUnit, *kinds: UnitKind) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(
            path__startswith=parent.path, depth=parent.depth + 1, kind__in=kinds
        ).order_by("path")
    )


def user(username: str) -> User:
    return User.objects.get(username=username)


PLANT = "JT-C2-P1"


def test_demo_builds_a_group_of_two_companies_five_mines_and_a_washing_plant(
    demo_output: str,
) -> None:
    group = unit("JT")
    assert group.kind == UnitKind.GROUP
    assert group.name == "晋泰煤业集团"
    departments = {d.name for d in children(group, UnitKind.DEPARTMENT)}
    assert {"党群工作部", "工会", "人力资源部", "安全监察部", "后勤服务中心"} <= departments
    companies = children(group, UnitKind.COMPANY)
    assert [c.code for c in companies] == ["JT-C1", "JT-C2"]
    mines = OrgUnit.objects.filter(kind=UnitKind.MINE).exclude(code=PLANT)
    assert mines.count() == 5
    assert all(m.code.startswith(("JT-C1-M", "JT-C2-M")) for m in mines)
    # ... and the second company's washing plant (选煤厂), a unit of the kind of a mine (矿/厂)
    plant = unit(PLANT)
    assert (plant.name, plant.kind) == ("西河选煤厂", UnitKind.MINE)
    assert children(unit("JT-C2"), UnitKind.MINE)[-1] == plant


def test_every_mine_has_areas_departments_branches_and_teams(demo_output: str) -> None:
    for mine in OrgUnit.objects.filter(kind=UnitKind.MINE):
        offices_and_areas = children(mine, UnitKind.AREA, UnitKind.DEPARTMENT)
        assert 7 <= len(offices_and_areas) <= 11, mine.name
        assert "后勤服务中心" in {unit.name for unit in offices_and_areas}, mine.name
        branches = {b.name for b in children(mine, UnitKind.BRANCH)}
        for area in children(mine, UnitKind.AREA):
            assert re.fullmatch(r"JT-C\d-[MP]\d-A\d\d", area.code)
            assert f"{area.name}党支部" in branches
            teams = children(area, UnitKind.TEAM)
            assert len(teams) >= 2
            assert all(t.name.startswith(area.name) for t in teams)


def test_about_three_thousand_people_most_of_them_in_production(demo_output: str) -> None:
    total = Person.objects.count()
    assert 2700 <= total <= 3300
    in_teams = Person.objects.filter(unit__kind=UnitKind.TEAM).count()
    assert in_teams > total * 0.7
    assert Person.objects.filter(unit__kind=UnitKind.DEPARTMENT).count() > 100
    assert f"{total:,} people" in demo_output


def test_people_have_plausible_names_numbers_positions_and_phones(demo_output: str) -> None:
    people = list(Person.objects.values_list("name", "employee_no", "position", "phone"))
    names = [name for name, *_ in people]
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", name) for name in names)
    assert len(set(names)) > len(names) / 2, "names vary"
    assert all(re.fullmatch(r"JT\d{7}", number) for _, number, _, _ in people)
    phones = [phone for *_, phone in people]
    assert all(re.fullmatch(r"1[358]\d{9}", phone) for phone in phones)
    assert len(set(phones)) == len(phones)
    positions = {position for _, _, position, _ in people}
    assert {"采煤工", "掘进工", "电钳工", "班长", "队长", "党支部书记", "技术员"} <= positions
    assert "李强" not in names


def test_the_washing_plant_has_its_offices_workshops_and_shifts(
    demo_output: str, client: Client
) -> None:
    plant = unit(PLANT)
    offices = {d.name for d in children(plant, UnitKind.DEPARTMENT)}
    assert {"调度室", "安监科", "煤质管理科", "后勤服务中心"} <= offices
    workshops = children(plant, UnitKind.AREA)
    assert [w.name for w in workshops] == ["主洗车间", "浮选压滤车间", "储装运车间", "机修车间"]
    assert [w.code for w in workshops] == [f"{PLANT}-A0{n}" for n in range(1, 5)]
    assert [t.name for t in children(workshops[0], UnitKind.TEAM)] == [
        "主洗车间甲班",
        "主洗车间乙班",
        "主洗车间丙班",
        "主洗车间检修班",
    ]
    people = Person.objects.filter(unit__path__startswith=plant.path)
    assert 150 <= people.count() <= 300
    positions = set(people.values_list("position", flat=True))
    assert {"重介司机", "浮选司机", "压滤机司机", "集控员", "化验员", "班长"} <= positions
    assert people.filter(unit__kind=UnitKind.TEAM).count() > people.count() * 0.6
    # its shifts take voices by their QR code like any team's
    shift = children(workshops[0], UnitKind.TEAM)[0]
    page = client.get(f"/v/{shift.code}/")
    assert page.status_code == 200
    assert "主洗车间甲班" in page.content.decode()


def share(people: QuerySet[Person], **condition: object) -> float:
    return people.filter(**condition).count() / people.count()


def test_people_have_the_standing_of_a_coal_mines_workforce(demo_output: str) -> None:
    everyone = Person.objects.all()
    cadres = everyone.exclude(cadre_rank="")
    # about a third are party members, more among cadres; some 5 % talents, 10 % key workers
    assert 0.28 <= share(everyone, is_party_member=True) <= 0.4
    assert share(cadres, is_party_member=True) >= 0.75
    assert 0.03 <= share(everyone, is_technical_talent=True) <= 0.08
    assert 0.07 <= share(everyone, is_backbone=True) <= 0.14
    # every cadre is management staff; a few office staff are 一般管理人员, in offices only
    assert set(cadres.values_list("is_manager", flat=True)) == {True}
    managers = everyone.filter(cadre_rank=CadreRank.MANAGER)
    assert 0 < managers.count() < everyone.count() * 0.05
    assert set(managers.values_list("unit__kind", flat=True)) == {UnitKind.DEPARTMENT}
    assert f"{cadres.count()} cadres" in demo_output


def test_every_mine_has_its_leaders_and_every_office_and_area_its_heads(demo_output: str) -> None:
    for mine in OrgUnit.objects.filter(kind=UnitKind.MINE):
        leaders = Person.objects.filter(unit=mine)
        assert 5 <= leaders.count() <= 8, mine.name
        assert set(leaders.values_list("cadre_rank", flat=True)) == {CadreRank.MINE_LEADER}
        principals = leaders.filter(is_principal=True)
        head_title = "厂长" if mine.code == PLANT else "矿长"
        assert sorted(principals.values_list("position", flat=True)) == ["党委书记", head_title]
        below = set(children(mine, UnitKind.DEPARTMENT, UnitKind.AREA))
        for deputy in leaders.filter(is_principal=False):
            in_charge = set(OrgUnit.objects.filter(charges__person=deputy))
            assert 2 <= len(in_charge) <= 4, (mine.name, deputy.position)
            assert in_charge <= below
        assert not UnitCharge.objects.filter(person__in=principals).exists()
        for unit in below:
            people = Person.objects.filter(unit=unit)
            head = people.get(is_principal=True)
            assert head.cadre_rank == CadreRank.SECTION
            assert 1 <= people.filter(cadre_rank=CadreRank.DEPUTY_SECTION).count() <= 2
    for team in OrgUnit.objects.filter(kind=UnitKind.TEAM):
        assert Person.objects.filter(unit=team, is_team_leader=True).count() == 1


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_demo_account_signs_in_with_the_demo_password(
    demo_output: str, client: Client, username: str
) -> None:
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert username in demo_output


def test_output_gives_the_address_and_the_password(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORT", "8123")
    output = run_demo()
    assert "http://127.0.0.1:8123/" in output
    assert PASSWORD in output
    assert re.search(r"受理派单员 \(dispatcher\) +晋泰东山煤业有限公司 \(JT-C1\)", output)


DEMO_USERNAMES = {
    "admin",
    "leader",
    "dispatcher",
    "supervisor",
    "handler",
    "head",
    "recorder",
    "union",
    "privacy",
}


def test_accounts_hold_their_roles_at_their_units(demo_output: str) -> None:
    held = {
        (a.person.user.username, a.role, a.unit.code)
        for a in RoleAssignment.objects.select_related("person__user", "unit")
        if a.person.user and a.person.user.username in DEMO_USERNAMES
    }
    area = unit("JT-C1-M1-A01")
    branch = unit("JT-C1-M1-B01")
    assert held == {
        ("admin", Role.ADMINISTRATOR, "JT"),
        ("leader", Role.LEADER, "JT"),
        ("dispatcher", Role.DISPATCHER, "JT-C1"),
        ("supervisor", Role.SUPERVISOR, "JT-C1"),
        ("handler", Role.HANDLER, area.code),
        ("head", Role.UNIT_HEAD, area.code),
        ("recorder", Role.RECORDER, branch.code),
        ("union", Role.UNION, "JT-C1"),
        ("privacy", Role.PRIVACY, "JT-C1"),
    }
    assert area.kind == UnitKind.AREA
    assert branch.kind == UnitKind.BRANCH
    assert branch.name == f"{area.name}党支部"
    assert user("head").person.position == "队长"
    assert user("recorder").person.position == "党支部书记"
    admin = user("admin")
    assert admin.is_staff
    assert admin.is_superuser
    assert not user("leader").is_staff


def test_each_role_reaches_its_own_subtree_and_no_further(demo_output: str) -> None:
    group, company1, company2 = unit("JT"), unit("JT-C1"), unit("JT-C2")
    area, branch = unit("JT-C1-M1-A01"), unit("JT-C1-M1-B01")
    team = children(area, UnitKind.TEAM)[0]
    other_area = unit("JT-C1-M1-A02")
    assert permissions.may(user("admin"), "person.manage", company2)
    assert permissions.may(user("leader"), "person.view", company2)
    assert not permissions.may(user("leader"), "person.view_phone", company2)
    dispatcher = user("dispatcher")
    assert permissions.may(dispatcher, "person.view_phone", team)
    assert not permissions.may(dispatcher, "person.view_phone", company2)
    assert not permissions.may(dispatcher, "person.view", group)
    supervisor = user("supervisor")
    assert permissions.may(supervisor, "person.view", team)
    assert not permissions.may(supervisor, "person.view_phone", team)
    assert not permissions.may(supervisor, "person.view", company2)
    for username in ("handler", "head"):
        assert permissions.may(user(username), "person.view_phone", team)
        assert not permissions.may(user(username), "person.view_phone", other_area)
    recorder = user("recorder")
    assert permissions.may(recorder, "unit.view", branch)
    assert not permissions.may(recorder, "unit.view", area)
    assert not permissions.may(recorder, "person.view_phone", branch)
    assert not permissions.may(user("head"), "person.view", company1)


def test_demo_passwords_use_the_configured_hasher(demo_output: str) -> None:
    for username in ACCOUNTS:
        assert identify_hasher(user(username).password).algorithm == get_hasher().algorithm


def test_loading_is_one_system_audit_event(demo_output: str) -> None:
    event = AuditEvent.objects.get(action="demo.load")
    assert event.actor is None
    assert event.object_type == "org.orgunit"
    assert event.object_id == str(unit("JT").pk)
    assert event.after is not None
    assert event.after["org"]["people"] == Person.objects.count()


def test_running_it_again_changes_nothing(demo_output: str) -> None:
    def state() -> tuple[int, ...]:
        return (
            OrgUnit.objects.count(),
            Person.objects.count(),
            User.objects.count(),
            RoleAssignment.objects.count(),
            AuditEvent.objects.count(),
        )

    before = state()
    names = list(Person.objects.order_by("employee_no").values_list("name", flat=True))

    output = run_demo("--seed", "99")

    assert "loaded already; nothing changed" in output
    assert state() == before
    assert list(Person.objects.order_by("employee_no").values_list("name", flat=True)) == names


class RolledBack(Exception):
    pass


def demo_people(seed: int) -> list[tuple[object, ...]]:
    """Return the people the demo makes from ``seed``, leaving the database as it was."""
    people: list[tuple[object, ...]] = []
    try:
        with transaction.atomic():
            run_demo("--seed", str(seed))
            charges = {
                number: sorted(
                    UnitCharge.objects.filter(person__employee_no=number).values_list(
                        "unit__code", flat=True
                    )
                )
                for number in UnitCharge.objects.values_list("person__employee_no", flat=True)
            }
            people = [
                (*row, charges.get(row[0], []))
                for row in Person.objects.order_by("employee_no").values_list(
                    "employee_no",
                    "name",
                    "unit__code",
                    "phone",
                    "cadre_rank",
                    "is_principal",
                    "is_party_member",
                    "is_technical_talent",
                    "is_backbone",
                )
            ]
            raise RolledBack
    except RolledBack:
        pass
    return people


def test_same_seed_same_people_other_seed_other_people(db: None) -> None:
    first = demo_people(7)
    again = demo_people(7)
    other = demo_people(8)
    assert first == again
    assert first != other
    assert not OrgUnit.objects.exists()


def test_demo_refuses_when_an_account_name_is_taken(db: None) -> None:
    User.objects.create_user("admin", password="something-else")
    with pytest.raises(CommandError, match="admin"):
        run_demo()
    assert not OrgUnit.objects.exists()
    assert not AuditEvent.objects.exists()

"""Staff pages of the organisation: what each user sees, and what administrators change."""

import json
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import Tree
from tests.org.factories import PersonFactory, make_staff, make_unit
from xinsheng.core.models import AuditEvent
from xinsheng.org.choices import Role, UnitKind
from xinsheng.org.models import OrgUnit, Person, RoleAssignment

FRAGMENT = {"HX-Request": "true"}


def logged_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def page(client: Client, url: str, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def audit_actions(user: User) -> list[str]:
    return list(AuditEvent.objects.filter(actor=user).values_list("action", flat=True))


# --- The tree and its search -------------------------------------------------------------------


def test_tree_starts_at_the_top_of_the_users_scope(client: Client, tree: Tree) -> None:
    # given a dispatcher of the first company, and someone in its first mine
    dispatcher = make_staff(tree.company1, Role.DISPATCHER)
    PersonFactory(unit=tree.mine1)
    # when they open the tree
    html = page(logged_in(client, dispatcher), reverse("org:tree"))
    # then it starts at their company, opened on its mine, whose own children load when opened
    assert "第一煤业公司" in html
    assert "2 人" in html  # the dispatcher and the miner
    assert "一矿" in html
    assert reverse("org:unit_children", args=["M1"]) in html
    assert "综采一区" not in html
    assert "第二煤业公司" not in html
    assert "示范煤业集团" not in html


def test_tree_with_several_top_units_loads_each_when_opened(client: Client, tree: Tree) -> None:
    supervisor = make_staff(tree.mine1, Role.SUPERVISOR)
    RoleAssignment.objects.create(
        person=Person.objects.get(user=supervisor), unit=tree.mine2, role=Role.SUPERVISOR
    )
    html = page(logged_in(client, supervisor), reverse("org:tree"))
    assert "一矿" in html
    assert "二矿" in html
    assert reverse("org:unit_children", args=["M1"]) in html
    assert "综采一区" not in html
    assert "第一煤业公司" not in html


def test_children_fragment_lists_sub_units_with_kind_code_and_people(
    client: Client, tree: Tree
) -> None:
    # given an administrator of the group, people in the first mine's subtree, a closed unit
    admin = make_staff(tree.group, Role.ADMINISTRATOR)
    PersonFactory(unit=tree.area1)
    PersonFactory(unit=tree.team1)
    make_unit(tree.company1, name="已撤销的洗煤厂", kind=UnitKind.MINE, code="OLD", is_active=False)
    # when the tree opens the first company
    html = page(logged_in(client, admin), reverse("org:unit_children", args=["C1"]), **FRAGMENT)
    # then the fragment lists its mines, not the page around them
    assert "<html" not in html
    assert "一矿" in html
    assert "矿/厂" in html
    assert "M1" in html
    assert "2 人" in html
    assert reverse("org:unit_children", args=["M1"]) in html  # the mine opens further
    assert "已撤销的洗煤厂" in html
    assert "已停用" in html
    assert "二矿" not in html


def test_children_fragment_outside_scope_is_not_found(client: Client, tree: Tree) -> None:
    dispatcher = make_staff(tree.company1, Role.DISPATCHER)
    client = logged_in(client, dispatcher)
    response = client.get(reverse("org:unit_children", args=["C2"]), headers=FRAGMENT)
    assert response.status_code == 404


def test_a_leaf_unit_has_nothing_to_expand(client: Client, tree: Tree) -> None:
    head = make_staff(tree.team1, Role.UNIT_HEAD)
    html = page(logged_in(client, head), reverse("org:tree"))
    assert "综采一区一班" in html
    assert reverse("org:unit_children", args=["T1"]) not in html


def test_search_finds_a_unit_by_name_with_its_path_in_scope(client: Client, tree: Tree) -> None:
    dispatcher = make_staff(tree.company1, Role.DISPATCHER)
    html = page(logged_in(client, dispatcher), reverse("org:tree") + "?q=综采")
    assert "综采一区" in html
    assert "第一煤业公司 / 一矿 /" in html  # the path, from the top of the scope
    assert "示范煤业集团" not in html


def test_search_finds_a_unit_by_its_exact_code(client: Client, tree: Tree) -> None:
    dispatcher = make_staff(tree.company1, Role.DISPATCHER)
    html = page(logged_in(client, dispatcher), reverse("org:tree") + "?q=m1")
    assert "一矿" in html
    assert "综采一区" not in html


def test_search_does_not_find_units_outside_scope(client: Client, tree: Tree) -> None:
    dispatcher = make_staff(tree.company1, Role.DISPATCHER)
    client = logged_in(client, dispatcher)
    for search in ("二矿", "M2"):
        html = page(client, reverse("org:tree") + f"?q={search}")
        assert "没有找到与" in html
        assert reverse("org:unit", args=["M2"]) not in html


def test_search_answers_htmx_with_the_results_only(client: Client, tree: Tree) -> None:
    admin = make_staff(tree.group, Role.ADMINISTRATOR)
    html = page(
        logged_in(client, admin),
        reverse("org:tree") + "?q=矿",
        **FRAGMENT,
        **{"HX-Target": "tree-body"},
    )
    assert "<html" not in html
    assert "一矿" in html
    assert "二矿" in html


def test_unit_options_suggest_codes_in_scope(client: Client, tree: Tree) -> None:
    admin = make_staff(tree.company1, Role.ADMINISTRATOR)
    html = page(logged_in(client, admin), reverse("org:unit_options") + "?unit=矿", **FRAGMENT)
    assert '<option value="M1">第一煤业公司 / 一矿</option>' in html
    assert "M2" not in html


# --- The unit page -------------------------------------------------------------------------------


def test_unit_page_shows_role_holders_sub_units_and_people(client: Client, tree: Tree) -> None:
    # given a mine with a head, a work area and a miner in that area
    leader = make_staff(tree.company1, Role.LEADER)
    make_staff(tree.mine1, Role.UNIT_HEAD)
    head = Person.objects.get(unit=tree.mine1)
    miner = PersonFactory(unit=tree.area1, name="张建国", position="综采队长")
    # when the company's leader opens the mine
    html = page(logged_in(client, leader), reverse("org:unit", args=["M1"]))
    # then they see where it sits, what it is, who holds roles, its sub-units and people
    assert "第一煤业公司" in html  # breadcrumbs
    assert "示范煤业集团" not in html  # above the leader's scope
    assert "矿/厂" in html
    assert "单位负责人" in html
    assert head.name in html
    assert head.employee_no in html
    assert "综采一区" in html
    assert "张建国" in html
    assert miner.employee_no in html
    assert "综采队长" in html


def test_unit_page_searches_its_people(client: Client, tree: Tree) -> None:
    leader = make_staff(tree.mine1, Role.LEADER)
    PersonFactory(unit=tree.area1, name="王小明")
    PersonFactory(unit=tree.team1, name="李大山")
    client = logged_in(client, leader)
    html = page(client, reverse("org:unit", args=["M1"]) + "?q=小明")
    assert "王小明" in html
    assert "李大山" not in html
    fragment = page(
        client, reverse("org:unit", args=["M1"]) + "?q=大山", **FRAGMENT, **{"HX-Target": "people"}
    )
    assert "<html" not in fragment
    assert "李大山" in fragment
    assert "王小明" not in fragment


def test_unit_page_pages_through_many_people(client: Client, tree: Tree) -> None:
    leader = make_staff(tree.area1, Role.LEADER)
    PersonFactory.create_batch(40, unit=tree.team1)
    client = logged_in(client, leader)
    first = page(client, reverse("org:unit", args=["A1"]))
    assert "第 1 / 2 页，共 41 人" in first
    second = page(client, reverse("org:unit", args=["A1"]) + "?page=2")
    assert "第 2 / 2 页，共 41 人" in second


def test_unit_outside_scope_is_not_found(client: Client, tree: Tree) -> None:
    admin = make_staff(tree.company1, Role.ADMINISTRATOR)
    response = logged_in(client, admin).get(reverse("org:unit", args=["M2"]))
    assert response.status_code == 404
    assert "二矿" not in response.content.decode()


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (Role.LEADER, "139****5678"),
        (Role.RECORDER, "139****5678"),
        (Role.DISPATCHER, "13912345678"),
        (Role.ADMINISTRATOR, "13912345678"),
    ],
)
def test_phone_numbers_are_masked_for_roles_that_do_not_need_them(
    client: Client, tree: Tree, role: Role, shown: str
) -> None:
    user = make_staff(tree.mine1, role)
    person = PersonFactory(unit=tree.area1, phone="13912345678")
    client = logged_in(client, user)
    for url in (
        reverse("org:unit", args=["A1"]),
        reverse("org:people") + "?q=" + person.employee_no,
        reverse("org:person", args=[person.employee_no]),
    ):
        html = page(client, url)
        assert shown in html
        if "*" in shown:
            assert "13912345678" not in html


# --- People ------------------------------------------------------------------------------------


def test_people_list_searches_by_name_and_employee_number(client: Client, tree: Tree) -> None:
    dispatcher = make_staff(tree.company1, Role.DISPATCHER)
    PersonFactory(unit=tree.area1, name="赵铁柱", employee_no="KM0001")
    PersonFactory(unit=tree.mine1, name="钱有才", employee_no="KM0002")
    PersonFactory(unit=tree.mine2, name="赵二矿", employee_no="KM0003")  # another company
    client = logged_in(client, dispatcher)

    by_name = page(client, reverse("org:people") + "?q=赵")
    assert "赵铁柱" in by_name
    assert "钱有才" not in by_name
    assert "赵二矿" not in by_name

    by_number = page(client, reverse("org:people") + "?q=km0002")
    assert "钱有才" in by_number
    assert "赵铁柱" not in by_number

    nobody = page(client, reverse("org:people") + "?q=KM0003")
    assert "没有找到与“KM0003”匹配的人员" in nobody


def test_people_list_filters_by_unit_subtree(client: Client, tree: Tree) -> None:
    dispatcher = make_staff(tree.company1, Role.DISPATCHER)
    PersonFactory(unit=tree.team1, name="孙在班")
    PersonFactory(unit=tree.mine1, name="周在矿")
    client = logged_in(client, dispatcher)
    html = page(client, reverse("org:people") + "?unit=A1")
    assert "孙在班" in html
    assert "周在矿" not in html
    assert "综采一区及其下级单位" in html
    elsewhere = page(client, reverse("org:people") + "?unit=M2")
    assert "找不到单位代码“M2”，或该单位不在您的查看范围内" in elsewhere


def test_person_page_shows_unit_position_and_roles(client: Client, tree: Tree) -> None:
    admin = make_staff(tree.group, Role.ADMINISTRATOR)
    secretary = PersonFactory(unit=tree.area1, name="吴书记", position="党支部书记")
    RoleAssignment.objects.create(person=secretary, unit=tree.area1, role=Role.RECORDER)
    html = page(logged_in(client, admin), reverse("org:person", args=[secretary.employee_no]))
    assert "吴书记" in html
    assert "综采一区" in html
    assert "党支部书记" in html
    assert "记录员" in html
    assert reverse("org:person_edit", args=[secretary.employee_no]) in html


def test_person_outside_scope_is_not_found(client: Client, tree: Tree) -> None:
    dispatcher = make_staff(tree.company1, Role.DISPATCHER)
    stranger = PersonFactory(unit=tree.mine2)
    client = logged_in(client, dispatcher)
    assert client.get(reverse("org:person", args=[stranger.employee_no])).status_code == 404


# --- Administration ----------------------------------------------------------------------------


@pytest.fixture
def admin(tree: Tree) -> User:
    """An administrator of the first company."""
    return make_staff(tree.company1, Role.ADMINISTRATOR, username="c1-admin")


def test_actions_are_offered_only_to_administrators(
    client: Client, tree: Tree, admin: User
) -> None:
    leader = make_staff(tree.company1, Role.LEADER)
    edit_url = reverse("org:unit_edit", args=["M1"])
    assert edit_url in page(logged_in(client, admin), reverse("org:unit", args=["M1"]))
    leader_html = page(logged_in(Client(), leader), reverse("org:unit", args=["M1"]))
    assert edit_url not in leader_html
    assert reverse("org:person_add", args=["M1"]) not in leader_html
    assert reverse("org:role_assign", args=["M1"]) not in leader_html


def test_admin_adds_a_sub_unit(client: Client, tree: Tree, admin: User) -> None:
    client = logged_in(client, admin)
    response = client.post(
        reverse("org:unit_add", args=["M1"]),
        {"name": "机电科", "kind": UnitKind.DEPARTMENT, "code": "M1-JD"},
        follow=True,
    )
    unit = OrgUnit.objects.get(code="M1-JD")
    assert unit.name == "机电科"
    assert unit.path.startswith(tree.mine1.path)
    assert unit.depth == tree.mine1.depth + 1
    assert audit_actions(admin) == ["unit.create"]
    assert response.redirect_chain[-1][0] == reverse("org:unit", args=["M1-JD"])
    assert "已添加下级单位“机电科”" in response.content.decode()


def test_adding_a_unit_with_a_bad_code_saves_nothing(
    client: Client, tree: Tree, admin: User
) -> None:
    client = logged_in(client, admin)
    response = client.post(
        reverse("org:unit_add", args=["M1"]),
        {"name": "机电科", "kind": UnitKind.DEPARTMENT, "code": "机电 科"},
    )
    assert response.status_code == 400
    assert "单位代码须为1–32位字母、数字、下划线或短横线" in response.content.decode()
    assert not OrgUnit.objects.filter(name="机电科").exists()
    assert audit_actions(admin) == []


def test_adding_a_unit_with_a_code_in_use_is_refused(
    client: Client, tree: Tree, admin: User
) -> None:
    response = logged_in(client, admin).post(
        reverse("org:unit_add", args=["M1"]),
        {"name": "又一个二矿", "kind": UnitKind.MINE, "code": "M2"},
    )
    assert "单位代码已被使用" in response.content.decode()
    assert not OrgUnit.objects.filter(name="又一个二矿").exists()


def test_admin_edits_a_unit_but_not_its_code(client: Client, tree: Tree, admin: User) -> None:
    client = logged_in(client, admin)
    form = page(client, reverse("org:unit_edit", args=["A1"]))
    assert 'value="综采一区"' in form
    response = client.post(
        reverse("org:unit_edit", args=["A1"]),
        {"name": "综采一队", "kind": UnitKind.AREA, "code": "HACKED"},  # is_active unticked
    )
    assert response.status_code == 302
    tree.area1.refresh_from_db()
    assert (tree.area1.name, tree.area1.code, tree.area1.is_active) == ("综采一队", "A1", False)
    event = AuditEvent.objects.get(actor=admin, action="unit.update")
    assert event.before is not None
    assert event.after is not None
    assert (event.before["name"], event.after["name"]) == ("综采一区", "综采一队")


def test_editing_a_unit_without_a_name_saves_nothing(
    client: Client, tree: Tree, admin: User
) -> None:
    response = logged_in(client, admin).post(
        reverse("org:unit_edit", args=["A1"]),
        {"name": "", "kind": UnitKind.AREA, "is_active": "on"},
    )
    assert response.status_code == 400
    assert "此项为必填项" in response.content.decode()
    tree.area1.refresh_from_db()
    assert tree.area1.name == "综采一区"
    assert audit_actions(admin) == []


def test_admin_adds_a_person(client: Client, tree: Tree, admin: User) -> None:
    response = logged_in(client, admin).post(
        reverse("org:person_add", args=["A1"]),
        {"employee_no": "KM1001", "name": "郑采煤", "position": "采煤工", "phone": "13700001111"},
    )
    person = Person.objects.get(employee_no="KM1001")
    assert (person.name, person.unit, person.phone) == ("郑采煤", tree.area1, "13700001111")
    assert response["Location"] == reverse("org:person", args=["KM1001"])
    assert audit_actions(admin) == ["person.create"]


def test_adding_a_person_with_a_bad_phone_saves_nothing(
    client: Client, tree: Tree, admin: User
) -> None:
    response = logged_in(client, admin).post(
        reverse("org:person_add", args=["A1"]),
        {"employee_no": "KM1002", "name": "郑采煤", "phone": "12345"},
    )
    assert response.status_code == 400
    assert "手机号格式不正确" in response.content.decode()
    assert not Person.objects.filter(employee_no="KM1002").exists()
    assert audit_actions(admin) == []


def test_adding_a_person_with_a_taken_employee_number_is_refused(
    client: Client, tree: Tree, admin: User
) -> None:
    PersonFactory(unit=tree.mine2, employee_no="KM2000", name="原有人员")
    response = logged_in(client, admin).post(
        reverse("org:person_add", args=["A1"]), {"employee_no": "KM2000", "name": "新人"}
    )
    assert "工号已存在" in response.content.decode()
    assert Person.objects.get(employee_no="KM2000").name == "原有人员"


def test_admin_moves_a_person_to_another_unit(client: Client, tree: Tree, admin: User) -> None:
    person = PersonFactory(unit=tree.area1, name="冯调动", phone="")
    response = logged_in(client, admin).post(
        reverse("org:person_edit", args=[person.employee_no]),
        {"unit": "T1", "name": "冯调动", "position": "班长", "phone": "", "is_active": "on"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.unit, person.position) == (tree.team1, "班长")
    event = AuditEvent.objects.get(actor=admin, action="person.update")
    assert event.before is not None
    assert event.after is not None
    assert (event.before["unit"], event.after["unit"]) == (tree.area1.pk, tree.team1.pk)


def test_admin_records_a_birth_date_and_a_wrong_one_is_refused(
    client: Client, tree: Tree, admin: User
) -> None:
    person = PersonFactory(unit=tree.area1, name="冯生日", phone="")
    url = reverse("org:person_edit", args=[person.employee_no])
    form = {"unit": "A1", "name": "冯生日", "is_active": "on"}
    signed_in = logged_in(client, admin)

    assert signed_in.post(url, {**form, "birth_date": "2150-05-20"}).status_code == 400
    response = signed_in.post(url, {**form, "birth_date": "1985-05-20"})

    assert response.status_code == 302
    person.refresh_from_db()
    assert str(person.birth_date) == "1985-05-20"
    event = AuditEvent.objects.get(actor=admin, action="person.update")
    assert event.after is not None
    assert event.after["birth_date"] == "1985-05-20"
    assert 'value="1985-05-20"' in page(signed_in, url)


def test_moving_a_person_out_of_scope_saves_nothing(
    client: Client, tree: Tree, admin: User
) -> None:
    person = PersonFactory(unit=tree.area1, name="冯调动")
    response = logged_in(client, admin).post(
        reverse("org:person_edit", args=[person.employee_no]),
        {"unit": "M2", "name": "冯调动", "is_active": "on"},
    )
    assert response.status_code == 400
    assert "找不到该单位代码，或该单位不在您的管理范围内" in response.content.decode()
    person.refresh_from_db()
    assert person.unit == tree.area1
    assert audit_actions(admin) == []


def test_admin_assigns_and_revokes_a_role(client: Client, tree: Tree, admin: User) -> None:
    client = logged_in(client, admin)
    secretary = PersonFactory(unit=tree.area1, name="陈书记")
    response = client.post(
        reverse("org:role_assign", args=["A1"]),
        {"person": secretary.employee_no, "role": Role.RECORDER},
        follow=True,
    )
    assert RoleAssignment.objects.filter(person=secretary, unit=tree.area1, role=Role.RECORDER)
    html = response.content.decode()
    assert "已任命角色" in html
    assert "记录员" in html
    assert "陈书记" in html

    response = client.post(
        reverse("org:role_revoke", args=["A1"]),
        {"employee_no": secretary.employee_no, "role": Role.RECORDER},
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(person=secretary).exists()
    assert audit_actions(admin) == ["role.revoke", "role.assign"]


def test_assigning_a_role_to_an_unknown_person_saves_nothing(
    client: Client, tree: Tree, admin: User
) -> None:
    outsider = PersonFactory(unit=tree.mine2)
    client = logged_in(client, admin)
    for number in ("NOBODY", outsider.employee_no):
        response = client.post(
            reverse("org:role_assign", args=["A1"]), {"person": number, "role": Role.RECORDER}
        )
        assert response.status_code == 400
        assert "找不到该工号的人员" in response.content.decode()
    assert not RoleAssignment.objects.filter(unit=tree.area1).exists()
    assert audit_actions(admin) == []


def test_assigning_a_role_twice_says_so(client: Client, tree: Tree, admin: User) -> None:
    secretary = PersonFactory(unit=tree.area1)
    RoleAssignment.objects.create(person=secretary, unit=tree.area1, role=Role.RECORDER)
    response = logged_in(client, admin).post(
        reverse("org:role_assign", args=["A1"]),
        {"person": secretary.employee_no, "role": Role.RECORDER},
    )
    assert "该人员已在此单位担任此角色" in response.content.decode()
    assert RoleAssignment.objects.filter(person=secretary).count() == 1


FORMS = [
    ("get", "org:unit_add", "M1"),
    ("post", "org:unit_add", "M1"),
    ("get", "org:unit_edit", "M1"),
    ("post", "org:unit_edit", "M1"),
    ("get", "org:person_add", "M1"),
    ("post", "org:person_add", "M1"),
    ("get", "org:role_assign", "M1"),
    ("post", "org:role_assign", "M1"),
    ("post", "org:role_revoke", "M1"),
]


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("org:unit_add", "添加下级单位"),
        ("org:unit_edit", "编辑单位"),
        ("org:person_add", "添加人员"),
        ("org:role_assign", "任命角色"),
    ],
)
def test_forms_show_where_they_act(
    client: Client, tree: Tree, admin: User, name: str, title: str
) -> None:
    html = page(logged_in(client, admin), reverse(name, args=["A1"]))
    assert f"<h1>{title}</h1>" in html
    assert "单位：综采一区（代码 A1）" in html
    assert reverse("org:unit", args=["M1"]) in html  # breadcrumbs back up the tree


@pytest.mark.parametrize(("method", "name", "code"), FORMS)
def test_forms_are_forbidden_to_non_administrators(
    client: Client, tree: Tree, method: str, name: str, code: str
) -> None:
    leader = make_staff(tree.company1, Role.LEADER, Role.DISPATCHER)
    response = getattr(logged_in(client, leader), method)(reverse(name, args=[code]))
    assert response.status_code == 403
    assert audit_actions(leader) == []


@pytest.mark.parametrize(("method", "name", "code"), [(m, n, "M2") for m, n, _ in FORMS])
def test_forms_of_another_company_are_not_found(
    client: Client, tree: Tree, admin: User, method: str, name: str, code: str
) -> None:
    response = getattr(logged_in(client, admin), method)(reverse(name, args=[code]))
    assert response.status_code == 404


def test_editing_a_person_is_forbidden_to_non_administrators(client: Client, tree: Tree) -> None:
    leader = make_staff(tree.company1, Role.LEADER)
    person = PersonFactory(unit=tree.mine1)
    url = reverse("org:person_edit", args=[person.employee_no])
    assert logged_in(client, leader).get(url).status_code == 403
    assert client.post(url, {"unit": "M1", "name": "改名"}).status_code == 403
    person.refresh_from_db()
    assert person.name != "改名"


# --- Home and anonymous users ------------------------------------------------------------------


def test_home_lists_the_top_units_with_counts(client: Client, tree: Tree) -> None:
    dispatcher = make_staff(tree.company1, Role.DISPATCHER)
    PersonFactory(unit=tree.team1)
    client = logged_in(client, dispatcher)
    home = page(client, reverse("home"))
    assert "第一煤业公司" in home
    assert reverse("org:scope_summary") in home
    summary = page(client, reverse("org:scope_summary"), **FRAGMENT)
    # the company: 1 direct sub-unit (the mine), 3 units in all below it (mine, area, team),
    # 2 people (the dispatcher and the team member)
    assert "第一煤业公司" in summary
    assert re.findall(r"<td>(\d+)</td>", summary) == ["1", "3", "2"]


@pytest.mark.parametrize(
    "url",
    [
        reverse("org:tree"),
        reverse("org:people"),
        reverse("org:unit", args=["M1"]),
        reverse("org:unit_children", args=["M1"]),
        reverse("org:person", args=["E000001"]),
        reverse("org:unit_edit", args=["M1"]),
        reverse("org:scope_summary"),
    ],
)
def test_pages_send_anonymous_users_to_login(client: Client, tree: Tree, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_fragments_send_anonymous_users_to_login_in_the_whole_window(
    client: Client, tree: Tree
) -> None:
    # given a page left open until the session expired
    current = "http://testserver" + reverse("org:tree")
    # when the user opens a unit of the tree
    response = client.get(
        reverse("org:unit_children", args=["M1"]), headers={**FRAGMENT, "HX-Current-URL": current}
    )
    # then htmx is told to load the login page, which returns to the tree afterwards
    assert response.status_code == 401
    assert response["HX-Redirect"] == reverse("login") + "?next=" + reverse("org:tree")
    assert response.content == b""


def test_the_unit_page_charts_people_per_sub_unit(client: Client, tree: Tree) -> None:
    # Given two sub-units of C1 with 2 and 0 people
    make_unit(tree.company1, name="机关", code="C1-HQ")
    PersonFactory.create_batch(2, unit=tree.team1)
    client.force_login(make_staff(tree.company1, Role.LEADER))

    html = client.get(f"/org/units/{tree.company1.code}/").content.decode()

    assert 'data-chart="bar" data-source="children-chart"' in html
    assert "vendor/echarts.min.js" in html
    data = html.split('id="children-chart" type="application/json">')[1].split("</script>")[0]
    assert json.loads(data) == [{"name": "一矿", "value": 2}, {"name": "机关", "value": 0}]

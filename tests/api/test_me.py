"""GET /api/v1/me: the caller, their person and the roles that make their scope."""

from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import Tree
from tests.org.factories import PersonFactory, UserFactory, make_staff
from xinsheng.api.services import token_issue
from xinsheng.org.choices import Role
from xinsheng.org.models import RoleAssignment


def api_client(user: User) -> Client:
    """Return a client that sends ``user``'s token."""
    return Client(headers={"Authorization": f"Token {token_issue(actor=user).key}"})


def test_me_names_the_person_and_every_role_with_its_unit(tree: Tree) -> None:
    # Given a dispatcher of company C1 who is also the head of work area A1
    user = make_staff(tree.company1, Role.DISPATCHER, username="zhang")
    RoleAssignment.objects.create(person=user.person, unit=tree.area1, role=Role.UNIT_HEAD)

    # When they ask who they are
    response = api_client(user).get("/api/v1/me")

    # Then they see their name, employee number, and both roles from the top of the tree down
    assert response.status_code == 200
    assert response.json() == {
        "username": "zhang",
        "name": user.person.name,
        "employee_no": user.person.employee_no,
        "roles": [
            {
                "role": "dispatcher",
                "role_label": "受理派单员",
                "unit_code": "C1",
                "unit_name": "第一煤业公司",
            },
            {
                "role": "unit_head",
                "role_label": "单位负责人",
                "unit_code": "A1",
                "unit_name": "综采一区",
            },
        ],
    }


def test_an_account_without_a_person_has_no_name_and_no_roles(db: None) -> None:
    user = UserFactory(username="robot")

    body = api_client(user).get("/api/v1/me").json()

    assert body == {"username": "robot", "name": None, "employee_no": None, "roles": []}


def test_a_superuser_appears_as_administrator_of_the_whole_tree(tree: Tree) -> None:
    user = UserFactory(username="root", is_superuser=True)

    roles = api_client(user).get("/api/v1/me").json()["roles"]

    assert roles == [
        {
            "role": "administrator",
            "role_label": "管理员",
            "unit_code": "GRP",
            "unit_name": "示范煤业集团",
        }
    ]


def test_roles_at_a_switched_off_unit_give_nothing_and_are_not_listed(tree: Tree) -> None:
    # Given a recorder whose unit has been switched off
    user = make_staff(tree.team1, Role.RECORDER, username="li")
    tree.team1.is_active = False
    tree.team1.save()

    body = api_client(user).get("/api/v1/me").json()

    assert body["roles"] == []
    assert api_client(user).get("/api/v1/units").json()["results"] == []


def test_the_roles_of_other_people_are_not_the_callers(tree: Tree) -> None:
    user = make_staff(tree.mine1, Role.LEADER, username="wang")
    other = PersonFactory(unit=tree.company2)
    RoleAssignment.objects.create(person=other, unit=tree.company2, role=Role.ADMINISTRATOR)

    roles = api_client(user).get("/api/v1/me").json()["roles"]

    assert [(r["role"], r["unit_code"]) for r in roles] == [("leader", "M1")]

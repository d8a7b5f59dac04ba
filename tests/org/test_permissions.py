"""The permission matrix: every role × every action × inside and outside the scope.

The expected table is written out here, independently of ``permissions.actions()``: a change to who
may do what must change both. Each role is held at company C1; "inside" is a unit deep in C1's
subtree, "holder" is C1 itself, "outside" is company C2's mine and the group above C1.
"""

import pytest
from django.contrib.auth.models import AnonymousUser, User

from tests.conftest import Tree
from tests.org.factories import PersonFactory, make_staff
from xinsheng.org import permissions, selectors
from xinsheng.org.choices import Role
from xinsheng.org.models import OrgUnit, Person

R = Role
EXPECTED: dict[str, set[Role]] = {
    "unit.view": set(Role),
    "unit.manage": {R.ADMINISTRATOR},
    "person.view": set(Role),
    "person.view_phone": {R.ADMINISTRATOR, R.DISPATCHER, R.HANDLER, R.UNIT_HEAD},
    "person.manage": {R.ADMINISTRATOR},
    "role.manage": {R.ADMINISTRATOR},
    "org.import": {R.ADMINISTRATOR},
    "case.view": set(Role),
    "case.view_identity": {R.ADMINISTRATOR, R.DISPATCHER, R.HANDLER, R.UNIT_HEAD},
    "case.record": {R.RECORDER, R.DISPATCHER, R.ADMINISTRATOR},
    "case.accept": {R.DISPATCHER, R.ADMINISTRATOR},
    "case.reject": {R.DISPATCHER, R.ADMINISTRATOR},
    "case.merge": {R.DISPATCHER, R.ADMINISTRATOR},
    "case.dispatch": {R.DISPATCHER, R.ADMINISTRATOR},
    "case.decide_extension": {R.DISPATCHER, R.ADMINISTRATOR},
    "case.sign": {R.HANDLER, R.UNIT_HEAD},
    "case.note": {R.HANDLER, R.UNIT_HEAD},
    "case.answer": {R.HANDLER, R.UNIT_HEAD},
    "case.return": {R.HANDLER, R.UNIT_HEAD},
    "case.request_extension": {R.HANDLER, R.UNIT_HEAD},
    "case.supervise": {R.SUPERVISOR},
    "intake.manage": {R.ADMINISTRATOR, R.DISPATCHER},
    "category.manage": {R.ADMINISTRATOR},
    "report.view": {R.LEADER, R.ADMINISTRATOR, R.DISPATCHER, R.SUPERVISOR, R.UNIT_HEAD},
    "ledger.export": set(Role),
    "ledger.import": {R.DISPATCHER, R.ADMINISTRATOR},
    "briefing.write": {R.LEADER, R.ADMINISTRATOR, R.DISPATCHER},
    "project.view": set(Role),
    "project.manage": {R.DISPATCHER, R.ADMINISTRATOR},
    "project.update": {R.DISPATCHER, R.ADMINISTRATOR, R.HANDLER, R.UNIT_HEAD},
    "insight.manage": {R.ADMINISTRATOR},
    "talk.view": set(Role),
    "talk.record": {R.RECORDER, R.UNIT_HEAD, R.LEADER, R.ADMINISTRATOR},
    "talk.view_sensitive": {R.UNIT_HEAD, R.LEADER},
    "talk.import": {R.ADMINISTRATOR, R.DISPATCHER},
    "talk.plan": {R.ADMINISTRATOR, R.LEADER},
    "talk.rules": {R.ADMINISTRATOR},
    "talk.request.handle": {R.RECORDER, R.UNIT_HEAD, R.ADMINISTRATOR},
    "meeting.record": {R.RECORDER, R.UNIT_HEAD, R.ADMINISTRATOR},
    "rectification.update": {R.RECORDER, R.HANDLER, R.UNIT_HEAD, R.ADMINISTRATOR},
    "supervision.manage": {R.ADMINISTRATOR},
    "supervision.act": {R.SUPERVISOR, R.LEADER},
    "care.view": {R.RECORDER, R.UNIT_HEAD, R.LEADER, R.UNION, R.PRIVACY, R.ADMINISTRATOR},
    "care.propose": {R.RECORDER, R.UNIT_HEAD, R.UNION},
    "care.review": {R.UNIT_HEAD},
    "care.approve": {R.UNION},
    "care.pay": {R.UNION},
    "care.visit": {R.RECORDER, R.UNIT_HEAD, R.LEADER, R.UNION},
    "care.manage": {R.UNION, R.ADMINISTRATOR},
    "care.import": {R.UNION, R.ADMINISTRATOR},
    "care.view_sensitive": {R.PRIVACY},
    "quiz.view": {R.UNIT_HEAD, R.LEADER, R.UNION, R.ADMINISTRATOR},
    "quiz.manage": {R.UNION, R.ADMINISTRATOR},
    "quiz.import": {R.UNION, R.ADMINISTRATOR},
    "survey.view": set(Role),
    "survey.manage": {R.UNION, R.UNIT_HEAD, R.ADMINISTRATOR},
    "survey.to_case": {R.DISPATCHER, R.UNION, R.ADMINISTRATOR},
    "proposal.view": set(Role),
    "proposal.record": {R.RECORDER, R.DISPATCHER, R.ADMINISTRATOR},
    "proposal.manage": {R.DISPATCHER, R.ADMINISTRATOR},
    "proposal.decide": {R.LEADER, R.ADMINISTRATOR},
    "proposal.implement": {R.HANDLER, R.UNIT_HEAD, R.DISPATCHER, R.ADMINISTRATOR},
    "proposal.verify": {R.LEADER, R.ADMINISTRATOR},
    "proposal.reward": {R.UNION, R.ADMINISTRATOR},
    "proposal.import": {R.DISPATCHER, R.ADMINISTRATOR},
}

PLACES = {"holder": True, "inside": True, "outside_sibling": False, "outside_ancestor": False}


def place(tree: Tree, name: str) -> OrgUnit:
    return {
        "holder": tree.company1,
        "inside": tree.team1,
        "outside_sibling": tree.mine2,
        "outside_ancestor": tree.group,
    }[name]


def test_the_expected_table_names_every_action() -> None:
    assert set(EXPECTED) == set(permissions.actions())


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("where", sorted(PLACES))
def test_matrix(tree: Tree, role: Role, action: str, where: str) -> None:
    # Given someone holding ``role`` at company C1, and a person at the target unit
    actor = make_staff(tree.company1, role)
    target = place(tree, where)
    person = PersonFactory(unit=target)
    allowed = role in EXPECTED[action] and PLACES[where]

    # Then the single-object answer, the unit queryset and a scoped list all agree with the table
    assert permissions.may(actor, action, target) is allowed
    assert permissions.units_for(actor, action).filter(pk=target.pk).exists() is allowed
    scoped = permissions.in_scope(Person.objects.all(), actor, action)
    assert scoped.filter(pk=person.pk).exists() is allowed
    if allowed:
        permissions.require(actor, action, target)
    else:
        with pytest.raises(permissions.Forbidden):
            permissions.require(actor, action, target)


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_anonymous_and_roleless_users_may_do_nothing(tree: Tree, action: str) -> None:
    roleless = User.objects.create_user("nobody", password="pw-for-tests")
    for actor in (AnonymousUser(), roleless):
        assert not permissions.may(actor, action, tree.team1)
        assert not permissions.units_for(actor, action).exists()


def test_roles_at_several_units_add_up(tree: Tree) -> None:
    # Given a dispatcher at C1 who is also a leader at mine 2
    actor = make_staff(tree.company1, Role.DISPATCHER)
    person = actor.person  # type: ignore[attr-defined]
    person.roles.create(unit=tree.mine2, role=Role.LEADER)
    permissions.forget_roles(actor)

    # Then they see both subtrees, but see whole phone numbers only where they dispatch
    visible = set(permissions.units_for(actor, "unit.view").values_list("code", flat=True))
    assert visible == {"C1", "M1", "A1", "T1", "M2"}
    assert permissions.may(actor, "person.view_phone", tree.team1)
    assert not permissions.may(actor, "person.view_phone", tree.mine2)


def test_a_role_at_an_inactive_person_or_unit_grants_nothing(tree: Tree) -> None:
    actor = make_staff(tree.mine1, Role.ADMINISTRATOR)
    Person.objects.filter(user=actor).update(is_active=False)
    permissions.forget_roles(actor)
    assert not permissions.may(actor, "unit.view", tree.mine1)


def test_masked_phone_for_roles_that_do_not_need_it(tree: Tree) -> None:
    person = PersonFactory(unit=tree.team1, phone="13812341234")
    leader = make_staff(tree.group, Role.LEADER)
    dispatcher = make_staff(tree.company1, Role.DISPATCHER)
    assert selectors.person_phone_for(actor=leader, person=person) == "138****1234"
    assert selectors.person_phone_for(actor=dispatcher, person=person) == "13812341234"


def test_missing_and_not_yours_look_the_same(tree: Tree) -> None:
    actor = make_staff(tree.company1, Role.DISPATCHER)
    with pytest.raises(selectors.NotFound) as outside:
        selectors.unit_get_for(actor=actor, code="M2")
    with pytest.raises(selectors.NotFound) as missing:
        selectors.unit_get_for(actor=actor, code="NO-SUCH")
    assert str(outside.value) == str(missing.value)


def test_an_action_no_app_defines_is_an_error_not_a_refusal(tree: Tree) -> None:
    actor = make_staff(tree.company1, Role.ADMINISTRATOR)
    with pytest.raises(permissions.UnknownAction, match=r"case\.acept"):
        permissions.may(actor, "case.acept", tree.team1)

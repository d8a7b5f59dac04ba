"""Test helpers of the cases app: categories and cases brought to a given state."""

from dataclasses import dataclass

from django.contrib.auth.models import User

from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.cases import services
from xinsheng.cases.models import Case, Category
from xinsheng.cases.services import Identity
from xinsheng.org.choices import Role


def make_category(code: str = "canteen", name: str = "食堂", days: int = 5) -> Category:
    category, _ = Category.objects.get_or_create(
        code=code, defaults={"name": name, "deadline_days": days, "urgent_deadline_days": 2}
    )
    return category


@dataclass
class Cast:
    """The people who act on a case in the ``tree`` fixture."""

    dispatcher: User  # at company C1
    handler: User  # at area A1
    head: User  # at area A1
    supervisor: User  # at company C1
    recorder: User  # at area A1
    admin: User  # at the group


def make_cast(tree: Tree) -> Cast:
    return Cast(
        dispatcher=make_staff(tree.company1, Role.DISPATCHER),
        handler=make_staff(tree.area1, Role.HANDLER),
        head=make_staff(tree.area1, Role.UNIT_HEAD),
        supervisor=make_staff(tree.company1, Role.SUPERVISOR),
        recorder=make_staff(tree.area1, Role.RECORDER),
        admin=make_staff(tree.group, Role.ADMINISTRATOR),
    )


def submit(
    tree: Tree, text: str = "食堂晚班没有热饭，希望延长供餐时间。", *, anonymous: bool = True
) -> services.Submitted:
    identity = (
        Identity(anonymous=True)
        if anonymous
        else Identity(anonymous=False, name="王强", employee_no="JT0000001", phone="13900001111")
    )
    return services.case_submit(
        unit=tree.team1, kind="demand", title="", text=text, identity=identity
    )


def dispatched(tree: Tree, cast: Cast, category: Category | None = None) -> services.Submitted:
    """Return a submitted case taken through accept and dispatch to area A1."""
    submitted = submit(tree)
    category = category or make_category()
    services.case_accept(case=submitted.case, actor=cast.dispatcher, category=category)
    services.case_dispatch(case=submitted.case, actor=cast.dispatcher, unit=tree.area1)
    return submitted


def answered(tree: Tree, cast: Cast) -> services.Submitted:
    submitted = dispatched(tree, cast)
    services.case_sign(case=submitted.case, actor=cast.handler)
    services.case_answer(
        case=submitted.case, actor=cast.handler, text="已安排夜班热饭。", solved=True
    )
    return submitted


def reload(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)

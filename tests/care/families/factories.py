"""Test factories of hardship files: the people who run them and files in a given state."""

from dataclasses import dataclass

from django.contrib.auth.models import User

from tests.care.factories import make_fund, make_person, make_programme
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.care.choices import FileStatus, ProgrammeKind
from xinsheng.care.families import pairing, services
from xinsheng.care.models import Fund, HardshipFile, Programme
from xinsheng.org.choices import CadreRank, Role
from xinsheng.org.models import Person


@dataclass
class Carers:
    """The mine's head who reviews, the company's union who approves and pays, a cadre."""

    head: User
    union: User
    cadre: Person
    cadre_user: User
    fund: Fund
    programme: Programme


def make_carers(tree: Tree) -> Carers:
    head = make_staff(tree.mine1, Role.UNIT_HEAD, username="head")
    union = make_staff(tree.company1, Role.UNION, username="union")
    cadre_user = make_staff(tree.mine1, Role.LEADER, username="cadre")
    cadre = cadre_user.person
    cadre.name = "赵建国"
    cadre.cadre_rank = CadreRank.MINE_LEADER
    cadre.save()
    fund = make_fund(tree.company1, deposit="10000")
    programme = make_programme(
        tree.company1, kind=ProgrammeKind.HARDSHIP, title="困难职工帮扶", fund=fund
    )
    return Carers(head, union, cadre, cadre_user, fund, programme)


def file_data(**changes: object) -> services.FileData:
    values: dict[str, object] = {
        "tier": "hardship",
        "reasons": ["illness"],
        "household_size": 3,
        "household_income": "24000",
        "members": [services.MemberData("李梅", "spouse", 1980, "无业")],
    }
    values.update(changes)
    return services.FileData(**values)  # type: ignore[arg-type]


def make_file(
    tree: Tree,
    carers: Carers,
    *,
    status: str = FileStatus.ACTIVE,
    name: str = "王强",
    person: Person | None = None,
) -> HardshipFile:
    """Create a file through the services up to ``status`` (active: paired with the cadre)."""
    person = person or make_person(tree.team1, name=name)
    file = services.file_propose(actor=carers.head, person=person, data=file_data())
    if status == FileStatus.PROPOSED:
        return file
    file = services.file_review(actor=carers.head, file=file)
    if status == FileStatus.REVIEWED:
        return file
    file = services.file_approve(actor=carers.union, file=file)
    if status == FileStatus.APPROVED:
        return file
    pairing.pair_create(actor=carers.union, file=file, cadres=[carers.cadre])
    file.refresh_from_db()
    return file

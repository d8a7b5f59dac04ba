"""Units for the unit picker's tests: three mines of one company, each with its 综采一队."""

from dataclasses import dataclass

from tests.conftest import Tree
from tests.org.factories import make_unit
from xinsheng.org.choices import UnitKind
from xinsheng.org.models import OrgUnit


@dataclass
class Mines:
    """Three mines of company C1, each with its 综采一队, and one more in company C2."""

    first: OrgUnit  # 一矿 › 综采一队
    second: OrgUnit  # 二矿 › 综采一队
    third: OrgUnit  # 三矿 › 综采一队
    elsewhere: OrgUnit  # 第二煤业公司 › 二矿 › 综采一队, out of the dispatcher's sight


def make_mines(tree: Tree) -> Mines:
    """Return 一矿's, 二矿's and 三矿's 综采一队 in company C1, and one more in company C2."""
    second_mine = make_unit(tree.company1, name="二矿", kind=UnitKind.MINE, code="C1-M2")
    third_mine = make_unit(tree.company1, name="三矿", kind=UnitKind.MINE, code="C1-M3")
    return Mines(
        first=make_unit(tree.mine1, name="综采一队", kind=UnitKind.AREA, code="M1-ZC1"),
        second=make_unit(second_mine, name="综采一队", kind=UnitKind.AREA, code="M2-ZC1"),
        third=make_unit(third_mine, name="综采一队", kind=UnitKind.AREA, code="M3-ZC1"),
        elsewhere=make_unit(tree.mine2, name="综采一队", kind=UnitKind.AREA, code="C2-ZC1"),
    )

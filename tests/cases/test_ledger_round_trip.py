"""A ledger goes out and comes back: the export names units so that its import finds each one
again, even where several bear the same name, and the import reads the names offices give the
source channels."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.cases.factories import make_category, make_staff
from tests.cases.test_ledger_import import dry_run, paper_row, xlsx
from tests.conftest import Tree
from tests.org.factories import make_unit
from xinsheng.cases import demo as cases_demo
from xinsheng.cases.choices import Channel
from xinsheng.cases.models import Case
from xinsheng.org import demo as org_demo
from xinsheng.org.choices import Role, UnitKind
from xinsheng.org.models import OrgUnit


@pytest.fixture
def unions(tree: Tree) -> tuple[OrgUnit, OrgUnit]:
    """Each company has a department called 工会."""
    return (
        make_unit(tree.company1, name="工会", kind=UnitKind.DEPARTMENT, code="C1-GH"),
        make_unit(tree.company2, name="工会", kind=UnitKind.DEPARTMENT, code="C2-GH"),
    )


@pytest.fixture
def group_dispatcher(tree: Tree) -> User:
    make_category()
    return make_staff(tree.group, Role.DISPATCHER)


def errors_of(user: User, responsible: str) -> list[str]:
    """Return the errors the dry run finds in a row sent to ``responsible``."""
    job = dry_run(user, xlsx(paper_row(责任单位=responsible)))
    return [error["message"] for error in job.report["errors"]]


def test_a_shared_name_is_refused_with_the_way_to_name_each_unit(
    unions: tuple[OrgUnit, OrgUnit], group_dispatcher: User
) -> None:
    assert errors_of(group_dispatcher, "工会") == [
        "有不止一个单位名为“工会”，请写成“名称（代码）”，如工会（C1-GH）、工会（C2-GH）。"
    ]


@pytest.mark.parametrize(
    "cell", ["工会（C2-GH）", "工会(c2-gh)", "C2-GH", "第二煤业公司 › 工会", "第二煤业公司/工会"]
)
def test_a_unit_is_read_by_name_and_code_or_by_its_path(
    unions: tuple[OrgUnit, OrgUnit], group_dispatcher: User, cell: str
) -> None:
    job = dry_run(group_dispatcher, xlsx(paper_row(责任单位=cell)))
    assert job.error_count == 0, job.report["errors"]


def test_an_unknown_path_names_no_unit(
    unions: tuple[OrgUnit, OrgUnit], group_dispatcher: User
) -> None:
    assert errors_of(group_dispatcher, "二矿 › 工会") == [
        "找不到单位“二矿 › 工会”，或该单位不在您的管理范围内。"
    ]


def test_the_names_offices_give_channels_are_read_and_reported(
    tree: Tree, group_dispatcher: User, tmp_path: Path
) -> None:
    # given a paper ledger that says where each voice came from in the office's words
    ledger = tmp_path / "ledger.xlsx"
    ledger.write_bytes(
        xlsx(
            paper_row("2019-001", 来源渠道="民情记事本"),
            paper_row("2019-002", 来源渠道="民情记事本"),
            paper_row("2019-003", 来源渠道="书记信箱"),
            paper_row("2019-004", 来源渠道="热线"),
        )
    )
    # when it is checked, the dry run says which names it read as which channel
    out = io.StringIO()
    call_command("ledger", "import", str(ledger), "--as", group_dispatcher.username, stdout=out)
    assert "来源渠道“民情记事本”按“当面”导入（2 行）" in out.getvalue()
    assert "来源渠道“书记信箱”按“意见箱”导入（1 行）" in out.getvalue()
    assert "热线”按" not in out.getvalue()  # a channel's own name is no alias
    # and the import gives each case the channel the name means
    call_command(
        "ledger",
        "import",
        str(ledger),
        "--as",
        group_dispatcher.username,
        "--apply",
        stdout=io.StringIO(),
    )
    channels = dict(Case.objects.values_list("case_no", "channel"))
    assert channels == {
        "2019-001": Channel.FACE_TO_FACE,
        "2019-002": Channel.FACE_TO_FACE,
        "2019-003": Channel.MAILBOX,
        "2019-004": Channel.HOTLINE,
    }


def test_the_dry_run_page_lists_the_names_read_as_channels(
    client: Client, tree: Tree, group_dispatcher: User
) -> None:
    job = dry_run(group_dispatcher, xlsx(paper_row(来源渠道="民情记事本")))
    client.force_login(group_dispatcher)
    page = client.get(reverse("cases:ledger_import_job", args=[job.pk])).content.decode()
    assert "以下来源渠道按常用叫法对应导入，请核对：" in page
    assert "“民情记事本”→ 当面（1 行）" in page


# --- The demo's ledger, out and back --------------------------------------------------------------

DEMO_TODAY = dt.date(2026, 3, 2)
UNIT_COLUMNS = {"所属单位", "责任单位"}


def test_an_export_of_the_demo_ledger_imports_into_a_fresh_database_without_a_unit_error(
    db: None, tmp_path: Path
) -> None:
    # given the demo enterprise (two companies, each with its 工会, five mines with the same
    # work areas) and 300 voices of its year, exported whole by the group's administrator
    org_demo.demo_load(seed=7)
    cases_demo.demo_load(seed=7, today=DEMO_TODAY, cases=300)
    ledger = tmp_path / "ledger.xlsx"
    call_command("ledger", "export", "--as", "admin", "-o", str(ledger), stdout=io.StringIO())
    exported = Case.objects.count()
    sent_to_shared_names = Case.objects.filter(responsible_unit__name="工会").count()
    assert sent_to_shared_names > 0
    # when the cases are gone (a fresh database of the same enterprise) and the file comes back
    Case.objects.filter(merged_into__isnull=False).delete()
    Case.objects.all().delete()
    job = dry_run(User.objects.get(username="admin"), ledger.read_bytes())
    # then no row names a unit the import cannot find, or cannot tell from another
    errors = job.report["errors"]
    assert [e for e in errors if e["column"] in UNIT_COLUMNS] == []
    # and the only rows refused are the merged ones (imported as their target's state) and the
    # reopened ones, whose earlier answer and rating the ledger shows but an open case cannot take
    assert {e["message"] for e in errors} <= {
        "不能导入“已合并”的诉求，请填写它合并后的状态。",
        "只有已办结的诉求可以填写群众评价。",
        "状态为“办理中”时不能填写答复时间。",
        "状态为“已派单”时不能填写答复时间。",
        "状态为“已退单”时不能填写答复时间。",
    }
    refused = {e["row"] for e in errors}
    assert len(refused) < exported * 0.05
    assert job.report["created"] == exported - len(refused)

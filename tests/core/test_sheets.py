"""The spreadsheet import kit: its reader and limits, its job runner, and a kind declared here."""

import ast
import io
import tracemalloc
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from openpyxl import Workbook

from tests.core.sheet_files import far_cell_xlsx, lying_dimension_xlsx
from tests.plugin_app.imports import WRITTEN, check_names, read_names, write_names
from xinsheng.core.errors import Forbidden, InvalidInput
from xinsheng.core.models import AuditEvent, SheetImportJob
from xinsheng.core.sheets import kinds, runner
from xinsheng.core.sheets import table as kit
from xinsheng.core.sheets.command import run_import
from xinsheng.core.sheets.reader import MAX_COLUMNS, XlsxTables, csv_rows, file_type, is_blank
from xinsheng.core.sheets.rows import RowError, errors_report

KIT = Path(__file__).parents[2] / "src/xinsheng/core/sheets"

# --- the reader -----------------------------------------------------------------------------------


def tables_of(content: bytes, *, max_rows: int = 1000) -> dict[str, list[tuple[int, Any]]]:
    with XlsxTables(content, max_rows=max_rows) as tables:
        return {table.title: list(table.rows) for table in tables}


def test_the_reader_streams_rows_with_their_excel_numbers() -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["姓名", "年龄"])
    sheet["A4"], sheet["C4"] = "张三", 3.0
    buffer = io.BytesIO()
    book.save(buffer)
    # blank rows are not yielded, cells are read from column A, whole numbers come back as int
    assert tables_of(buffer.getvalue()) == {"名单": [(1, ("姓名", "年龄")), (4, ("张三", None, 3))]}


@pytest.mark.parametrize("far_cell", ["XFD1048576", "ZZ200000", "XFD1", "A1048576"])
def test_a_cell_far_beyond_the_table_is_refused_without_allocating_its_grid(far_cell: str) -> None:
    # Given a tiny file whose sheet reaches out to a far cell
    content = far_cell_xlsx(["姓名"], ["张三"], far_cell, title="名单")
    assert len(content) < 10_000
    # when it is read, it is refused with the cell named, and the reading took little memory
    tracemalloc.start()
    try:
        with pytest.raises(InvalidInput) as refused:
            tables_of(content, max_rows=200_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert f"单元格 {far_cell} 超出了可导入的范围" in str(refused.value.message)
    assert "工作表“名单”" in str(refused.value.message)
    assert peak < 20 * 1024 * 1024


def test_the_declared_dimension_of_a_sheet_is_not_trusted() -> None:
    # A sheet that claims A1:XFD1048576 but holds two rows reads as its two rows
    content = lying_dimension_xlsx([["姓名", "工号"], ["张三", "001"]])
    assert tables_of(content) == {"Sheet1": [(1, ("姓名", "工号")), (2, ("张三", "001"))]}


def test_a_row_of_too_many_cells_is_refused_as_it_is_read() -> None:
    content = lying_dimension_xlsx([["x"] * (MAX_COLUMNS + 1)], addresses=False)
    with pytest.raises(InvalidInput) as refused:
        tables_of(content)
    assert "第1行的单元格 SG1 超出了可导入的范围" in str(refused.value.message)


def test_columns_up_to_the_limit_are_read() -> None:
    book = Workbook()
    book.active.cell(row=1, column=MAX_COLUMNS, value="最后一列")
    buffer = io.BytesIO()
    book.save(buffer)
    [(number, values)] = tables_of(buffer.getvalue())["Sheet"]
    assert (number, len(values), values[-1]) == (1, MAX_COLUMNS, "最后一列")


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "a.xlsx", "文件是空的。"),
        (b"\xd0\xcf\x11\xe0rest", "a.xls", "不支持旧版 .xls 文件"),
        (b"not a zip", "a.xlsx", "该文件不是有效的 Excel (.xlsx) 文件。"),
        (b"%PDF", "a.pdf", "不支持的文件类型"),
    ],
)
def test_files_of_the_wrong_kind_are_refused(content: bytes, name: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        file_type(content, name)
    assert message in str(refused.value.message)


def test_too_big_files_are_refused(settings: Any) -> None:
    settings.XINSHENG = {**settings.XINSHENG, "IMPORT_MAX_BYTES": 10}
    with pytest.raises(InvalidInput) as refused:
        file_type(b"a,b\r\n1,2\r\n3,4\r\n", "a.csv")
    assert "文件太大" in str(refused.value.message)


def test_an_xlsx_that_unpacks_to_too_much_is_refused(settings: Any) -> None:
    book = Workbook()
    book.active.append(["x" * 1000] * 50)
    buffer = io.BytesIO()
    book.save(buffer)
    settings.XINSHENG = {**settings.XINSHENG, "IMPORT_MAX_BYTES": 1000}
    with pytest.raises(InvalidInput) as refused:
        XlsxTables(buffer.getvalue(), max_rows=10)
    assert "文件内容过大" in str(refused.value.message)


def test_csv_files_are_read_in_utf8_or_gb18030_with_commas_or_tabs() -> None:
    assert list(csv_rows("姓名\t工号\r\n张三\t001\r\n".encode("gb18030"))) == [
        (1, ("姓名", "工号")),
        (2, ("张三", "001")),
    ]
    assert is_blank((None, " ", ""))
    assert not is_blank((None, 0))


@dataclass(frozen=True)
class Col:
    key: str
    header: str

    @property
    def label(self) -> str:
        return self.header


class PeopleData(kit.TableData):
    pass


PEOPLE = (Col("name", "姓名"), Col("no", "工号"), Col("note", "备注"))


def read_people(content: bytes, *, headers_only: bool = False) -> PeopleData:
    return kit.read_first_table(
        kit.Upload(content, "people.csv", headers_only=headers_only),
        PeopleData,
        key=PEOPLE[0],
        columns=PEOPLE,
        required=lambda col: col.key != "note",
        csv_title="名单",
        max_rows=2,
        no_header=lambda: "找不到名单的表头。",
    )


def test_a_one_table_file_is_read_by_its_key_column() -> None:
    # a title line above the header is passed over, columns are found in any order, blank rows left
    data = read_people("人员名单\n工号, 姓名 \n001,张三\n,\n002,李四\n".encode())
    assert isinstance(data, PeopleData)
    assert (data.title, data.positions) == ("名单", {"name": 1, "no": 0})
    assert [(number, data.get(values, "name")) for number, values in data.rows] == [
        (3, "张三"),
        (5, "李四"),
    ]
    # only the header and the first row when the upload is being looked at
    assert len(read_people("姓名,工号\n张三,001\n李四,002\n".encode(), headers_only=True).rows) == 1
    assert read_people("姓名,工号\n".encode(), headers_only=True).rows == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("工号,备注\n001,x\n", "找不到名单的表头。"),
        ("姓名,备注\n张三,x\n", "缺少列：工号。"),
        ("姓名,工号\n\n", "文件中没有数据行。"),
        ("姓名,工号\n张三,1\n李四,2\n王五,3\n", "行数超过 2 行，请拆分成几个文件分别导入。"),
    ],
)
def test_a_one_table_file_without_its_header_columns_or_rows_is_refused(
    text: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_people(text.encode())
    assert str(refused.value.message) == message


def test_row_errors_are_reported_in_one_shape() -> None:
    errors = [RowError("名单", row, "姓名", "必填。") for row in range(2, 6)]
    assert errors_report(errors, limit=2) == {
        "error_count": 4,
        "errors": [
            {"sheet": "名单", "row": 2, "column": "姓名", "message": "必填。"},
            {"sheet": "名单", "row": 3, "column": "姓名", "message": "必填。"},
        ],
        "more_errors": 2,
    }


# --- a kind declared here, reading, checking and writing as the throwaway app does -------------


NAMES = kinds.ImportKind(
    key="names",
    title="names",
    action="names.import",
    allowed=lambda actor: actor.is_staff,
    read=read_names,
    check=check_names,
    write=write_names,
    template=lambda: b"",
    template_name=lambda: "names.xlsx",
    report_lines=lambda report: [f"created {report['created']}"],
    templates="names/",
    url_name="names:import",
)


@pytest.fixture
def names_kind(monkeypatch: pytest.MonkeyPatch) -> kinds.ImportKind:
    declared = kinds.import_kinds()
    monkeypatch.setattr(kinds, "import_kinds", lambda: [*declared, NAMES])
    WRITTEN.clear()
    return NAMES


@pytest.fixture
def staff(db: None) -> User:
    return User.objects.create_user("importer", is_staff=True)


def test_the_installed_apps_declare_their_imports_by_name() -> None:
    assert {kind.key for kind in kinds.import_kinds()} >= {"org", "ledger"}
    assert kinds.import_kind("org").url("job") == "org:import_job"


def test_a_declared_kind_runs_through_dry_run_and_apply(
    names_kind: kinds.ImportKind, staff: User
) -> None:
    job = runner.job_create(
        "names", actor=staff, file_name="n.csv", content=b"a\r\nb\r\n", background=False
    )
    job = runner.job_check(job_id=job.pk)
    assert (job.kind, job.status, job.total_rows, job.change_count) == ("names", "checked", 2, 2)
    assert WRITTEN == []
    runner.job_request_apply(actor=staff, job=job, background=False)
    job = runner.job_apply(job_id=job.pk)
    assert job.status == SheetImportJob.Status.APPLIED
    assert WRITTEN == ["a", "b"]
    assert AuditEvent.objects.get(action="names.import").after == {"file": "n.csv", "created": 2}


def test_a_declared_kind_decides_who_may_import(names_kind: kinds.ImportKind, db: None) -> None:
    outsider = User.objects.create_user("outsider")
    with pytest.raises(Forbidden):
        runner.job_create("names", actor=outsider, file_name="n.csv", content=b"a\r\n")


def test_the_command_prints_the_kinds_lines_and_the_row_errors(
    names_kind: kinds.ImportKind, staff: User, tmp_path: Path
) -> None:
    path = tmp_path / "n.csv"
    path.write_bytes(b"a\r\n \r\n")
    command = BaseCommand(stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="发现 1 处错误，未写入任何数据。"):
        run_import(command, "names", actor=staff, path=path, apply=True)
    assert command.stdout._out.getvalue() == "created 1\n"  # type: ignore[attr-defined]
    assert command.stderr._out.getvalue() == "names 第2行 [name]：必填。\n"  # type: ignore[attr-defined]
    assert WRITTEN == []


def test_the_kit_imports_no_domain_app() -> None:
    domain = ("xinsheng.org", "xinsheng.cases", "xinsheng.projects", "xinsheng.reports")
    for module in KIT.glob("*.py"):
        tree = ast.parse(module.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert not node.module.startswith((*domain, "xinsheng.insight")), module

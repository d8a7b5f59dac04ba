"""Proposals from a spreadsheet (a unit's paper register, a year's Excel ledger), through the
shared spreadsheet kit: one row per proposal, by the proposer's employee number, into the latest
collection window whose units hold the proposer. Every row is checked before anything is
written; a bad row is reported with its number and nothing of the file is written."""

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinsheng.core.actors import Actor
from xinsheng.core.errors import XinshengError
from xinsheng.core.sheets import reader, table
from xinsheng.core.sheets.kinds import ImportKind
from xinsheng.core.sheets.rows import RowError, errors_report
from xinsheng.core.sheets.template import TemplateColumn, TemplateSheet, template_workbook
from xinsheng.org import permissions
from xinsheng.org.models import Person
from xinsheng.proposals import services
from xinsheng.proposals.choices import Channel
from xinsheng.proposals.models import Window

MAX_ROWS = 5000
ACTION = "proposal.import"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese header (a msgid)
    required: bool = False

    @property
    def label(self) -> str:
        return gettext(self.header)


COLUMNS = (
    Column("employee_no", "工号", required=True),
    Column("name", "姓名"),
    Column("title", "题目", required=True),
    Column("category", "类别"),
    Column("problem", "存在问题", required=True),
    Column("measure", "建议措施", required=True),
    Column("benefit", "预期效益"),
    Column("estimated_savings", "预计创效（元）"),
)


@dataclass
class Rows(table.TableData):
    pass


@dataclass
class ProposalsPlan:
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    digest: str = ""

    @property
    def change_count(self) -> int:
        return len(self.rows)

    def counts(self) -> dict[str, int]:
        return {"created": len(self.rows)}

    def report(self) -> dict[str, Any]:
        return {"created": len(self.rows), "changed": 0, **errors_report(self.errors)}


def read_proposals(upload: table.Upload) -> Rows:
    """Return the file's table of proposals (the first sheet with the header)."""

    def read(title: str, rows: Any) -> Rows | None:
        iterator = iter(rows)
        keys = {table.normalise_header(column.header) for column in COLUMNS}
        keys |= {table.normalise_header(column.label) for column in COLUMNS}
        header = table.find_header(iterator, keys)
        if header is None:
            return None
        positions = table.column_positions(header, COLUMNS, required=lambda column: column.required)
        data = Rows(title, positions)
        counter = table.RowCounter(MAX_ROWS, upload.progress)
        return table.collect_rows(data, iterator, counter, headers_only=upload.headers_only)

    return reader.first_table(
        upload.content,
        upload.file_name,
        read=read,
        csv_title=gettext("合理化建议"),
        max_rows=MAX_ROWS,
        no_header=lambda: gettext("找不到表头：须有“工号”“题目”“存在问题”“建议措施”等列。"),
    )


def _window_for(person: Person) -> Window | None:
    found = [
        window
        for window in Window.objects.order_by("-closes_on", "-id")
        if person.unit.path.startswith(window.unit_path)
    ]
    return found[0] if found else None


def _text(data: Rows, values: Any, key: str) -> str:
    value = data.get(values, key)
    return "" if value is None else str(value).strip()


def check_proposals(data: Rows, *, actor: Actor, progress: Any = None) -> ProposalsPlan:
    """Return the proposals the file would add, and the rows that cannot be added."""
    plan = ProposalsPlan()
    labels = {column.key: column.label for column in COLUMNS}
    for number, values in data.rows:
        number_text = _text(data, values, "employee_no")
        person = Person.objects.select_related("unit").filter(employee_no=number_text).first()
        if person is None:
            message = gettext("找不到工号为“%(no)s”的职工。") % {"no": number_text}
            plan.errors.append(RowError(data.title, number, labels["employee_no"], message))
            continue
        name = _text(data, values, "name")
        if name and name != person.name:
            message = gettext("姓名与工号不符。")
            plan.errors.append(RowError(data.title, number, labels["name"], message))
            continue
        if not permissions.may(actor, "proposal.record", person.unit):
            message = gettext("您不能为该单位的职工录入建议。")
            plan.errors.append(RowError(data.title, number, labels["employee_no"], message))
            continue
        window = _window_for(person)
        if window is None:
            message = gettext("该职工所在单位没有征集活动。")
            plan.errors.append(RowError(data.title, number, labels["employee_no"], message))
            continue
        row: dict[str, Any] = {
            key: _text(data, values, key)
            for key in ("title", "category", "problem", "measure", "benefit", "estimated_savings")
        }
        try:
            services.checked_fields(services.Draft(**row), window)
        except XinshengError as error:
            field_name = next(iter(error.fields), "")
            message = str(error.message)
            plan.errors.append(RowError(data.title, number, labels.get(field_name, ""), message))
            continue
        plan.rows.append({**row, "person": person.pk, "window": window.pk})
    plan.digest = hashlib.sha256(
        json.dumps(plan.rows, ensure_ascii=False, sort_keys=True).encode()
    ).hexdigest()
    return plan


def write_proposals(plan: ProposalsPlan, *, actor: Actor) -> None:
    """Write the planned proposals (inside the import's transaction)."""
    people = Person.objects.select_related("unit").in_bulk([row["person"] for row in plan.rows])
    windows = Window.objects.in_bulk([row["window"] for row in plan.rows])
    for row in plan.rows:
        fields = {key: value for key, value in row.items() if key not in {"person", "window"}}
        services.proposal_record(
            actor=actor,
            window=windows[row["window"]],
            proposer=people[row["person"]],
            draft=services.Draft(**fields),
            channel=Channel.IMPORT,
        )


def template() -> bytes:
    columns = [TemplateColumn(column.label, width=14) for column in COLUMNS]
    sample = [
        "100234",
        "王建国",
        "改进皮带机清扫器",
        "技术革新",
        "皮带机头部清扫器刮板磨损快，回程皮带粘煤严重。",
        "改用聚氨酯合金刮板，并加装二道清扫器。",
        "减少撒煤和清理人工。",
        "50000",
    ]
    return template_workbook([TemplateSheet(gettext("合理化建议"), columns, [sample])])


PROPOSAL_IMPORT = ImportKind(
    key="proposals",
    title=_("导入合理化建议"),
    action=ACTION,
    allowed=lambda actor: permissions.may_anywhere(actor, ACTION),
    read=read_proposals,
    check=check_proposals,
    write=write_proposals,
    template=template,
    template_name=lambda: "proposals-template.xlsx",
    report_lines=lambda report: [gettext("将导入建议 %(n)s 条") % {"n": report["created"]}],
    templates="proposals/import/",
    url_name="proposals:import",
    form_help=_(
        "每行一条建议：工号、题目、存在问题、建议措施必填；进入建议人所在单位最近的征集活动。"
    ),
)

"""Import a historical roster of hardship families (困难职工档案) from Excel: a kind of the
spreadsheet kit (``xinsheng.core.sheets``), which keeps the job, runs the dry run and the import
in one transaction, and serves the pages and the command.

Each row is one family, checked by the same rules as one proposed on the page
(``services.file_data_clean``): every error is reported by row and column, and nothing is
written while there is one. Families on the roster were approved before; they are written as
active files whose first history step is the import.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext, gettext_lazy

from xinsheng.care.choices import OPEN_FILE_STATES, FileStatus, HardshipReason, Tier
from xinsheng.care.families import services
from xinsheng.care.families.columns import IMPORTED, REQUIRED, SHEET_TITLE, column
from xinsheng.care.families.forms import members_parse
from xinsheng.care.models import HardshipFile
from xinsheng.core.actors import Actor
from xinsheng.core.errors import InvalidInput
from xinsheng.core.sheets import table as kit
from xinsheng.core.sheets import template
from xinsheng.core.sheets.kinds import ImportKind
from xinsheng.core.sheets.plans import CreatePlan, choice_lookup
from xinsheng.core.sheets.rows import RowError
from xinsheng.core.sheets.table import normalise_header
from xinsheng.core.sheets.template import TemplateColumn, TemplateSheet
from xinsheng.core.sheets.xlsx import Values
from xinsheng.org import permissions
from xinsheng.org.models import Person

KEY = "care_families"
ACTION = "care.import"
MAX_ROWS = 20_000
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
SPLIT = ("、", ",", "，", ";", "；", " ")


class FamilyData(kit.TableData):
    """The roster table of a file: which column holds which field, and its rows."""


def read_families(upload: kit.Upload) -> FamilyData:
    """Return the roster table of an uploaded .xlsx or .csv file."""
    return kit.read_first_table(
        upload,
        FamilyData,
        key=column("employee_no"),
        columns=IMPORTED,
        required=lambda col: col.key in REQUIRED,
        csv_title=gettext(SHEET_TITLE),
        max_rows=MAX_ROWS,
        no_header=_no_header,
    )


def _no_header() -> str:
    return gettext("文件中找不到困难职工档案的表头（须有“%(column)s”列，请使用导入模板）。") % {
        "column": column("employee_no").label
    }


@dataclass
class NewFile:
    """A row to write: whose family, and its figures."""

    row: int
    person: Person
    data: services.FileData


class Plan(CreatePlan[NewFile]):
    """The files an import would write, its row errors and its report."""

    def item_report(self, item: NewFile) -> dict[str, Any]:
        """Return how the dry run's report shows one row to create."""
        return {
            "row": item.row,
            "employee_no": item.person.employee_no,
            "name": item.person.name,
            "tier": str(Tier(item.data.tier).label),
        }


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


class _Checker:
    def __init__(self, actor: Actor, data: FamilyData) -> None:
        self.actor = actor
        self.data = data
        self.plan = Plan(title=data.title, rows=len(data.rows))
        self.tiers = choice_lookup(Tier)
        self.reasons = choice_lookup(HardshipReason)
        numbers = {_text(data.get(values, "employee_no")) for _n, values in data.rows}
        self.people = {
            person.employee_no: person
            for person in Person.objects.filter(employee_no__in=numbers).select_related("unit")
        }
        self.open_files = set(
            HardshipFile.objects.filter(
                person__employee_no__in=numbers, status__in=OPEN_FILE_STATES
            ).values_list("person__employee_no", flat=True)
        )
        self.seen: dict[str, int] = {}

    def run(self) -> Plan:
        for number, values in self.data.rows:
            self.row(number, values)
        digest = json.dumps([[item.row, item.person.employee_no] for item in self.plan.creates])
        self.plan.digest = hashlib.sha256(digest.encode()).hexdigest()
        return self.plan

    def error(self, number: int, key: str, message: str) -> None:
        label = column(key).label if key else ""
        self.plan.errors.append(RowError(self.data.title, number, label, message))

    def cell(self, values: Values, key: str) -> str:
        return _text(self.data.get(values, key))

    def row(self, number: int, values: Values) -> None:
        problems: list[tuple[str, str]] = []
        person = self.person(values, problems)
        tier = self.tiers.get(normalise_header(self.cell(values, "tier")), "")
        if not tier:
            problems.append(("tier", gettext("困难类别应为特困、困难或临时困难。")))
        reasons = []
        for word in _split(self.cell(values, "reasons")):
            reason = self.reasons.get(normalise_header(word))
            if reason is None:
                problems.append(
                    ("reasons", gettext("“%(text)s”不是可选的致困原因。") % {"text": word})
                )
            else:
                reasons.append(reason)
        size_text = self.cell(values, "household_size")
        size = int(size_text) if size_text.isdigit() else None
        review_due = self.date(self.data.get(values, "review_due"), problems)
        try:
            members = members_parse(self.cell(values, "members"))
        except forms.ValidationError as error:
            problems.append(("members", " ".join(str(m) for m in error.messages)))
            members = []
        data = services.FileData(
            tier=tier,
            reasons=reasons,
            household_size=size,
            household_income=self.cell(values, "household_income"),
            reason_note=self.cell(values, "reason_note"),
            review_due=review_due,
            members=members,
        )
        if not problems:
            try:
                services.file_data_clean(data)
            except InvalidInput as error:
                for name, messages in error.fields.items():
                    problems.extend((name, str(message)) for message in messages)
        if person is not None and not problems:
            previous = self.seen.get(person.employee_no)
            if previous is not None:
                problems.append(
                    ("employee_no", gettext("与第%(row)d行是同一职工。") % {"row": previous})
                )
            self.seen[person.employee_no] = number
        if problems or person is None:
            for key, message in dict.fromkeys(problems):
                self.error(number, key, message)
            return
        self.plan.creates.append(NewFile(number, person, data))

    def person(self, values: Values, problems: list[tuple[str, str]]) -> Person | None:
        number = self.cell(values, "employee_no")
        if not number:
            problems.append(("employee_no", gettext("请填写工号。")))
            return None
        person = self.people.get(number)
        if person is None or not permissions.may(self.actor, ACTION, person.unit):
            problems.append(
                (
                    "employee_no",
                    gettext("工号“%(no)s”不存在或不在您的导入范围内。") % {"no": number},
                )
            )
            return None
        name = self.cell(values, "name")
        if name and name != person.name:
            problems.append(
                ("name", gettext("姓名与工号不符：该工号是%(name)s。") % {"name": person.name})
            )
        if number in self.open_files:
            problems.append(
                ("employee_no", gettext("%(name)s已有未退出的困难档案。") % {"name": person.name})
            )
        return person

    def date(self, value: object, problems: list[tuple[str, str]]) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value)
        if not text:
            return None
        for date_format in DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, date_format).date()
            except ValueError:
                continue
        problems.append(
            ("review_due", gettext("日期“%(text)s”无法识别，请写成 2026-05-08。") % {"text": text})
        )
        return None


def _split(cell: str) -> list[str]:
    words = [cell]
    for mark in SPLIT:
        words = [part for word in words for part in word.split(mark)]
    return [word.strip() for word in words if word.strip()]


def check_families(data: FamilyData, *, actor: Actor, progress: Any = None) -> Plan:
    """Return the plan of importing ``data`` as ``actor``; nothing is written."""
    return _Checker(actor, data).run()


def write_families(plan: Plan, *, actor: Actor) -> None:
    """Write the files of ``plan`` (inside the import's transaction) as active files."""
    for item in plan.creates:
        services.file_propose(
            actor=actor,
            person=item.person,
            data=item.data,
            status=FileStatus.ACTIVE,
            permission=ACTION,
        )


def template_file_name() -> str:
    """Return the name the template downloads under."""
    return gettext("困难职工档案导入模板") + ".xlsx"


def template_bytes() -> bytes:
    """Return the template: the roster's columns with notes and an example row."""
    sample: dict[str, object] = {
        "seq": 1,
        "employee_no": "JT0102",
        "name": gettext("王强"),
        "tier": str(Tier.HARDSHIP.label),
        "reasons": "、".join(
            [str(HardshipReason.ILLNESS.label), str(HardshipReason.SCHOOLING.label)]
        ),
        "household_size": 4,
        "household_income": 36000,
        "reason_note": gettext("妻子患病长期治疗，孩子上高中。"),
        "review_due": "",
        "members": gettext("李梅 配偶 1982 无业") + "\n" + gettext("王小明 子女 2009 县一中"),
    }
    columns = [
        TemplateColumn(
            col.label,
            note=col.note,
            width=col.width,
            column_format="@" if col.key in {"employee_no", "members", "reason_note"} else "",
            choices=[str(t.label) for t in Tier] if col.key == "tier" else (),
        )
        for col in IMPORTED
    ]
    sheet = TemplateSheet(
        gettext(SHEET_TITLE), columns, [[sample[col.key] for col in IMPORTED]], fit_samples=False
    )
    return template.template_workbook([sheet])


def may_import(actor: Actor) -> bool:
    """Return whether ``actor`` may import hardship files (somewhere)."""
    return permissions.may_anywhere(actor, ACTION)


def report_lines(report: dict[str, Any]) -> list[str]:
    """Return what the command prints of a report: its figures."""
    return [gettext("%(title)s：%(rows)d 行，新增 %(created)d 户困难职工档案") % report]


FAMILY_IMPORT = ImportKind(
    key=KEY,
    title=gettext_lazy("导入困难职工档案"),
    action=ACTION,
    allowed=may_import,
    read=read_families,
    check=check_families,
    write=write_families,
    template=template_bytes,
    template_name=template_file_name,
    report_lines=report_lines,
    templates="care/families/import/",
    url_name="care_families:import",
    form_help=gettext_lazy("Excel (.xlsx) 或 CSV 文件，列见导入模板。"),
    forbidden_message=gettext_lazy("您无权导入困难职工档案。"),
    order=70,
)

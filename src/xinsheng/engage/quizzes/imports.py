"""Import questions into the bank from Excel: a kind of the spreadsheet kit
(``xinsheng.core.sheets``), which keeps the job, runs the dry run and the import in one
transaction, and serves the pages and the command.

Each row is one question, checked by the same rules as the service's
(``services.question_data_clean``): every error is reported by row and column (a row without
an answer is refused), and nothing is written while there is one.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, gettext_lazy

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
from xinsheng.engage.quizzes import services
from xinsheng.engage.quizzes.choices import Difficulty, QuestionKind
from xinsheng.engage.quizzes.columns import COLUMNS, OPTION_KEYS, REQUIRED, SHEET_TITLE, column
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit

KEY = "quiz_questions"
ACTION = "quiz.import"
MAX_ROWS = 5000
IMPORTED = tuple(col for col in COLUMNS if col.key != "seq")


class BankData(kit.TableData):
    """The bank table of a file."""


def read_questions(upload: kit.Upload) -> BankData:
    """Return the bank table of an uploaded .xlsx or .csv file."""
    return kit.read_first_table(
        upload,
        BankData,
        key=column("text"),
        columns=IMPORTED,
        required=lambda col: col.key in REQUIRED,
        csv_title=gettext(SHEET_TITLE),
        max_rows=MAX_ROWS,
        no_header=_no_header,
    )


def _no_header() -> str:
    return gettext("文件中找不到题库的表头（须有“%(column)s”列，请使用导入模板）。") % {
        "column": column("text").label
    }


@dataclass
class NewQuestion:
    """A row to write."""

    row: int
    unit: OrgUnit
    data: services.QuestionData


class Plan(CreatePlan[NewQuestion]):
    """The questions an import would write, its row errors and its report."""

    def item_report(self, item: NewQuestion) -> dict[str, Any]:
        """Return how the dry run's report shows one row to create."""
        return {
            "row": item.row,
            "text": item.data.text[:60],
            "kind": str(QuestionKind(item.data.kind).label),
            "unit": item.unit.name,
        }


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Checker:
    def __init__(self, actor: Actor, data: BankData) -> None:
        self.actor = actor
        self.data = data
        self.plan = Plan(title=data.title, rows=len(data.rows))
        self.kinds = choice_lookup(QuestionKind) | {"单项选择": "single", "多项选择": "multiple"}
        self.difficulties = choice_lookup(Difficulty)
        codes = {_text(data.get(values, "unit")) for _n, values in data.rows} - {""}
        self.units = {
            unit.code: unit for unit in permissions.units_for(actor, ACTION).filter(code__in=codes)
        }
        self.home = permissions.units_for(actor, ACTION).order_by("depth", "path").first()

    def run(self) -> Plan:
        for number, values in self.data.rows:
            self.row(number, values)
        digest = json.dumps(
            [[item.row, item.data.text, item.unit.pk] for item in self.plan.creates]
        )
        self.plan.digest = hashlib.sha256(digest.encode()).hexdigest()
        return self.plan

    def cell(self, values: Values, key: str) -> str:
        return _text(self.data.get(values, key))

    def row(self, number: int, values: Values) -> None:
        problems: list[tuple[str, str]] = []
        code = self.cell(values, "unit")
        unit = self.units.get(code) if code else self.home
        if unit is None:
            problems.append(
                ("unit", gettext("单位代码“%(code)s”不存在或不在您的导入范围内。") % {"code": code})
            )
        kind = self.kinds.get(normalise_header(self.cell(values, "kind")), "")
        if not kind:
            problems.append(("kind", gettext("题型应为单选、多选或判断。")))
        difficulty = self.difficulties.get(normalise_header(self.cell(values, "difficulty")), "")
        if not difficulty:
            problems.append(("difficulty", gettext("难度应为易、中或难。")))
        if not self.cell(values, "answer"):
            problems.append(("answer", gettext("请填写答案。")))
        data = services.QuestionData(
            text=self.cell(values, "text"),
            kind=kind,
            options=[self.cell(values, key) for key in OPTION_KEYS],
            answer=self.cell(values, "answer"),
            explanation=self.cell(values, "explanation"),
            tags=services.tags_split(self.cell(values, "tags")),
            difficulty=difficulty,
        )
        if not problems:
            try:
                services.question_data_clean(data)
            except InvalidInput as error:
                for name, messages in error.fields.items():
                    key = name if name != "options" else "option_a"
                    problems.extend((key, str(message)) for message in messages)
        if problems or unit is None:
            for key, message in dict.fromkeys(problems):
                label = column(key).label if key in {c.key for c in COLUMNS} else ""
                self.plan.errors.append(RowError(self.data.title, number, label, message))
            return
        self.plan.creates.append(NewQuestion(number, unit, data))


def check_questions(data: BankData, *, actor: Actor, progress: Any = None) -> Plan:
    """Return the plan of importing ``data`` as ``actor``; nothing is written."""
    return _Checker(actor, data).run()


def write_questions(plan: Plan, *, actor: Actor) -> None:
    """Write the questions of ``plan`` (inside the import's transaction)."""
    for item in plan.creates:
        services.question_create(actor=actor, unit=item.unit, data=item.data, permission=ACTION)


def template_file_name() -> str:
    """Return the name the template downloads under."""
    return gettext("题库导入模板") + ".xlsx"


def template_bytes() -> bytes:
    """Return the template: the bank's columns with notes and three example rows."""
    samples = [
        {
            "seq": 1,
            "text": gettext("入井人员必须随身携带的是？"),
            "kind": str(QuestionKind.SINGLE.label),
            "option_a": gettext("自救器"),
            "option_b": gettext("手机"),
            "option_c": gettext("打火机"),
            "option_d": gettext("香烟"),
            "answer": "A",
            "explanation": gettext("《煤矿安全规程》规定，入井人员必须随身携带自救器。"),
            "tags": gettext("安全生产"),
            "difficulty": str(Difficulty.EASY.label),
        },
        {
            "seq": 2,
            "text": gettext("“一通三防”中的“三防”是指？"),
            "kind": str(QuestionKind.MULTIPLE.label),
            "option_a": gettext("防瓦斯"),
            "option_b": gettext("防煤尘"),
            "option_c": gettext("防灭火"),
            "option_d": gettext("防迟到"),
            "answer": "ABC",
            "explanation": gettext("“一通三防”指通风、防瓦斯、防煤尘、防灭火。"),
            "tags": gettext("安全生产、一通三防"),
            "difficulty": str(Difficulty.MEDIUM.label),
        },
        {
            "seq": 3,
            "text": gettext("职工代表大会是企业实行民主管理的基本形式。"),
            "kind": str(QuestionKind.TRUE_FALSE.label),
            "answer": gettext("正确"),
            "tags": gettext("企业管理"),
            "difficulty": str(Difficulty.EASY.label),
        },
    ]
    columns = [
        TemplateColumn(
            col.label,
            note=col.note,
            width=col.width,
            column_format="@" if col.key in {"answer", "unit"} else "",
            choices=[str(k.label) for k in QuestionKind]
            if col.key == "kind"
            else [str(d.label) for d in Difficulty]
            if col.key == "difficulty"
            else (),
        )
        for col in COLUMNS
    ]
    rows = [[sample.get(col.key, "") for col in COLUMNS] for sample in samples]
    sheet = TemplateSheet(gettext(SHEET_TITLE), columns, rows, fit_samples=False)
    return template.template_workbook([sheet])


def may_import(actor: Actor) -> bool:
    """Return whether ``actor`` may import questions (somewhere)."""
    return permissions.may_anywhere(actor, ACTION)


def report_lines(report: dict[str, Any]) -> list[str]:
    """Return what the command prints of a report: its figures."""
    return [gettext("%(title)s：%(rows)d 行，新增 %(created)d 道题") % report]


QUESTION_IMPORT = ImportKind(
    key=KEY,
    title=gettext_lazy("导入题库"),
    action=ACTION,
    allowed=may_import,
    read=read_questions,
    check=check_questions,
    write=write_questions,
    template=template_bytes,
    template_name=template_file_name,
    report_lines=report_lines,
    templates="engage/quizzes/import/",
    url_name="quizzes:import",
    form_help=gettext_lazy("Excel (.xlsx) 或 CSV 文件，列见导入模板。"),
    forbidden_message=gettext_lazy("您无权导入题库。"),
    order=80,
)

"""Import historical talk and visit records (paper ledgers typed into Excel): a kind of the
spreadsheet kit (``xinsheng.core.sheets``), which keeps the job, runs the dry run and the import
in one transaction, and serves the pages and the command.

Each row is one record, checked by the same rules as one typed on the entry page
(``checks.talk_check``): every error is reported by row and column, and nothing is written
while there is one. The voices of the 反映诉求 column become cases like those of a new record.
A row already imported (the same date, kind, unit, hosts, people and summary) is left as it is,
so that importing a file twice writes it once.
"""

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from xinsheng.cases.choices import CaseKind
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
from xinsheng.org.models import OrgUnit
from xinsheng.talks.choices import Direction, Place, TalkKind
from xinsheng.talks.models import TalkRecord
from xinsheng.talks.records import keys, services
from xinsheng.talks.records import vocabulary as words
from xinsheng.talks.records.checks import PeopleFinder, TalkInput, VoiceInput, talk_check
from xinsheng.talks.records.columns import (
    COLUMNS,
    REQUIRED,
    SHEET_TITLE,
    Cell,
    column,
    person_numbers,
)

KEY = "talks"
ACTION = "talk.import"
MAX_ROWS = 50_000
PROGRESS_EVERY = 200
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
CASE_NO = re.compile(r"^\d{4}-\d{6,9}\b")
NOTE_IN_BRACKETS = re.compile(r"^(.*?)[（(](.*)[)）]$")
# Which column each field of the checks lands in.
FIELD_COLUMNS = {
    "kind": "kind",
    "unit": "unit",
    "held_on": "held_on",
    "hosts": "hosts",
    "people": "people",
    "place": "place",
    "place_note": "place",
    "direction": "direction",
    "summary": "summary",
    "tags": "tags",
    "voices": "voices",
}

Progress = Callable[[int], None]


class TalkData(kit.TableData):
    """The ledger table of a file: which column holds which field, and its rows."""


# --- reading --------------------------------------------------------------------------------------


def read_talks(upload: kit.Upload) -> TalkData:
    """Return the ledger table of an uploaded .xlsx or .csv file."""
    return kit.read_first_table(
        upload,
        TalkData,
        key=column("people"),
        columns=COLUMNS,
        required=lambda col: col.key in REQUIRED,
        csv_title=gettext(SHEET_TITLE),
        max_rows=MAX_ROWS,
        no_header=_no_header,
    )


def _no_header() -> str:
    return gettext("文件中找不到谈心走访台账的表头（须有“%(column)s”列，请使用导入模板）。") % {
        "column": column("people").label
    }


# --- checking -------------------------------------------------------------------------------------


@dataclass
class NewRecord:
    """A row to write: what it says, and the key that makes it written once."""

    row: int
    data: TalkInput
    key_hash: str


class Plan(CreatePlan[NewRecord]):
    """The records an import would write, its row errors and its report."""

    def item_report(self, item: NewRecord) -> dict[str, Any]:
        """Return how the dry run's report shows one record to create."""
        data = item.data
        assert data.held_on is not None  # noqa: S101 — checked
        return {
            "row": item.row,
            "key": f"{data.held_on.isoformat()} {TalkKind(data.kind).label}",
            "people": "、".join(data.person_employee_nos),
            "voices": len(data.voices),
        }

    def report(self) -> dict[str, Any]:
        """Return the report of the dry run, with the voices the records would raise."""
        return {**super().report(), "voices": sum(len(item.data.voices) for item in self.creates)}


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


class _Checker:
    """Check the rows of a file one by one, as ``actor`` importing them."""

    def __init__(self, actor: Actor, data: TalkData, progress: Progress | None) -> None:
        self.actor = actor
        self.data = data
        self.progress = progress
        self.plan = Plan(title=data.title, rows=len(data.rows))
        self.kinds = choice_lookup(TalkKind)
        self.places = choice_lookup(Place)
        self.directions = choice_lookup(Direction)
        self.case_kinds = choice_lookup(CaseKind)
        self.anonymous = {normalise_header("匿名"), normalise_header(gettext("匿名"))}
        units = list(permissions.units_for(actor, ACTION).order_by("path"))
        self.units_by_code = {unit.code.lower(): unit for unit in units}
        self.units_by_name: dict[str, list[OrgUnit]] = {}
        for unit in units:
            self.units_by_name.setdefault(normalise_header(unit.name), []).append(unit)
        self.finder = PeopleFinder(actor)
        self.seen: dict[str, int] = {}

    def run(self) -> Plan:
        for done, (number, values) in enumerate(self.data.rows, start=1):
            self.row(number, values)
            if self.progress is not None and done % PROGRESS_EVERY == 0:
                self.progress(done)
        written = set(
            TalkRecord.objects.filter(
                client_key_hash__in=[item.key_hash for item in self.plan.creates]
            ).values_list("client_key_hash", flat=True)
        )
        self.plan.unchanged = sum(1 for item in self.plan.creates if item.key_hash in written)
        self.plan.creates = [item for item in self.plan.creates if item.key_hash not in written]
        digest = json.dumps([[item.row, item.key_hash] for item in self.plan.creates])
        self.plan.digest = hashlib.sha256(digest.encode()).hexdigest()
        return self.plan

    def error(self, number: int, key: str, message: str) -> None:
        label = column(key).label if key else ""
        self.plan.errors.append(RowError(self.data.title, number, label, message))

    def cell(self, values: Values, key: str) -> str:
        return _text(self.data.get(values, key))

    def row(self, number: int, values: Values) -> None:
        problems: list[tuple[str, str]] = []
        unit = self.unit(self.cell(values, "unit"), problems)
        held_on = self.date(self.data.get(values, "held_on"), problems)
        kind = self.choice(self.cell(values, "kind"), self.kinds, "kind", problems)
        place, place_note = self.place(self.cell(values, "place"))
        direction = self.cell(values, "direction")
        if direction:
            direction = self.choice(direction, self.directions, "direction", problems)
        voices = self.voices(self.cell(values, "voices"), problems)
        data = TalkInput(
            kind=kind,
            unit=unit,
            held_on=held_on,
            person_employee_nos=person_numbers(self.cell(values, "people")),
            host_employee_nos=person_numbers(self.cell(values, "hosts")),
            place=place,
            place_note=place_note,
            direction=direction or Direction.INITIATED,
            summary=self.cell(values, "summary"),
            tags=words.split_words(self.cell(values, "tags")),
            voices=voices,
        )
        if not data.host_employee_nos:
            problems.append(("hosts", gettext("请填写谈话人的工号。")))
        unreadable = {key for key, _message in problems}  # said once, as read from the cell
        try:
            talk_check(actor=self.actor, data=data, finder=self.finder)
        except InvalidInput as error:
            for name, messages in error.fields.items():
                key = FIELD_COLUMNS.get(name, "")
                if key not in unreadable:
                    problems.extend((key, str(message)) for message in messages)
        if problems:
            seen: set[tuple[str, str]] = set()
            for key, message in problems:
                if (key, message) not in seen:
                    seen.add((key, message))
                    self.error(number, key, message)
            return
        key_hash = keys.row_hash(self.canonical(data))
        if key_hash in self.seen:
            message = gettext("与第%(row)d行是同一条记录。") % {"row": self.seen[key_hash]}
            self.error(number, "", message)
            return
        self.seen[key_hash] = number
        self.plan.creates.append(NewRecord(number, data, key_hash))

    @staticmethod
    def canonical(data: TalkInput) -> str:
        unit, held_on = data.unit, data.held_on
        if unit is None or held_on is None:  # a row without them never reaches the plan
            raise ValueError(data)
        document = {
            "held_on": held_on.isoformat(),
            "kind": data.kind,
            "unit": unit.code,
            "hosts": sorted(data.host_employee_nos),
            "people": sorted(data.person_employee_nos),
            "summary": data.summary,
        }
        return json.dumps(document, ensure_ascii=False, sort_keys=True)

    def unit(self, cell: str, problems: list[tuple[str, str]]) -> OrgUnit | None:
        if not cell:
            problems.append(("unit", gettext("请填写单位。")))
            return None
        unit = self.units_by_code.get(cell.lower())
        if unit is not None:
            return unit
        named = self.units_by_name.get(normalise_header(cell), [])
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            problems.append(
                ("unit", gettext("有多个单位名为“%(name)s”，请填写单位代码。") % {"name": cell})
            )
        else:
            problems.append(
                ("unit", gettext("单位“%(name)s”不存在或不在您的导入范围内。") % {"name": cell})
            )
        return None

    def date(self, value: object, problems: list[tuple[str, str]]) -> dt.date | None:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        text = _text(value)
        if not text:
            return None  # the checks say it is missing
        for date_format in DATE_FORMATS:
            try:
                return dt.datetime.strptime(text, date_format).date()
            except ValueError:
                continue
        problems.append(
            ("held_on", gettext("日期“%(text)s”无法识别，请写成 2024-05-08。") % {"text": text})
        )
        return dt.date.min

    def choice(
        self, cell: str, lookup: dict[str, str], key: str, problems: list[tuple[str, str]]
    ) -> str:
        if not cell:
            return ""
        value = lookup.get(normalise_header(cell))
        if value is None:
            problems.append((key, gettext("“%(text)s”不是可选的值。") % {"text": cell}))
            return "?"
        return value

    def place(self, cell: str) -> tuple[str, str]:
        """Return the place and its note: a known place, with a note in brackets; else 其他."""
        if not cell:
            return "", ""
        found = self.places.get(normalise_header(cell))
        if found is not None:
            return found, ""
        if match := NOTE_IN_BRACKETS.match(cell):
            found = self.places.get(normalise_header(match[1]))
            if found is not None:
                return found, match[2].strip()
        return Place.OTHER, cell

    def voices(self, cell: str, problems: list[tuple[str, str]]) -> list[VoiceInput]:
        voices = []
        for line in cell.splitlines():
            text = line.strip()
            if not text:
                continue
            if CASE_NO.match(text):
                message = gettext(
                    "“%(text)s”像是已有诉求的编号；导入时请填写诉求的内容，每行一条。"
                ) % {"text": text[:20]}
                problems.append(("voices", message))
                continue
            anonymous = False
            kind = CaseKind.DEMAND
            while (head := re.match(r"^([^：:]{1,6})[：:]\s*", text)) is not None:
                word = normalise_header(head[1])
                if word in self.anonymous:
                    anonymous = True
                elif word in self.case_kinds:
                    kind = CaseKind(self.case_kinds[word])
                else:
                    break
                text = text[head.end() :]
            voices.append(VoiceInput(text=text, kind=kind, anonymous=anonymous))
        return voices


def check_talks(data: TalkData, *, actor: Actor, progress: Progress | None = None) -> Plan:
    """Return the plan of importing ``data`` as ``actor``; nothing is written."""
    return _Checker(actor, data, progress).run()


# --- writing --------------------------------------------------------------------------------------


def write_talks(plan: Plan, *, actor: Actor) -> None:
    """Write the records of ``plan`` (inside the import's transaction), their voices as cases."""
    finder = PeopleFinder(actor)
    for item in plan.creates:
        services.talk_record_create(
            actor=actor, data=item.data, action=ACTION, finder=finder, key_hash=item.key_hash
        )


# --- the template and the kind --------------------------------------------------------------------


def template_file_name() -> str:
    """Return the name the template downloads under."""
    return gettext("谈心走访台账导入模板") + ".xlsx"


def template_bytes() -> bytes:
    """Return the template: the ledger's columns with notes, an example row, drop-down lists."""
    choices: dict[str, list[str]] = {
        "kind": [str(k.label) for k in TalkKind],
        "direction": [str(d.label) for d in Direction],
    }
    sample: dict[str, object] = {
        "seq": 1,
        "held_on": dt.date(2024, 3, 12),
        "kind": str(TalkKind.TALK.label),
        "unit": gettext("综采一区"),
        "hosts": gettext("张书记（JT0001）"),
        "people": gettext("王强（JT0102）"),
        "place": str(Place.UNDERGROUND.label),
        "direction": str(Direction.INITIATED.label),
        "summary": gettext("谈了班组轮休安排，情绪稳定。"),
        "tags": gettext("工作环境"),
        "voices": gettext("希望井口浴室延长开放时间。"),
    }
    columns = [
        TemplateColumn(
            col.label,
            note=col.note,
            width=col.width,
            column_format="@" if col.cell in {Cell.TEXT, Cell.LONG_TEXT} else "",
            sample_format="yyyy-mm-dd" if col.cell == Cell.DATE else "",
            choices=choices.get(col.key, ()),
        )
        for col in COLUMNS
    ]
    sheet = TemplateSheet(
        gettext(SHEET_TITLE), columns, [[sample[col.key] for col in COLUMNS]], fit_samples=False
    )
    return template.template_workbook([sheet])


def may_import(actor: Actor) -> bool:
    """Return whether ``actor`` may import talk records (somewhere)."""
    return permissions.may_anywhere(actor, ACTION)


def report_lines(report: dict[str, Any]) -> list[str]:
    """Return what the command prints of a report: its figures."""
    return [
        gettext("%(title)s：%(rows)d 行，新增 %(created)d 条记录，已导入过 %(unchanged)d 条")
        % report
    ]


TALK_IMPORT = ImportKind(
    key=KEY,
    title=gettext_lazy("导入谈心走访记录"),
    action=ACTION,
    allowed=may_import,
    read=read_talks,
    check=check_talks,
    write=write_talks,
    template=template_bytes,
    template_name=template_file_name,
    report_lines=report_lines,
    templates="talks/records/import/",
    url_name="talks:records_import",
    form_help=gettext_lazy("Excel (.xlsx) 或 CSV 文件，列与导出的谈心走访台账相同。"),
    forbidden_message=gettext_lazy("您无权导入谈心走访记录。"),
    order=60,
)

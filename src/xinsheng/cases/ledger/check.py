"""Check the rows of a ledger import against the database: what would be created, changed or
refused, and the events each new case's columns imply.

The checker reads what it needs up front (the units in the importer's scope, the categories) and
the cases the file names a chunk at a time, so the number of queries grows with the file's size in
chunks, never with its rows. The result is a ``Plan``: the writes to make, the row errors, a report
for people to read, and a digest of the writes, so that applying can tell whether the database
moved since the dry run.
"""

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from xinsheng.cases import selectors, workflow
from xinsheng.cases.choices import CaseStatus, Channel
from xinsheng.cases.ledger.aliases import CHANNEL_ALIASES
from xinsheng.cases.ledger.columns import column, unit_cell, unit_cell_parts, yes_no
from xinsheng.cases.ledger.read import LedgerData
from xinsheng.cases.models import Case, Category, Rating
from xinsheng.cases.validation import NOTE_MAX, clean_text_normalized
from xinsheng.core.actors import Actor
from xinsheng.core.errors import InvalidInput
from xinsheng.core.ratings import Satisfaction
from xinsheng.core.sheets.plans import choice_lookup
from xinsheng.core.sheets.rows import RowError, errors_report
from xinsheng.core.sheets.table import normalise_header
from xinsheng.core.sheets.xlsx import Values
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit, Person
from xinsheng.org.unit_selectors import path_steps
from xinsheng.org.validation import clean_name

PROGRESS_EVERY = 1000
CHUNK = 2000  # cases looked up per query
REPORT_ITEMS = 200
CASE_NO_MAX = Case._meta.get_field("case_no").max_length or 32
SUPERVISIONS_MAX = 99
URL_UNSAFE = re.compile(r"[\s/\\?#%]")  # a number is part of the case page's address

# How far along the loop each state is (from the table of steps): an import may move a case on,
# never back.
STAGE = workflow.STAGE_ORDER
NEEDS_CATEGORY = frozenset(STAGE) - {CaseStatus.SUBMITTED, CaseStatus.REJECTED}
NEEDS_UNIT = frozenset(
    {
        CaseStatus.DISPATCHED,
        CaseStatus.RETURNED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.ANSWERED,
        CaseStatus.CLOSED,
    }
)
ANSWERED = frozenset({CaseStatus.ANSWERED, CaseStatus.CLOSED})
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
TIME_FORMATS = ("%H:%M:%S", "%H:%M")

Progress = Callable[[int], None]


@dataclass
class LedgerRow:
    """A cleaned row; None in an optional field means an empty cell or no such column."""

    row: int
    case_no: str
    channel: str = ""
    created_at: dt.datetime | None = None
    anonymous: bool = True
    submitter: str = ""
    submitter_cell: str = ""  # as written, to compare with what the importer is shown
    origin: OrgUnit | None = None
    origin_cell: str = ""
    origin_problem: str = ""  # why the cell names no unit; an error unless it is the case's own
    category: Category | None = None
    text: str = ""
    text_original: str = ""  # as written in the file, when normalising changed it
    responsible: OrgUnit | None = None
    responsible_cell: str = ""
    responsible_problem: str = ""
    handler_id: int | None = None
    handler_cell: str = ""
    deadline: dt.date | None = None
    status: str = ""
    answer: str = ""
    answered_at: dt.datetime | None = None
    satisfaction: str = ""
    solved: bool | None = None
    closed_at: dt.datetime | None = None
    supervisions: int = 0

    def writes(self) -> dict[str, Any]:
        """Return the row's values as JSON, for the digest."""
        return {
            "case_no": self.case_no,
            "channel": self.channel,
            "created_at": _iso(self.created_at),
            "anonymous": self.anonymous,
            "submitter": self.submitter,
            "origin": self.origin.pk if self.origin else None,
            "category": self.category.pk if self.category else None,
            "text": self.text,
            "responsible": self.responsible.pk if self.responsible else None,
            "handler": self.handler_id,
            "deadline": _iso(self.deadline),
            "status": self.status,
            "answer": self.answer,
            "answered_at": _iso(self.answered_at),
            "satisfaction": self.satisfaction,
            "solved": self.solved,
            "closed_at": _iso(self.closed_at),
            "supervisions": self.supervisions,
        }


@dataclass
class Update:
    """The changes of an existing case, with its current state for the events it still lacks."""

    case_id: int
    row: LedgerRow
    fields: dict[str, Any]  # Case field → new value
    add_rating: bool


@dataclass
class Plan:
    """The writes an import would make, its row errors and its report."""

    title: str
    rows: int = 0
    creates: list[LedgerRow] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    created_items: list[dict[str, Any]] = field(default_factory=list)
    changed_items: list[dict[str, Any]] = field(default_factory=list)
    channel_aliases: list[dict[str, Any]] = field(default_factory=list)  # names read as channels
    digest: str = ""

    @property
    def change_count(self) -> int:
        """Return the number of rows that would be created or changed."""
        return len(self.creates) + len(self.updates)

    def counts(self) -> dict[str, int]:
        """Return the figures of the plan, as kept in the audit record."""
        return {
            "created": len(self.creates),
            "changed": len(self.updates),
            "unchanged": self.unchanged,
        }

    def report(self) -> dict[str, Any]:
        """Return the report of the dry run, JSON-safe and of bounded size."""
        return {
            "title": self.title,
            "rows": self.rows,
            **self.counts(),
            "created_items": self.created_items,
            "changed_items": self.changed_items,
            "more_created": len(self.creates) - len(self.created_items),
            "more_changed": len(self.updates) - len(self.changed_items),
            "channel_aliases": self.channel_aliases,
            **errors_report(self.errors),
        }


def check_ledger(data: LedgerData, *, actor: Actor, progress: Progress | None = None) -> Plan:
    """Return the plan of importing ``data`` as ``actor``; nothing is written."""
    return _Checker(actor, data, progress).run()


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


class _Checker:
    def __init__(self, actor: Actor, data: LedgerData, progress: Progress | None) -> None:
        self.actor = actor
        self.data = data
        self.progress = progress
        self.plan = Plan(title=data.title, rows=len(data.rows))
        self.checked = 0
        self.tz = timezone.get_current_timezone()
        self.now = timezone.now()
        self.channels = choice_lookup(Channel)
        self.aliased: Counter[tuple[str, str]] = Counter()  # (name written, channel) → rows
        self.statuses = choice_lookup(CaseStatus)
        self.satisfactions = choice_lookup(Satisfaction)
        self.anonymous_words = {"", normalise_header("匿名"), normalise_header(gettext("匿名"))}
        self.yes = {"是", "y", "yes", "true", "1", normalise_header(yes_no(True))}
        self.no = {"否", "n", "no", "false", "0", normalise_header(yes_no(False))}
        units = list(permissions.units_for(actor, "ledger.import").order_by("path"))
        self.names_by_path = {unit.path: unit.name for unit in units}
        self.units_by_code = {unit.code.lower(): unit for unit in units}
        self.units_by_name: dict[str, list[OrgUnit]] = {}
        for unit in units:
            self.units_by_name.setdefault(normalise_header(unit.name), []).append(unit)
        self.categories: dict[str, Category] = {}
        for category in Category.objects.all():
            self.categories.setdefault(normalise_header(category.code), category)
        for category in Category.objects.all():
            self.categories[normalise_header(category.name)] = category
        self.handlers: dict[tuple[int, str], int | str | None] = {}
        self.seen: dict[str, int] = {}
        self.row_errors: list[RowError] = []

    # --- the run --------------------------------------------------------------------------------

    def run(self) -> Plan:
        rows = self.data.rows
        for start in range(0, len(rows), CHUNK):
            cleaned = [self.clean(number, values) for number, values in rows[start : start + CHUNK]]
            valid = [row for row in cleaned if row is not None]
            existing = self.load_cases([row.case_no for row in valid])
            for row in valid:
                case = existing.get(row.case_no)
                if case is None:
                    self.plan_create(row)
                else:
                    self.plan_update(row, case)
            self.tick(len(cleaned))
        self.plan.errors = sorted(self.row_errors, key=lambda e: e.row)
        self.plan.channel_aliases = [
            {"written": written, "channel": str(Channel(value).label), "rows": rows}
            for (written, value), rows in sorted(self.aliased.items())
        ]
        self.plan.digest = self.digest()
        return self.plan

    def tick(self, rows: int) -> None:
        before = self.checked // PROGRESS_EVERY
        self.checked += rows
        if self.progress is not None and self.checked // PROGRESS_EVERY != before:
            self.progress(self.checked)

    def error(self, row: int, key: str, message: str) -> None:
        self.row_errors.append(RowError(self.data.title, row, column(key).label, message))

    def digest(self) -> str:
        writes = {
            "creates": [row.writes() for row in self.plan.creates],
            "updates": [
                {"case": u.case_id, "fields": sorted(u.fields), "row": u.row.writes()}
                for u in self.plan.updates
            ],
        }
        text = json.dumps(writes, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    # --- cleaning one row -----------------------------------------------------------------------

    def cell(self, values: Values, key: str) -> object:
        return self.data.get(values, key)

    def text_of(self, values: Values, key: str) -> str:
        value = self.cell(values, key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def clean(self, number: int, values: Values) -> LedgerRow | None:
        """Return the row cleaned, or None after recording its errors."""
        errors_before = len(self.row_errors)
        case_no = self.text_of(values, "case_no")
        if not case_no:
            self.error(number, "case_no", gettext("编号不能为空。"))
        elif len(case_no) > CASE_NO_MAX:
            self.error(
                number, "case_no", gettext("编号不能超过%(limit)d个字符。") % {"limit": CASE_NO_MAX}
            )
        elif URL_UNSAFE.search(case_no):
            self.error(
                number,
                "case_no",
                gettext("编号不能包含空格、斜杠、问号、井号或百分号，请改用“-”。"),
            )
        elif case_no in self.seen:
            self.error(
                number,
                "case_no",
                gettext("编号“%(no)s”与第%(row)d行重复。")
                % {"no": case_no, "row": self.seen[case_no]},
            )
        else:
            self.seen[case_no] = number
        row = LedgerRow(row=number, case_no=case_no)
        row.channel = self.channel(number, values)
        row.status = self.choice(number, values, "status", self.statuses, required=True)
        if row.status == CaseStatus.MERGED:
            self.error(number, "status", gettext("不能导入“已合并”的诉求，请填写它合并后的状态。"))
        row.created_at = self.moment(number, values, "created_at", required=True)
        self.clean_submitter(row, values)
        row.origin_cell = self.text_of(values, "origin")
        if not row.origin_cell:
            self.error(number, "origin", gettext("不能为空。"))
        row.origin, row.origin_problem = self.unit(row.origin_cell)
        row.category = self.category(number, values)
        try:
            row.text, row.text_original = clean_text_normalized(self.text_of(values, "text"))
        except InvalidInput as exc:
            self.error(number, "text", str(exc.message))
        row.responsible_cell = self.text_of(values, "responsible")
        row.responsible, row.responsible_problem = self.unit(row.responsible_cell)
        row.handler_cell = self.text_of(values, "handler")
        row.deadline = self.day(number, values, "deadline")
        row.answer = self.text_of(values, "answer")
        if len(row.answer) > NOTE_MAX:
            self.error(number, "answer", gettext("内容不能超过%(limit)d字。") % {"limit": NOTE_MAX})
        row.answered_at = self.moment(number, values, "answered_at")
        row.closed_at = self.moment(number, values, "closed_at")
        row.satisfaction = self.choice(number, values, "satisfaction", self.satisfactions)
        row.solved = self.flag(number, values)
        row.supervisions = self.count(number, values)
        if len(self.row_errors) == errors_before:
            self.check_together(row)
        return row if len(self.row_errors) == errors_before else None

    def choice(
        self, number: int, values: Values, key: str, lookup: dict[str, str], required: bool = False
    ) -> str:
        text = normalise_header(self.text_of(values, key))
        if not text:
            if required:
                self.error(number, key, gettext("不能为空。"))
            return ""
        value = lookup.get(text)
        if value is None:
            options = "、".join(sorted({k for k, v in lookup.items() if k != v}))
            self.error(
                number,
                key,
                gettext("“%(value)s”不是有效的选项（可选：%(options)s）。")
                % {"value": self.text_of(values, key), "options": options},
            )
            return ""
        return value

    def channel(self, number: int, values: Values) -> str:
        """Return the channel a cell names, by its label or a name offices use for it."""
        written = self.text_of(values, "channel")
        text = normalise_header(written)
        alias = CHANNEL_ALIASES.get(text)
        if alias is not None and text not in self.channels:
            self.aliased[(written, alias)] += 1
            return alias
        return self.choice(number, values, "channel", self.channels, required=True)

    def moment(
        self, number: int, values: Values, key: str, required: bool = False
    ) -> dt.datetime | None:
        value = self.cell(values, key)
        if value is None:
            if required:
                self.error(number, key, gettext("不能为空。"))
            return None
        parsed = _parse_moment(value)
        if parsed is None:
            self.error(
                number,
                key,
                gettext("“%(value)s”不是有效的日期时间，请写成 2023-05-08 09:30。")
                % {"value": value},
            )
            return None
        moment = timezone.make_aware(parsed, self.tz)
        if moment > self.now:
            self.error(number, key, gettext("时间不能晚于现在。"))
            return None
        return moment

    def day(self, number: int, values: Values, key: str) -> dt.date | None:
        value = self.cell(values, key)
        if value is None:
            return None
        parsed = _parse_moment(value)
        if parsed is None:
            self.error(
                number,
                key,
                gettext("“%(value)s”不是有效的日期，请写成 2023-05-08。") % {"value": value},
            )
            return None
        return parsed.date()

    def clean_submitter(self, row: LedgerRow, values: Values) -> None:
        cell = self.text_of(values, "submitter")
        row.submitter_cell = cell
        if normalise_header(cell) in self.anonymous_words:
            row.anonymous, row.submitter = True, ""
            return
        try:
            row.anonymous, row.submitter = False, clean_name(cell)
        except InvalidInput as exc:
            self.error(row.row, "submitter", str(exc.message))

    def unit(self, cell: str) -> tuple[OrgUnit | None, str]:
        """Return the unit a cell names, or why it names none.

        A cell names a unit by its code, by ``名称（代码）`` as the export writes it, by its name
        when no other unit in scope bears it, or by its path (一矿 › 综采一队, 一矿/综采一队).
        """
        if not cell:
            return None, ""
        unit = self.units_by_code.get(cell.lower())
        if unit is not None:
            return unit, ""
        if (parts := unit_cell_parts(cell)) and (unit := self.units_by_code.get(parts[1].lower())):
            return unit, ""
        named = self.units_by_name.get(normalise_header(cell), [])
        steps = path_steps(cell) if not named else []
        if len(steps) > 1:
            named = self.on_path(steps)
        if len(named) == 1:
            return named[0], ""
        if len(named) > 1:
            examples = "、".join(unit_cell(unit.name, unit.code) for unit in named[:3])
            return None, gettext(
                "有不止一个单位名为“%(name)s”，请写成“名称（代码）”，如%(examples)s。"
            ) % {"name": cell, "examples": examples}
        return None, gettext("找不到单位“%(name)s”，或该单位不在您的管理范围内。") % {"name": cell}

    def on_path(self, steps: list[str]) -> list[OrgUnit]:
        """Return the units in scope named by the last of ``steps`` whose ancestors bear the
        others' names, in order (not necessarily every ancestor: 一矿 › 综采一队 skips the
        company)."""
        *above, last = [normalise_header(step) for step in steps]
        found = []
        for unit in self.units_by_name.get(last, []):
            names = iter(self.ancestor_names(unit))
            if all(any(step == name for name in names) for step in above):
                found.append(unit)
        return found

    def ancestor_names(self, unit: OrgUnit) -> list[str]:
        """Return the normalised names of ``unit``'s ancestors, from the top down."""
        paths = [unit.path[:end] for end in range(unit.steplen, len(unit.path), unit.steplen)]
        if missing := [path for path in paths if path not in self.names_by_path]:
            self.names_by_path.update(
                OrgUnit.objects.filter(path__in=missing).values_list("path", "name")
            )
        return [normalise_header(self.names_by_path.get(path, "")) for path in paths]

    def category(self, number: int, values: Values) -> Category | None:
        cell = self.text_of(values, "category")
        if not cell:
            return None
        category = self.categories.get(normalise_header(cell))
        if category is None:
            self.error(number, "category", gettext("找不到类别“%(name)s”。") % {"name": cell})
        return category

    def flag(self, number: int, values: Values) -> bool | None:
        value = self.cell(values, "solved")
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        text = normalise_header(self.text_of(values, "solved"))
        if text in self.yes:
            return True
        if text in self.no:
            return False
        self.error(number, "solved", gettext("请填写“是”或“否”。"))
        return None

    def count(self, number: int, values: Values) -> int:
        text = self.text_of(values, "supervisions")
        if not text:
            return 0
        if not text.isdigit() or int(text) > SUPERVISIONS_MAX:
            self.error(number, "supervisions", gettext("督办次数须为0至99之间的整数。"))
            return 0
        return int(text)

    def resolve_handler(self, row: LedgerRow, unit: OrgUnit | None) -> bool:
        """Set the row's handler from its cell (a person with an account in ``unit``'s subtree);
        record the error and return False when there is no such single person."""
        if not row.handler_cell:
            return True
        if unit is None:
            self.error(row.row, "handler", gettext("填写承办人时须同时填写责任单位。"))
            return False
        key = (unit.pk, row.handler_cell)
        if key not in self.handlers:
            people = list(
                Person.objects.filter(
                    Q(name=row.handler_cell) | Q(employee_no=row.handler_cell),
                    unit__path__startswith=unit.path,
                    user__isnull=False,
                ).values_list("user_id", flat=True)[:2]
            )
            self.handlers[key] = people[0] if len(people) == 1 else ("many" if people else None)
        found = self.handlers[key]
        if found is None:
            self.error(
                row.row,
                "handler",
                gettext("责任单位中找不到有登录账号的承办人“%(name)s”，可留空。")
                % {"name": row.handler_cell},
            )
            return False
        if found == "many":
            self.error(
                row.row,
                "handler",
                gettext("责任单位中有不止一人名为“%(name)s”，请改填工号。")
                % {"name": row.handler_cell},
            )
            return False
        row.handler_id = int(found)
        return True

    def check_together(self, row: LedgerRow) -> None:
        """Check what one column needs of another: a closed case needs its answer, and so on."""
        status, label = row.status, CaseStatus(row.status).label
        need = gettext("状态为“%(status)s”时必须填写。") % {"status": label}
        if status in NEEDS_CATEGORY and row.category is None:
            self.error(row.row, "category", need)
        if status in NEEDS_UNIT and not row.responsible_cell:
            self.error(row.row, "responsible", need)
        if status in ANSWERED:
            if not row.answer:
                self.error(row.row, "answer", need)
            if row.answered_at is None:
                self.error(row.row, "answered_at", need)
        elif row.answered_at is not None:
            self.error(
                row.row,
                "answered_at",
                gettext("状态为“%(status)s”时不能填写答复时间。") % {"status": label},
            )
        if status == CaseStatus.CLOSED and row.closed_at is None:
            self.error(row.row, "closed_at", need)
        if row.closed_at is not None and status not in {CaseStatus.CLOSED, CaseStatus.REJECTED}:
            self.error(
                row.row,
                "closed_at",
                gettext("状态为“%(status)s”时不能填写办结时间。") % {"status": label},
            )
        if (row.satisfaction or row.solved is not None) and status != CaseStatus.CLOSED:
            self.error(row.row, "satisfaction", gettext("只有已办结的诉求可以填写群众评价。"))
        elif row.satisfaction and row.solved is None:
            self.error(row.row, "solved", gettext("填写群众评价时须同时填写是否解决。"))
        elif row.solved is not None and not row.satisfaction:
            self.error(row.row, "satisfaction", gettext("填写是否解决时须同时填写群众评价。"))
        self.check_order(row)

    def check_order(self, row: LedgerRow) -> None:
        created = row.created_at
        if created is None:
            return
        if row.answered_at is not None and row.answered_at < created:
            self.error(row.row, "answered_at", gettext("答复时间不能早于提出时间。"))
        if row.closed_at is not None and row.closed_at < (row.answered_at or created):
            self.error(row.row, "closed_at", gettext("办结时间不能早于提出时间和答复时间。"))
        if row.deadline is not None and row.deadline < created.astimezone(self.tz).date():
            self.error(row.row, "deadline", gettext("办理时限不能早于提出时间。"))

    # --- against the database -------------------------------------------------------------------

    def load_cases(self, numbers: list[str]) -> dict[str, Case]:
        cases = Case.objects.filter(case_no__in=numbers).select_related(
            "origin_unit", "responsible_unit", "category", "handler__person"
        )
        return {case.case_no: case for case in cases}

    def plan_create(self, row: LedgerRow) -> None:
        problems = [("origin", row.origin_problem), ("responsible", row.responsible_problem)]
        for key, problem in problems:
            if problem:
                self.error(row.row, key, problem)
        if any(problem for _key, problem in problems):
            return
        if not self.resolve_handler(row, row.responsible):
            return
        self.plan.creates.append(row)
        if len(self.plan.created_items) < REPORT_ITEMS:
            self.plan.created_items.append(
                {
                    "row": row.row,
                    "key": row.case_no,
                    "status": str(CaseStatus(row.status).label),
                    "text": row.text[:40],
                }
            )

    def plan_update(self, row: LedgerRow, case: Case) -> None:
        if not _may_import(self.actor, case):
            self.error(row.row, "case_no", gettext("编号“%(no)s”已被使用。") % {"no": row.case_no})
            return
        changes: list[dict[str, str]] = []
        fields: dict[str, Any] = {}

        def change(key: str, before: object, after: object, **values: Any) -> None:
            changes.append(
                {"column": column(key).label, "before": _shown(before), "after": _shown(after)}
            )
            fields.update(values)

        self.compare_loop(row, case, change)
        self.compare_people(row, case, change)
        add_rating = self.compare_rating(row, case, change)
        errors_before = len(self.row_errors)
        if STAGE.get(row.status, 0) < STAGE.get(case.status, 0) or (
            row.status != case.status and STAGE.get(row.status) == STAGE.get(case.status)
        ):
            self.error(
                row.row,
                "status",
                gettext("状态不能从“%(before)s”改为“%(after)s”。")
                % {"before": case.get_status_display(), "after": CaseStatus(row.status).label},
            )
        if len(self.row_errors) != errors_before:
            return
        if not fields and not add_rating:
            self.plan.unchanged += 1
            return
        self.plan.updates.append(Update(case.pk, row, fields, add_rating))
        if len(self.plan.changed_items) < REPORT_ITEMS:
            self.plan.changed_items.append({"row": row.row, "key": row.case_no, "changes": changes})

    def compare_loop(self, row: LedgerRow, case: Case, change: Callable[..., None]) -> None:
        has = self.data.has
        if row.channel != case.channel:
            change(
                "channel",
                case.get_channel_display(),
                Channel(row.channel).label,
                channel=row.channel,
            )
        if row.created_at is not None and not _same_moment(row.created_at, case.created_at):
            change("created_at", case.created_at, row.created_at, created_at=row.created_at)
        if row.text != case.text:
            change(
                "text",
                case.text[:40],
                row.text[:40],
                text=row.text,
                text_original=row.text_original,
            )
        if has("category") and row.category != case.category:
            change("category", case.category, row.category, category=row.category)
        current = case.responsible_unit
        if not has("responsible") or _names(current, row.responsible_cell):
            row.responsible = current
        elif row.responsible_problem:
            self.error(row.row, "responsible", row.responsible_problem)
        elif row.responsible != current:
            change("responsible", current, row.responsible, responsible_unit=row.responsible)
        named = has("handler") and row.handler_cell and row.handler_cell != _handler_name(case)
        if (
            named
            and self.resolve_handler(row, row.responsible)
            and row.handler_id != case.handler_id
        ):
            change("handler", _handler_name(case), row.handler_cell, handler_id=row.handler_id)
        if has("deadline") and row.deadline is not None and row.deadline != case.deadline:
            change("deadline", case.deadline, row.deadline, deadline=row.deadline)
        if row.status != case.status:
            change(
                "status", case.get_status_display(), CaseStatus(row.status).label, status=row.status
            )
        if has("answer") and row.answer != case.answer and (row.answer or case.answer):
            if case.status == CaseStatus.REJECTED or row.status == CaseStatus.REJECTED:
                if row.answer != case.reject_reason:
                    change("answer", case.reject_reason, row.answer, reject_reason=row.answer)
            else:
                change("answer", case.answer[:40], row.answer[:40], answer=row.answer)
        for key in ("answered_at", "closed_at"):
            new, old = getattr(row, key), getattr(case, key)
            if has(key) and new is not None and not _same_moment(new, old):
                change(key, old, new, **{key: new})
        if has("supervisions") and row.supervisions != case.supervision_count:
            change(
                "supervisions",
                case.supervision_count,
                row.supervisions,
                supervision_count=row.supervisions,
            )

    def compare_people(self, row: LedgerRow, case: Case, change: Callable[..., None]) -> None:
        """Compare submitter and origin with what the importer is shown, so that an exported
        ledger (with masked names and small units' origins shown as an ancestor) reads back
        unchanged."""
        shown = selectors.case_submitter_shown(actor=self.actor, case=case)["name"]
        if row.submitter_cell != shown and not (row.anonymous and case.is_anonymous):
            if case.is_anonymous:
                self.error(row.row, "submitter", gettext("匿名提出的诉求不能改为实名。"))
            elif row.anonymous:
                change("submitter", shown, gettext("匿名"), is_anonymous=True)
            elif row.submitter != case.submitter_name:
                change("submitter", shown, row.submitter, submitter_name=row.submitter)
        origin = selectors.case_origin_shown(actor=self.actor, case=case)
        if _names(origin, row.origin_cell) or _names(case.origin_unit, row.origin_cell):
            return
        if row.origin_problem:
            self.error(row.row, "origin", row.origin_problem)
        elif row.origin != case.origin_unit:
            change("origin", origin.name, row.origin_cell, origin_unit=row.origin)

    def compare_rating(self, row: LedgerRow, case: Case, change: Callable[..., None]) -> bool:
        """Return whether the row adds a rating; an existing one is the employee's and stays."""
        if not row.satisfaction:
            return False
        decided = (
            Rating.objects.filter(case=case)
            .order_by("-answer_round", "at", "id")
            .values_list("satisfaction", "solved")
            .first()
        )
        if decided is None:
            change("satisfaction", "", Satisfaction(row.satisfaction).label)
            return True
        if decided != (row.satisfaction, row.solved):
            self.error(row.row, "satisfaction", gettext("群众已评价的诉求，评价不能通过导入修改。"))
        return False


def _may_import(actor: Actor, case: Case) -> bool:
    """Return whether ``actor`` may import over ``case`` (it came from or went to their scope)."""
    units = [case.origin_unit, case.responsible_unit]
    return any(unit is not None and permissions.may(actor, "ledger.import", unit) for unit in units)


def _names(unit: OrgUnit | None, cell: str) -> bool:
    """Return whether ``cell`` names ``unit`` (by name, code or ``名称（代码）``); an empty cell
    names no unit."""
    if unit is None:
        return not cell
    parts = unit_cell_parts(cell)
    if parts is not None and parts[1].lower() == unit.code.lower():
        return True
    return normalise_header(cell) in {normalise_header(unit.name), unit.code.lower()}


def _parse_moment(value: object) -> dt.datetime | None:
    """Return a cell as a naive datetime: Excel dates and times, or text as people write it."""
    if isinstance(value, dt.datetime):  # rounded: Excel keeps times as fractions of a day
        return (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time.min)
    text = re.sub(r"\s+", " ", str(value).strip()).replace("T", " ")
    day, _sep, clock = text.partition(" ")
    for date_format in DATE_FORMATS:
        try:
            date = dt.datetime.strptime(day, date_format).date()
        except ValueError:
            continue
        if not clock:
            return dt.datetime.combine(date, dt.time.min)
        for time_format in TIME_FORMATS:
            try:
                return dt.datetime.combine(date, dt.datetime.strptime(clock, time_format).time())
            except ValueError:
                continue
        return None
    return None


def _same_moment(new: dt.datetime, old: dt.datetime | None) -> bool:
    """Return whether a time read from a cell is the stored one, to the cell's precision."""
    if old is None:
        return False
    old = old.replace(microsecond=0)
    if new.second == 0:
        return new == old.replace(second=0)
    return new == old


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, OrgUnit | Category):
        return value.name
    return str(value)


def _handler_name(case: Case) -> str:
    if case.handler is None:
        return ""
    person = getattr(case.handler, "person", None)
    return str(person.name) if person is not None else str(case.handler.get_username())

"""Import a historical payment roster (历史发放台账) from Excel into a programme.

The roster has the layout of the programme ledger a union office keeps and that
``export.ledger_write`` writes: 序号, 姓名, 单位, 类别, 金额, 发放日期, 经办人, 备注, with a
合计 row under the last entry; a column 工号 may be added. The file is read through the
spreadsheet kit (``xinsheng.core.sheets``); every row is checked first (the dry run) and the
payments are written only when no row has an error, all in one transaction, through the money
services (``payment_make`` and ``payment_reverse``: append-only, each with its audit event).

A person is found by 工号 when the row gives one, else by name and unit (the unit's name); a
name that fits no one, or more than one person, is refused by row. A 合计 row that disagrees
with the sum of the rows refuses the roster. A negative row (a reversal, 冲销, as the ledger
writes it) cancels an earlier row of the roster to the same person of the same amount. Fund
money needs an approval: for a historical roster it is the paper the roster was signed on, and
each payment keeps the file name and row it came from (``Payment.imported_from``).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from xinsheng.care.choices import MoneySource
from xinsheng.care.models import ZERO, Fund, Payment, Programme
from xinsheng.care.money import selectors as money
from xinsheng.care.money.amounts import amount_clean
from xinsheng.care.money.services import Approval, payment_make, payment_reverse
from xinsheng.care.scope import may_at_path, require_at_path
from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import InvalidInput
from xinsheng.core.sheets import table as kit
from xinsheng.core.sheets.reader import first_table
from xinsheng.core.sheets.rows import RowError, errors_report
from xinsheng.core.sheets.table import normalise_header
from xinsheng.core.sheets.xlsx import Values
from xinsheng.org.models import Person

PAY = "care.pay"
MAX_ROWS = 20_000
REPORT_ITEMS = 200
SHEET_TITLE = gettext_noop("发放台账")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
EXCEL_EPOCH = dt.date(1899, 12, 30)
TOTAL_WORDS = (gettext_noop("合计"), gettext_noop("总计"))
REVERSAL_WORD = gettext_noop("冲销")


@dataclass(frozen=True)
class Column:
    """One column of the roster."""

    key: str
    header: str  # the Chinese header, also the msgid of its translation

    @property
    def label(self) -> str:
        return gettext(self.header)


COLUMNS: tuple[Column, ...] = (
    Column("seq", gettext_noop("序号")),
    Column("employee_no", gettext_noop("工号")),
    Column("name", gettext_noop("姓名")),
    Column("unit", gettext_noop("单位")),
    Column("category", gettext_noop("类别")),
    Column("amount", gettext_noop("金额")),
    Column("paid_on", gettext_noop("发放日期")),
    Column("handler", gettext_noop("经办人")),
    Column("note", gettext_noop("备注")),
)
REQUIRED = ("name", "amount", "paid_on")
INDEX = {column.key: column for column in COLUMNS}


class RosterData(kit.TableData):
    """The roster table of a file: which column holds which field, and its rows."""


def read_roster(content: bytes, file_name: str) -> RosterData:
    """Return the roster table of an uploaded .xlsx or .csv file, or raise ``InvalidInput``."""
    return first_table(
        content,
        file_name,
        read=_read_table,
        csv_title=gettext(SHEET_TITLE),
        max_rows=MAX_ROWS,
        no_header=lambda: gettext("文件中找不到发放台账的表头（须有“姓名”“金额”“发放日期”列）。"),
    )


def _read_table(title: str, rows: Any) -> RosterData | None:
    iterator = iter(rows)
    header = kit.find_header(iterator, kit.header_names(INDEX["amount"]))
    if header is None:
        return None
    positions = kit.column_positions(
        header, COLUMNS, required=lambda col: col.key in REQUIRED, sheet=title
    )
    data = RosterData(title=title, positions=positions)
    kit.collect_rows(data, iterator, kit.RowCounter(MAX_ROWS))
    return data


@dataclass
class Entry:
    """A row to write: a payment, or the reversal of an earlier row's payment."""

    row: int
    person: Person
    amount: Decimal  # negative for a reversal
    source: str
    paid_on: dt.date
    note: str
    reverses: int | None = None  # the row of the payment a reversal cancels


@dataclass
class Plan:
    """What importing a roster would write, its row errors and its figures."""

    title: str
    file_name: str
    rows: int = 0
    entries: list[Entry] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    stated_total: Decimal | None = None

    @property
    def total(self) -> Decimal:
        return sum((entry.amount for entry in self.entries), ZERO)

    @property
    def fund_total(self) -> Decimal:
        return sum(
            (entry.amount for entry in self.entries if entry.source == MoneySource.FUND), ZERO
        )

    @property
    def people(self) -> int:
        return len({entry.person.pk for entry in self.entries})

    def counts(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "payments": sum(1 for entry in self.entries if entry.reverses is None),
            "reversals": sum(1 for entry in self.entries if entry.reverses is not None),
            "people": self.people,
            "total": f"{self.total:.2f}",
        }

    def report(self) -> dict[str, Any]:
        """Return what the page shows of the dry run: figures, the first entries and errors."""
        return {
            "title": self.title,
            **self.counts(),
            "entries": [
                {
                    "row": entry.row,
                    "employee_no": entry.person.employee_no,
                    "name": entry.person.name,
                    "unit": entry.person.unit.name,
                    "amount": f"{entry.amount:.2f}",
                    "paid_on": entry.paid_on.isoformat(),
                }
                for entry in self.entries[:REPORT_ITEMS]
            ],
            "more_entries": max(0, len(self.entries) - REPORT_ITEMS),
            **errors_report(self.errors),
        }


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def _words(*words: str) -> set[str]:
    found = {normalise_header(word) for word in words}
    with translation.override("zh-hans"):
        found |= {normalise_header(gettext(word)) for word in words}
    found |= {normalise_header(gettext(word)) for word in words}
    return found


class _Checker:
    def __init__(self, actor: Actor, programme: Programme, fund: Fund | None, data: RosterData):
        self.actor = actor
        self.programme = programme
        self.fund = fund
        self.data = data
        self.plan = Plan(title=data.title, file_name="")
        self.totals = _words(*TOTAL_WORDS)
        self.personal = _words(gettext_noop("个人"), MoneySource.PERSONAL.value)
        self.reversal = _words(REVERSAL_WORD)
        self.by_number: dict[str, Person] = {}
        self.by_name: dict[str, list[Person]] = defaultdict(list)
        self._load_people()
        self.open: dict[tuple[int, str, Decimal], list[Entry]] = defaultdict(list)
        self.today = timezone.localdate()

    def _load_people(self) -> None:
        numbers, names = set(), set()
        for _number, values in self.data.rows:
            if number := self.cell(values, "employee_no"):
                numbers.add(number)
            elif name := self.cell(values, "name"):
                names.add(name)
        people = Person.objects.filter(employee_no__in=numbers).select_related("unit")
        self.by_number = {
            person.employee_no: person
            for person in people
            if may_at_path(self.actor, PAY, person.unit.path)
        }
        for person in Person.objects.filter(name__in=names).select_related("unit"):
            if may_at_path(self.actor, PAY, person.unit.path):
                self.by_name[person.name].append(person)

    def cell(self, values: Values, key: str) -> str:
        return _text(self.data.get(values, key))

    def error(self, number: int, key: str, message: str) -> None:
        label = INDEX[key].label if key else ""
        self.plan.errors.append(RowError(self.data.title, number, label, message))

    def run(self) -> Plan:
        total_row: tuple[int, Values] | None = None
        for number, values in self.data.rows:
            if self.is_total(values):
                total_row = (number, values)
                continue
            self.plan.rows += 1
            self.row(number, values)
        if total_row is not None:
            self.check_total(*total_row)
        self.check_money()
        return self.plan

    def is_total(self, values: Values) -> bool:
        if self.cell(values, "name") or self.cell(values, "employee_no"):
            return False
        return any(normalise_header(_text(value)) in self.totals for value in values)

    def check_total(self, number: int, values: Values) -> None:
        try:
            stated = _amount(self.data.get(values, "amount"), signed=False)
        except InvalidInput:
            self.error(number, "amount", gettext("合计行的金额应为数字。"))
            return
        self.plan.stated_total = stated
        if not self.plan.errors and stated != self.plan.total:
            self.error(
                number,
                "amount",
                gettext("合计%(stated)s元与各行金额之和%(sum)s元不符，请核对。")
                % {"stated": f"{stated:.2f}", "sum": f"{self.plan.total:.2f}"},
            )

    def row(self, number: int, values: Values) -> None:
        problems: list[tuple[str, str]] = []
        person = self.person(values, problems)
        amount: Decimal | None = None
        try:
            amount = _amount(self.data.get(values, "amount"))
        except InvalidInput as error:
            problems.append(("amount", _first(error)))
        paid_on = self.date(self.data.get(values, "paid_on"), problems)
        category = normalise_header(self.cell(values, "category"))
        for word in self.reversal:
            category = category.replace(f"({word})", "").replace(word, "")
        source = MoneySource.PERSONAL if category in self.personal else MoneySource.FUND
        note = self.cell(values, "note")[:300]
        if problems or person is None or amount is None or paid_on is None:
            for key, message in dict.fromkeys(problems):
                self.error(number, key, message)
            return
        entry = Entry(number, person, amount, source, paid_on, note)
        opening = (person.pk, str(source), abs(amount))
        if amount > 0:
            self.open[opening].append(entry)
        else:
            if not self.open[opening]:
                self.error(
                    number,
                    "amount",
                    gettext("冲销行在本表此前找不到同一人、同一来源、同样金额的发放。"),
                )
                return
            original = self.open[opening].pop(0)
            if paid_on < original.paid_on:
                self.error(
                    number,
                    "paid_on",
                    gettext("冲销日期早于第%(row)d行的发放日期。") % {"row": original.row},
                )
                return
            entry.reverses = original.row
            entry.note = note or gettext("历史台账中的冲销")
        self.plan.entries.append(entry)

    def person(self, values: Values, problems: list[tuple[str, str]]) -> Person | None:
        number = self.cell(values, "employee_no")
        name = self.cell(values, "name")
        unit = self.cell(values, "unit")
        if number:
            person = self.by_number.get(number)
            if person is None:
                problems.append(
                    (
                        "employee_no",
                        gettext("工号“%(no)s”不存在或不在您的发放范围内。") % {"no": number},
                    )
                )
                return None
            if name and name != person.name:
                problems.append(
                    ("name", gettext("姓名与工号不符：该工号是%(name)s。") % {"name": person.name})
                )
                return None
            return person
        if not name:
            problems.append(("name", gettext("请填写姓名。")))
            return None
        found = self.by_name.get(name, [])
        if unit:
            found = [person for person in found if person.unit.name == unit]
        if not found:
            if unit:
                message = gettext("找不到“%(unit)s”的职工“%(name)s”（或不在您的发放范围内）。")
            else:
                message = gettext("找不到职工“%(name)s”（或不在您的发放范围内）。")
            problems.append(("name", message % {"name": name, "unit": unit}))
            return None
        if len(found) > 1:
            problems.append(
                (
                    "name",
                    gettext("有%(count)d名职工叫“%(name)s”%(where)s，无法区分，请加一列“工号”。")
                    % {
                        "count": len(found),
                        "name": name,
                        "where": gettext("且同在“%(unit)s”") % {"unit": unit} if unit else "",
                    },
                )
            )
            return None
        return found[0]

    def date(self, value: object, problems: list[tuple[str, str]]) -> dt.date | None:
        day: dt.date | None = None
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        elif isinstance(value, int | float) and 1 < value < 200_000:
            day = EXCEL_EPOCH + dt.timedelta(days=int(value))
        else:
            text = _text(value)
            if not text:
                problems.append(("paid_on", gettext("请填写发放日期。")))
                return None
            for date_format in DATE_FORMATS:
                try:
                    day = dt.datetime.strptime(text, date_format).date()
                    break
                except ValueError:
                    continue
            if day is None:
                problems.append(
                    (
                        "paid_on",
                        gettext("日期“%(text)s”无法识别，请写成 2026-05-08。") % {"text": text},
                    )
                )
                return None
        if day > self.today:
            problems.append(("paid_on", gettext("发放日期不能晚于今天。")))
            return None
        return day

    def check_money(self) -> None:
        """Refuse a roster whose fund money the fund or the programme's budget cannot cover."""
        if self.plan.errors:
            return
        fund_rows = [entry for entry in self.plan.entries if entry.source == MoneySource.FUND]
        if not fund_rows:
            return
        fund = self.fund or self.programme.fund
        if fund is None:
            self.error(
                fund_rows[0].row,
                "category",
                gettext("项目“%(title)s”没有指定基金：请选择发放所用的基金，或在类别中写明“个人”。")
                % {"title": self.programme.title},
            )
            return
        balance = money.fund_balance(fund)
        room = None
        if self.programme.budget is not None:
            room = self.programme.budget - money.programme_spent(self.programme)
        running = ZERO
        for entry in fund_rows:
            running += entry.amount
            if running > balance:
                self.error(
                    entry.row,
                    "amount",
                    gettext("基金“%(fund)s”余额%(balance)s元，到本行累计%(sum)s元，余额不足。")
                    % {"fund": fund.name, "balance": f"{balance:.2f}", "sum": f"{running:.2f}"},
                )
                return
            if room is not None and running > room:
                self.error(
                    entry.row,
                    "amount",
                    gettext("项目预算尚余%(room)s元，到本行累计%(sum)s元，将超出预算。")
                    % {"room": f"{room:.2f}", "sum": f"{running:.2f}"},
                )
                return


def _first(error: InvalidInput) -> str:
    for messages in error.fields.values():
        for message in messages:
            return str(message)
    return str(error.message)


def _amount(value: object, *, signed: bool = True) -> Decimal:
    text = _text(value)
    if not text:
        raise InvalidInput(fields={"amount": [gettext("请填写金额。")]})
    if isinstance(value, float):
        text = f"{value:.2f}" if round(value, 2) == value else repr(value)
    if signed and text.startswith("-"):
        return -amount_clean(text[1:])
    return amount_clean(text)


def roster_check(
    *, actor: Actor, programme: Programme, content: bytes, file_name: str, fund: Fund | None = None
) -> Plan:
    """Return the plan of importing the roster file into ``programme``; nothing is written."""
    require_at_path(actor, PAY, programme.unit_path)
    data = read_roster(content, file_name)
    if not data.rows:
        raise InvalidInput(gettext("文件中没有数据行。"))
    plan = _Checker(actor, programme, fund, data).run()
    plan.file_name = file_name[-200:]
    return plan


@transaction.atomic
def roster_import(
    *, actor: Actor, programme: Programme, content: bytes, file_name: str, fund: Fund | None = None
) -> Plan:
    """Import the roster file into ``programme``: every row or, when any row has an error,
    none (the returned plan then lists the errors and nothing is written)."""
    plan = roster_check(
        actor=actor, programme=programme, content=content, file_name=file_name, fund=fund
    )
    if plan.errors or not plan.entries:
        return plan
    fund = fund or programme.fund
    written: dict[int, Payment] = {}
    for entry in plan.entries:
        if entry.reverses is not None:
            payment_reverse(
                actor=actor,
                payment=written[entry.reverses],
                reason=entry.note,
                reversed_on=entry.paid_on,
            )
            continue
        written[entry.row] = payment_make(
            actor=actor,
            programme=programme,
            person=entry.person,
            amount=entry.amount,
            source=entry.source,
            fund=fund if entry.source == MoneySource.FUND else None,
            paid_on=entry.paid_on,
            approval=Approval(
                roster=gettext("%(file)s 第%(row)d行") % {"file": plan.file_name, "row": entry.row}
            ),
            note=entry.note,
        )
    audit_record(
        actor=actor,
        action="care.roster.import",
        obj=programme,
        after={"file": plan.file_name, "fund": fund.pk if fund else None, **plan.counts()},
    )
    return plan

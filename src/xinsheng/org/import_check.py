"""Check the rows of an import against the database: what would be created, changed, or refused.

The checker reads what it needs up front (every unit; the people the file names, a chunk at a
time), so the number of queries grows with the file's size in chunks, never with its rows. The
result is a ``Plan``: the writes to make, the row errors, a report for people to read, and a
digest of the writes, so that applying can tell whether the database moved since the dry run.
"""

import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from xinsheng.core.actors import Actor
from xinsheng.core.errors import InvalidInput
from xinsheng.core.sheets.rows import RowError as SheetRowError
from xinsheng.core.sheets.rows import errors_report
from xinsheng.core.sheets.xlsx import Values
from xinsheng.org import permissions
from xinsheng.org.attributes import labels_of, rank_label
from xinsheng.org.choices import UnitKind
from xinsheng.org.import_columns import (
    COLUMNS as COLUMNS_OF,
)
from xinsheng.org.import_columns import (
    STANDING_FLAGS,
    SheetKind,
    column,
    flag_label,
    kind_label,
    parse_flag,
    parse_kind,
    parse_rank,
    rank_names,
)
from xinsheng.org.import_read import ImportData, Sheet
from xinsheng.org.models import OrgUnit, Person, UnitCharge
from xinsheng.org.validation import (
    MAX_UNITS_IN_CHARGE,
    clean_employee_no,
    clean_name,
    clean_phone,
    clean_unit_code,
    clean_unit_name,
    split_unit_references,
)

PROGRESS_EVERY = 1000  # rows between two progress reports
CHUNK = 2000  # people looked up per query
REPORT_ITEMS = 200  # created or changed rows listed per table in the report
POSITION_MAX = 100

Progress = Callable[[int], None]


@dataclass(frozen=True)
class RowError(SheetRowError):
    """A row that cannot be imported, and why; ``kind`` orders the errors by table."""

    kind: SheetKind = SheetKind.UNITS


@dataclass
class UnitRow:
    """A cleaned row of the units table."""

    row: int
    code: str
    name: str = ""
    kind: str = ""
    parent: str | None = None  # None: the cell is empty
    active: bool | None = None  # None: the file has no such column
    valid: bool = True


@dataclass
class PersonRow:
    """A cleaned row of the people table; None in an optional field means no such column."""

    row: int
    employee_no: str
    name: str = ""
    unit: str = ""
    position: str | None = None
    phone: str | None = None
    active: bool | None = None
    # The standing: the cadre rank and the yes/no columns by model field (those in the file).
    cadre_rank: str | None = None
    flags: dict[str, bool] = field(default_factory=dict)
    charge_refs: list[str] | None = None  # the units in charge as written: codes or names
    units_in_charge: list[str] | None = None  # the codes they name, found when planned
    valid: bool = True

    def standing(self) -> "StandingValues":
        """Return the standing this row gives a new person (what it leaves out is not held)."""
        return StandingValues(
            cadre_rank=self.cadre_rank or "",
            **{name: self.flags.get(name, False) for name in STANDING_FLAGS},
        )


@dataclass(frozen=True)
class StandingValues:
    """A person's rank and yes/no columns, as ``attributes.labels_of`` reads them."""

    cadre_rank: str = ""
    is_principal: bool = False
    is_party_member: bool = False
    is_technical_talent: bool = False
    is_team_leader: bool = False
    is_backbone: bool = False
    is_manager: bool = False


@dataclass(frozen=True)
class CurrentPerson:
    """A person as the database holds them now."""

    id: int
    name: str
    unit_id: int
    position: str
    phone: str
    is_active: bool
    standing: StandingValues = StandingValues()
    charges: dict[str, int] = field(default_factory=dict)  # unit code → id of the UnitCharge


@dataclass(frozen=True)
class ChargeChange:
    """The units in charge of one person to add and to drop (by ``UnitCharge`` id)."""

    employee_no: str
    person_id: int | None  # None: a person this import creates
    add: list[str]  # unit codes
    drop: list[int]
    before: list[str] = field(default_factory=list)  # the codes held now, then after the import
    after: list[str] = field(default_factory=list)


@dataclass
class SheetReport:
    """What the dry run found in one table."""

    kind: SheetKind
    title: str
    rows: int
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    created_items: list[dict[str, Any]] = field(default_factory=list)
    changed_items: list[dict[str, Any]] = field(default_factory=list)
    changed_columns: dict[str, int] = field(default_factory=dict)  # column key → rows changed

    def count_columns(self, keys: list[str]) -> None:
        """Count the columns a changed row changes, for the summary of what changes."""
        for key in keys:
            self.changed_columns[key] = self.changed_columns.get(key, 0) + 1

    def add_created(self, item: Callable[[], dict[str, Any]]) -> None:
        """Count a created row; list it (``item`` builds its entry) while the list is short."""
        self.created += 1
        if len(self.created_items) < REPORT_ITEMS:
            self.created_items.append(item())

    def add_changed(self, item: Callable[[], dict[str, Any]]) -> None:
        """Count a changed row; list it (``item`` builds its entry) while the list is short."""
        self.changed += 1
        if len(self.changed_items) < REPORT_ITEMS:
            self.changed_items.append(item())

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": str(self.kind),
            "title": self.title,
            "rows": self.rows,
            "created": self.created,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "created_items": self.created_items,
            "changed_items": self.changed_items,
            "more_created": self.created - len(self.created_items),
            "more_changed": self.changed - len(self.changed_items),
            "changed_columns": [
                [col.label, self.changed_columns[col.key]]
                for col in COLUMNS_OF[self.kind]
                if col.key in self.changed_columns
            ],
        }


@dataclass
class Plan:
    """The writes an import would make, its row errors and its report."""

    units: dict[str, OrgUnit]  # every unit in the database, by code
    unit_rows: dict[str, UnitRow] = field(default_factory=dict)  # the file's units, by code
    unit_creates: list[str] = field(default_factory=list)  # codes, in file order
    unit_updates: dict[str, dict[str, Any]] = field(default_factory=dict)  # code → field → value
    final_parent: dict[str, str | None] = field(default_factory=dict)  # file code → parent code
    person_creates: list[PersonRow] = field(default_factory=list)
    person_updates: list[tuple[int, PersonRow]] = field(default_factory=list)  # (id, new values)
    charge_changes: list[ChargeChange] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    sheets: list[SheetReport] = field(default_factory=list)
    digest: str = ""

    @property
    def change_count(self) -> int:
        """Return the number of rows that would be created or changed."""
        return sum(sheet.created + sheet.changed for sheet in self.sheets)

    def counts(self) -> dict[str, int]:
        """Return the figures of the plan, as kept in the audit record."""
        result: dict[str, int] = {}
        for sheet in self.sheets:
            result[f"{sheet.kind}_created"] = sheet.created
            result[f"{sheet.kind}_changed"] = sheet.changed
            result[f"{sheet.kind}_unchanged"] = sheet.unchanged
        return result

    def report(self) -> dict[str, Any]:
        """Return the report of the dry run, JSON-safe and of bounded size."""
        return {
            "sheets": [sheet.as_json() for sheet in self.sheets],
            "created": sum(sheet.created for sheet in self.sheets),
            "changed": sum(sheet.changed for sheet in self.sheets),
            "unchanged": sum(sheet.unchanged for sheet in self.sheets),
            **errors_report(self.errors),
        }


def check_import(data: ImportData, *, actor: Actor, progress: Progress | None = None) -> Plan:
    """Return the plan of importing ``data`` as ``actor``; nothing is written."""
    return _Checker(actor, progress).run(data)


def parent_code_of(unit: OrgUnit, by_path: dict[str, OrgUnit]) -> str | None:
    """Return the code of ``unit``'s parent in the database, None for a root."""
    if unit.depth <= 1:
        return None
    return by_path[unit.path[: -OrgUnit.steplen]].code


class _Checker:
    def __init__(self, actor: Actor, progress: Progress | None) -> None:
        self.actor = actor
        self.progress = progress
        self.done = 0
        self.reported = 0
        self.hash = hashlib.sha256()
        self._may: dict[int, bool] = {}
        self._unit_names: dict[str, list[str]] | None = None
        self.charges_column = False
        units = list(
            OrgUnit.objects.only(
                "id", "code", "name", "kind", "is_active", "path", "depth", "numchild"
            )
        )
        self.plan = Plan(units={unit.code: unit for unit in units})
        self.by_path = {unit.path: unit for unit in units}
        self.by_id = {unit.pk: unit for unit in units}

    # --- shared -----------------------------------------------------------------------------------

    def run(self, data: ImportData) -> Plan:
        units = data.sheet(SheetKind.UNITS)
        people = data.sheet(SheetKind.PEOPLE)
        if units is not None:
            self.check_units(units)
        if people is not None:
            self.check_people(people)
        if self.progress is not None:
            self.progress(self.done)
        order = list(SheetKind)
        self.plan.errors.sort(key=lambda error: (order.index(error.kind), error.row))
        self.plan.digest = self.hash.hexdigest()
        return self.plan

    def tick(self, rows: int = 1) -> None:
        self.done += rows
        if self.progress is not None and self.done - self.reported >= PROGRESS_EVERY:
            self.reported = self.done
            self.progress(self.done)

    def error(self, sheet: Sheet, row: int, key: str, message: object) -> None:
        label = column(sheet.kind, key).label
        self.plan.errors.append(RowError(sheet.title, row, label, str(message), kind=sheet.kind))

    def record(self, *parts: object) -> None:
        """Add one planned write to the digest."""
        self.hash.update("\x1f".join(map(str, parts)).encode() + b"\n")

    def may(self, unit: OrgUnit) -> bool:
        if unit.pk not in self._may:
            self._may[unit.pk] = permissions.may(self.actor, "org.import", unit)
        return self._may[unit.pk]

    def clean(
        self, sheet: Sheet, row: int, key: str, cleaner: Callable[[object], Any], value: object
    ) -> Any:
        """Return ``cleaner(value)``, or record its message as an error and return None."""
        try:
            return cleaner(value)
        except InvalidInput as exc:
            self.error(sheet, row, key, exc.message)
            return None

    # --- units ------------------------------------------------------------------------------------

    def check_units(self, sheet: Sheet) -> None:
        report = SheetReport(SheetKind.UNITS, sheet.title, len(sheet.rows))
        self.plan.sheets.append(report)
        rows = self.plan.unit_rows
        for number, values in sheet.rows:
            self.tick()
            row = self.clean_unit(sheet, number, values)
            if row is None:
                continue
            if row.code in rows:
                self.error(
                    sheet,
                    number,
                    "code",
                    gettext("单位代码“%(code)s”与第%(row)d行重复。")
                    % {"code": row.code, "row": rows[row.code].row},
                )
                continue
            rows[row.code] = row
        for row in rows.values():
            if row.parent is not None and row.parent not in rows and row.parent not in self.units:
                self.error(
                    sheet,
                    row.row,
                    "parent",
                    gettext("上级单位代码“%(code)s”不存在。") % {"code": row.parent},
                )
                row.valid = False
        for code in rows:
            self.plan.final_parent[code] = self.final_parent(code)
        self.find_cycles(sheet)
        for row in rows.values():
            if row.valid:
                self.plan_unit(sheet, report, row)

    @property
    def units(self) -> dict[str, OrgUnit]:
        return self.plan.units

    def clean_unit(self, sheet: Sheet, number: int, values: Values) -> UnitRow | None:
        code = self.clean(sheet, number, "code", clean_unit_code, sheet.get(values, "code"))
        if code is None:
            return None
        row = UnitRow(row=number, code=code)
        name = self.clean(sheet, number, "name", clean_unit_name, sheet.get(values, "name"))
        raw_kind = sheet.get(values, "kind")
        kind = parse_kind(raw_kind)
        if kind is None:
            text = "" if raw_kind is None else str(raw_kind).strip()
            self.error(
                sheet,
                number,
                "kind",
                gettext("单位类型“%(kind)s”无效，应为：%(kinds)s。")
                % {"kind": text, "kinds": _kinds_text()}
                if text
                else gettext("单位类型不能为空。"),
            )
        parent_cell = sheet.get(values, "parent")
        parent: str | None = None
        if parent_cell is not None and str(parent_cell).strip():
            parent = self.clean_reference(sheet, number, "parent", parent_cell)
            if parent is None:
                row.valid = False
        active = self.flag(sheet, number, values)
        row.name, row.kind, row.parent, row.active = name or "", kind or "", parent, active
        if name is None or kind is None or (sheet.has("active") and active is None):
            row.valid = False
        return row

    def clean_reference(self, sheet: Sheet, number: int, key: str, value: object) -> str | None:
        """Return a unit code written in a cell, or record that no such unit exists."""
        try:
            return clean_unit_code(value)
        except InvalidInput:
            message = (
                gettext("上级单位代码“%(code)s”不存在。")
                if key == "parent"
                else gettext("所在单位代码“%(code)s”不存在。")
            )
            self.error(sheet, number, key, message % {"code": str(value).strip()})
            return None

    def flag(self, sheet: Sheet, number: int, values: Values) -> bool | None:
        if not sheet.has("active"):
            return None
        flag = parse_flag(sheet.get(values, "active"))
        if flag is None:
            self.error(
                sheet,
                number,
                "active",
                gettext("“%(column)s”应填写“是”或“否”。")
                % {"column": column(sheet.kind, "active").label},
            )
        return flag

    def final_parent(self, code: str) -> str | None:
        """Return the code of the parent ``code`` will have after the import."""
        row = self.plan.unit_rows.get(code)
        if row is not None and row.parent is not None:
            return row.parent
        unit = self.units.get(code)
        if unit is None:
            return None
        return parent_code_of(unit, self.by_path)

    def find_cycles(self, sheet: Sheet) -> None:
        """Record an error on every row whose parent chain loops back to itself."""
        rows = self.plan.unit_rows
        done: set[str] = set()
        for start in rows:
            chain: list[str] = []
            code: str | None = start
            while code is not None and code not in done:
                if code in chain:
                    loop = [*chain[chain.index(code) :], code]
                    text = " → ".join(loop)
                    for member in loop[:-1]:
                        if member in rows and rows[member].valid:
                            rows[member].valid = False
                            self.error(
                                sheet,
                                rows[member].row,
                                "parent",
                                gettext("上级单位代码形成循环：%(loop)s。") % {"loop": text},
                            )
                    break
                chain.append(code)
                code = self.plan.final_parent[code] if code in rows else self.final_parent(code)
            done.update(chain)

    def plan_unit(self, sheet: Sheet, report: SheetReport, row: UnitRow) -> None:
        existing = self.units.get(row.code)
        parent = self.plan.final_parent[row.code]
        if existing is None:
            if not self.may_hold_new_unit(sheet, row, parent):
                return
            active = True if row.active is None else row.active
            self.record("unit+", row.code, row.name, row.kind, parent, active)
            self.plan.unit_creates.append(row.code)
            report.add_created(
                lambda: {
                    "row": row.row,
                    "key": row.code,
                    "name": row.name,
                    "fields": [
                        [column(SheetKind.UNITS, "kind").label, kind_label(row.kind)],
                        [column(SheetKind.UNITS, "parent").label, parent or "—"],
                        [column(SheetKind.UNITS, "active").label, flag_label(active)],
                    ],
                }
            )
            return
        if not self.may(existing):
            self.error(
                sheet,
                row.row,
                "code",
                gettext("单位“%(code)s”不在您的管理范围内。") % {"code": row.code},
            )
            return
        self.plan_unit_change(sheet, report, row, existing)

    def may_hold_new_unit(self, sheet: Sheet, row: UnitRow, parent: str | None) -> bool:
        """Return whether ``actor`` may add a unit under ``parent``; record an error if not."""
        if parent is None:
            if getattr(self.actor, "is_superuser", False):
                return True
            message = gettext("只有系统管理员可以创建顶级单位，请填写上级单位代码。")
        else:
            target = self.units.get(parent)
            # A parent that is itself new is checked on its own row.
            if target is None or self.may(target):
                return True
            message = gettext("上级单位“%(code)s”不在您的管理范围内。") % {"code": parent}
        self.error(sheet, row.row, "parent", message)
        return False

    def plan_unit_change(
        self, sheet: Sheet, report: SheetReport, row: UnitRow, unit: OrgUnit
    ) -> None:
        pairs: list[tuple[str, str, object, object]] = [
            ("name", "name", unit.name, row.name),
            ("kind", "kind", unit.kind, row.kind),
        ]
        if row.active is not None:
            pairs.append(("active", "is_active", unit.is_active, row.active))
        current_parent = parent_code_of(unit, self.by_path)
        if row.parent is not None and row.parent != current_parent:
            target = self.units.get(row.parent)
            if target is not None and not self.may(target):
                self.error(
                    sheet,
                    row.row,
                    "parent",
                    gettext("上级单位“%(code)s”不在您的管理范围内。") % {"code": row.parent},
                )
                return
            pairs.append(("parent", "parent", current_parent, row.parent))
        changed = [pair for pair in pairs if pair[2] != pair[3]]
        if not changed:
            report.unchanged += 1
            return
        self.record("unit~", row.code, *pairs)
        self.plan.unit_updates[row.code] = {name: after for _key, name, _before, after in changed}
        report.count_columns([key for key, _name, _before, _after in changed])
        report.add_changed(
            lambda: {
                "row": row.row,
                "key": row.code,
                "name": row.name,
                "changes": [
                    _change(SheetKind.UNITS, key, before, after)
                    for key, _name, before, after in changed
                ],
            }
        )

    # --- people -----------------------------------------------------------------------------------

    def check_people(self, sheet: Sheet) -> None:
        report = SheetReport(SheetKind.PEOPLE, sheet.title, len(sheet.rows))
        self.plan.sheets.append(report)
        self.charges_column = sheet.has("units_in_charge")
        seen: dict[str, int] = {}
        for start in range(0, len(sheet.rows), CHUNK):
            chunk: list[PersonRow] = []
            for number, values in sheet.rows[start : start + CHUNK]:
                person = self.clean_person(sheet, number, values)
                if person is None:
                    continue
                if person.employee_no in seen:
                    self.error(
                        sheet,
                        number,
                        "employee_no",
                        gettext("工号“%(number)s”与第%(row)d行重复。")
                        % {"number": person.employee_no, "row": seen[person.employee_no]},
                    )
                    continue
                seen[person.employee_no] = number
                chunk.append(person)
            current = self.load_people([person.employee_no for person in chunk])
            for person in chunk:
                self.plan_person(sheet, report, person, current.get(person.employee_no))
            self.tick(len(sheet.rows[start : start + CHUNK]))

    def load_people(self, numbers: list[str]) -> dict[str, CurrentPerson]:
        fields = ["id", "name", "unit_id", "position", "phone", "is_active", "cadre_rank"]
        rows = Person.objects.filter(employee_no__in=numbers).values_list(
            "employee_no", *fields, *STANDING_FLAGS
        )
        charges: dict[int, dict[str, int]] = defaultdict(dict)
        if self.charges_column:
            held = UnitCharge.objects.filter(person__employee_no__in=numbers).values_list(
                "person_id", "id", "unit_id"
            )
            for person_id, charge_id, unit_id in held:
                charges[person_id][self.by_id[unit_id].code] = charge_id
        return {
            number: CurrentPerson(
                pk,
                name,
                unit_id,
                position,
                phone,
                active,
                StandingValues(rank, *flags),
                charges[pk],
            )
            for number, pk, name, unit_id, position, phone, active, rank, *flags in rows
        }

    def clean_person(self, sheet: Sheet, number: int, values: Values) -> PersonRow | None:
        employee_no = self.clean(
            sheet, number, "employee_no", clean_employee_no, sheet.get(values, "employee_no")
        )
        if employee_no is None:
            return None
        person = PersonRow(row=number, employee_no=employee_no)
        name = self.clean(sheet, number, "name", clean_name, sheet.get(values, "name"))
        unit_cell = sheet.get(values, "unit")
        unit: str | None = None
        if unit_cell is None or not str(unit_cell).strip():
            self.error(sheet, number, "unit", gettext("所在单位代码不能为空。"))
        else:
            unit = self.clean_reference(sheet, number, "unit", unit_cell)
        if sheet.has("position"):
            cell = sheet.get(values, "position")
            person.position = "" if cell is None else str(cell).strip()
            if len(person.position) > POSITION_MAX:
                self.error(
                    sheet,
                    number,
                    "position",
                    gettext("职务/岗位不能超过%(max)d个字。") % {"max": POSITION_MAX},
                )
                person.valid = False
        if sheet.has("phone"):
            phone = self.clean(sheet, number, "phone", clean_phone, sheet.get(values, "phone"))
            person.phone = phone
            person.valid = person.valid and phone is not None
        person.active = self.flag(sheet, number, values)
        person.name, person.unit = name or "", unit or ""
        if name is None or unit is None or (sheet.has("active") and person.active is None):
            person.valid = False
        self.clean_standing(sheet, number, values, person)
        return person

    def clean_standing(self, sheet: Sheet, number: int, values: Values, person: PersonRow) -> None:
        """Read into ``person`` the rank, yes/no columns and units in charge the file has."""
        if sheet.has("cadre_rank"):
            cell = sheet.get(values, "cadre_rank")
            person.cadre_rank = parse_rank(cell)
            if person.cadre_rank is None:
                self.error(
                    sheet,
                    number,
                    "cadre_rank",
                    gettext("干部级别“%(value)s”无效，应为%(ranks)s之一，或留空。")
                    % {"value": str(cell).strip(), "ranks": rank_names()},
                )
                person.valid = False
        for key in STANDING_FLAGS:
            if not sheet.has(key):
                continue
            cell = sheet.get(values, key)
            flag = parse_flag(cell, empty=False)
            if flag is None:
                self.error(
                    sheet,
                    number,
                    key,
                    gettext(
                        "“%(value)s”无效：“%(column)s”应填写“是”或“否”（也可填1/0、√/×、Y/N）。"
                    )
                    % {"value": str(cell).strip(), "column": column(sheet.kind, key).label},
                )
                person.valid = False
            else:
                person.flags[key] = flag
        if sheet.has("units_in_charge"):
            person.charge_refs = split_unit_references(sheet.get(values, "units_in_charge"))
            if len(person.charge_refs) > MAX_UNITS_IN_CHARGE:
                self.error(
                    sheet,
                    number,
                    "units_in_charge",
                    gettext("分管单位最多%(max)d个。") % {"max": MAX_UNITS_IN_CHARGE},
                )
                person.valid = False
                person.charge_refs = None

    def resolve_charges(self, sheet: Sheet, person: PersonRow) -> list[str] | None:
        """Return the codes of the units in charge ``person``'s row names, None if one is wrong.

        Each must exist (in the database or in the units table), lie in the actor's scope, and
        not be the person's own unit; a name must name one unit only.
        """
        codes: set[str] = set()
        wrong = False
        for reference in person.charge_refs or []:
            code = self.charge_code(sheet, person.row, reference)
            message = ""
            if code is None:
                wrong = True
                continue
            if code == person.unit:
                message = gettext("分管单位不能是本人所在单位“%(code)s”。")
            elif code in self.units and not self.may(self.units[code]):
                message = gettext("分管单位“%(code)s”不在您的管理范围内。")
            if message:
                self.error(sheet, person.row, "units_in_charge", message % {"code": code})
                wrong = True
            else:
                codes.add(code)
        return None if wrong else sorted(codes)

    def charge_code(self, sheet: Sheet, row: int, reference: str) -> str | None:
        """Return the code of the unit ``reference`` names (its code, or its exact name)."""
        if reference in self.units or reference in self.plan.unit_rows:
            return reference
        codes = self.unit_names().get(reference, [])
        if len(codes) == 1:
            return codes[0]
        message = (
            gettext("有多个单位名为“%(name)s”，请填写单位代码。")
            if codes
            else gettext("分管单位“%(name)s”不存在（请填写单位代码或单位名称）。")
        )
        self.error(sheet, row, "units_in_charge", message % {"name": reference})
        return None

    def unit_names(self) -> dict[str, list[str]]:
        """Return the codes of the units in the actor's scope by name, as the import leaves them.

        Worked out once, when a row first names a unit in charge by its name.
        """
        if self._unit_names is None:
            names: dict[str, list[str]] = defaultdict(list)
            for code, unit in self.units.items():
                row = self.plan.unit_rows.get(code)
                if self.may(unit):
                    names[row.name if row and row.name else unit.name].append(code)
            for code, row in self.plan.unit_rows.items():
                if code not in self.units and row.name:
                    names[row.name].append(code)
            self._unit_names = dict(names)
        return self._unit_names

    def plan_person(
        self, sheet: Sheet, report: SheetReport, person: PersonRow, current: CurrentPerson | None
    ) -> None:
        unit = self.units.get(person.unit) if person.unit else None
        if person.unit and unit is None and person.unit not in self.plan.unit_rows:
            self.error(
                sheet,
                person.row,
                "unit",
                gettext("所在单位代码“%(code)s”不存在。") % {"code": person.unit},
            )
            return
        if current is not None and not self.may(self.by_id[current.unit_id]):
            self.error(
                sheet,
                person.row,
                "employee_no",
                gettext("工号“%(number)s”属于您管理范围以外的人员。")
                % {"number": person.employee_no},
            )
            return
        if unit is not None and not self.may(unit):
            self.error(
                sheet,
                person.row,
                "unit",
                gettext("所在单位“%(code)s”不在您的管理范围内。") % {"code": person.unit},
            )
            return
        if person.charge_refs is not None:
            person.units_in_charge = self.resolve_charges(sheet, person)
            if person.units_in_charge is None:
                return
        if not person.valid:
            return
        if current is None:
            self.plan_new_person(report, person)
        else:
            self.plan_person_change(report, person, current)

    def plan_new_person(self, report: SheetReport, person: PersonRow) -> None:
        active = True if person.active is None else person.active
        standing = person.standing()
        charges = person.units_in_charge or []
        self.record(
            "person+",
            person.employee_no,
            person.name,
            person.unit,
            person.position or "",
            person.phone or "",
            active,
            standing,
            charges,
        )
        self.plan.person_creates.append(person)
        if charges:
            self.plan.charge_changes.append(
                ChargeChange(person.employee_no, None, charges, [], after=charges)
            )
        report.add_created(lambda: self.created_item(person, active))

    def created_item(self, person: PersonRow, active: bool) -> dict[str, Any]:
        """Return a new person as the report lists them: the fields the row gives them."""
        fields = [
            [column(SheetKind.PEOPLE, "unit").label, person.unit],
            [column(SheetKind.PEOPLE, "position").label, person.position or "—"],
            [column(SheetKind.PEOPLE, "phone").label, person.phone or "—"],
            [column(SheetKind.PEOPLE, "active").label, flag_label(active)],
        ]
        if standing := labels_of(person.standing()):
            fields.append([gettext("身份"), " · ".join(standing)])
        if person.units_in_charge:
            fields.append(
                [
                    column(SheetKind.PEOPLE, "units_in_charge").label,
                    "、".join(person.units_in_charge),
                ]
            )
        return {"row": person.row, "key": person.employee_no, "name": person.name, "fields": fields}

    def plan_person_change(
        self, report: SheetReport, person: PersonRow, current: CurrentPerson
    ) -> None:
        current_unit = self.by_id[current.unit_id].code
        pairs: list[tuple[str, object, object]] = [
            ("name", current.name, person.name),
            ("unit", current_unit, person.unit),
        ]
        if person.position is not None:
            pairs.append(("position", current.position, person.position))
        if person.phone is not None:
            pairs.append(("phone", current.phone, person.phone))
        if person.active is not None:
            pairs.append(("active", current.is_active, person.active))
        if person.cadre_rank is not None:
            pairs.append(("cadre_rank", current.standing.cadre_rank, person.cadre_rank))
        pairs += [(key, getattr(current.standing, key), flag) for key, flag in person.flags.items()]
        change = self.charge_change(person, current)
        if change is not None:
            pairs.append(("units_in_charge", "、".join(change.before), "、".join(change.after)))
        changed = [pair for pair in pairs if pair[1] != pair[2]]
        if not changed:
            report.unchanged += 1
            return
        self.record("person~", current.id, *pairs)
        self.plan.person_updates.append((current.id, person))
        if change is not None and change.before != change.after:
            self.plan.charge_changes.append(change)
        report.count_columns([key for key, _before, _after in changed])
        report.add_changed(
            lambda: {
                "row": person.row,
                "key": person.employee_no,
                "name": person.name,
                "changes": [_change(SheetKind.PEOPLE, *pair) for pair in changed],
            }
        )

    def charge_change(self, person: PersonRow, current: CurrentPerson) -> ChargeChange | None:
        """Return how the row changes ``current``'s units in charge; None without the column.

        Units in charge outside the actor's scope were set by someone above; they stay.
        """
        if person.units_in_charge is None:
            return None
        kept = {code for code in current.charges if not self.may(self.units[code])}
        after = sorted(kept | set(person.units_in_charge))
        before = sorted(current.charges)
        return ChargeChange(
            person.employee_no,
            current.id,
            add=[code for code in after if code not in current.charges],
            drop=[current.charges[code] for code in before if code not in after],
            before=before,
            after=after,
        )


def _change(kind: SheetKind, key: str, before: object, after: object) -> dict[str, str]:
    """Return one changed field as the report shows it: column, value before and after."""
    return {
        "column": column(kind, key).label,
        "before": _shown(key, before),
        "after": _shown(key, after),
    }


def _shown(key: str, value: object) -> str:
    if isinstance(value, bool):
        return flag_label(value)
    if key == "kind":
        return kind_label(str(value))
    if key == "cadre_rank":
        return rank_label(str(value)) or "—"
    return str(value) if value not in (None, "") else "—"


def _kinds_text() -> str:
    return "、".join(str(kind.label) for kind in UnitKind)

"""Write a checked import plan in bulk: units first, their tree paths worked out here; then people.

Called inside the import's transaction. New and moved units get fresh path steps under their new
parent (never a step another unit has or had), so no intermediate state breaks the unique path,
and the descendants of a moved unit follow it by swapping their path prefix.
"""

from collections import defaultdict
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext

from xinsheng.core.errors import InvalidInput
from xinsheng.org.import_check import PersonRow, Plan, parent_code_of
from xinsheng.org.import_columns import STANDING_FLAGS
from xinsheng.org.models import OrgUnit, Person, UnitCharge

BATCH = 1000
UNIT_TREE_FIELDS = ["name", "kind", "is_active", "path", "depth", "numchild", "updated_at"]
PATH_MAX = OrgUnit._meta.get_field("path").max_length or 255


def write_plan(plan: Plan) -> None:
    """Create and change the units and people of ``plan``, then the people's units in charge."""
    now = timezone.now()
    unit_ids = _write_units(plan, now)
    new_people = _write_people(plan, unit_ids, now)
    _write_charges(plan, unit_ids, new_people)


def _write_units(plan: Plan, now: datetime) -> dict[str, int]:
    """Write the units of ``plan``; return the id of every unit by code."""
    ids = {code: int(unit.pk) for code, unit in plan.units.items()}
    if not plan.unit_creates and not plan.unit_updates:
        return ids
    parent_of, children = _final_tree(plan)
    paths = _final_paths(plan, parent_of, children)
    new_units = []
    for code in plan.unit_creates:
        row = plan.unit_rows[code]
        path = paths[code]
        new_units.append(
            OrgUnit(
                code=code,
                name=row.name,
                kind=row.kind,
                is_active=True if row.active is None else row.active,
                path=path,
                depth=len(path) // OrgUnit.steplen,
                numchild=len(children[code]),
            )
        )
    changed = []
    for code, unit in plan.units.items():
        fields = plan.unit_updates.get(code, {})
        path, numchild = paths[code], len(children[code])
        if not fields and path == unit.path and numchild == unit.numchild:
            continue
        for name in ("name", "kind", "is_active"):
            if name in fields:
                setattr(unit, name, fields[name])
        unit.path, unit.depth, unit.numchild = path, len(path) // OrgUnit.steplen, numchild
        unit.updated_at = now
        changed.append(unit)
    OrgUnit.objects.bulk_create(new_units, batch_size=BATCH)
    OrgUnit.objects.bulk_update(changed, UNIT_TREE_FIELDS, batch_size=BATCH)
    ids.update(_ids_of(new_units))
    return ids


def _final_tree(plan: Plan) -> tuple[dict[str, str | None], dict[str | None, list[str]]]:
    """Return every unit's parent code after the import, and every unit's children codes."""
    by_path = {unit.path: unit for unit in plan.units.values()}
    parent_of: dict[str, str | None] = {}
    for unit in sorted(plan.units.values(), key=lambda unit: unit.path):
        parent_of[unit.code] = parent_code_of(unit, by_path)
    for code, fields in plan.unit_updates.items():
        if "parent" in fields:
            parent_of[code] = fields["parent"]
    for code in plan.unit_creates:
        parent_of[code] = plan.final_parent[code]
    children: dict[str | None, list[str]] = defaultdict(list)
    for code, parent in parent_of.items():
        children[parent].append(code)
    return parent_of, children


def _final_paths(
    plan: Plan, parent_of: dict[str, str | None], children: dict[str | None, list[str]]
) -> dict[str, str]:
    """Return every unit's path after the import, walking the final tree from its roots."""
    steplen = OrgUnit.steplen
    numconv = OrgUnit.numconv_obj()
    by_path = {unit.path: unit for unit in plan.units.values()}
    last_step: dict[str | None, int] = defaultdict(int)
    for unit in plan.units.values():
        key = parent_code_of(unit, by_path)
        last_step[key] = max(last_step[key], numconv.str2int(unit.path[-steplen:]))
    moved = {code for code, fields in plan.unit_updates.items() if "parent" in fields}
    paths: dict[str, str] = {}
    stack: list[tuple[str, str]] = [(code, "") for code in reversed(children[None])]
    while stack:
        code, parent_path = stack.pop()
        current = plan.units.get(code)
        if current is None or code in moved:
            parent = parent_of[code]
            last_step[parent] += 1
            step = numconv.int2str(last_step[parent])
            if len(step) > steplen:
                raise InvalidInput(gettext("同一上级单位下的下级单位过多。"))
            path = parent_path + step.rjust(steplen, OrgUnit.alphabet[0])
        elif current.path[:-steplen] == parent_path:
            path = current.path
        else:
            path = parent_path + current.path[-steplen:]
        if len(path) > PATH_MAX:
            raise InvalidInput(
                gettext("单位层级过深（最多%(levels)d级）。") % {"levels": PATH_MAX // steplen}
            )
        paths[code] = path
        stack.extend((child, path) for child in reversed(children[code]))
    return paths


def _ids_of(units: list[OrgUnit]) -> dict[str, int]:
    """Return the ids of freshly created ``units`` by code (fetched if the database did not say)."""
    known = {unit.code: int(unit.pk) for unit in units if unit.pk is not None}
    missing = [unit.code for unit in units if unit.pk is None]
    for start in range(0, len(missing), BATCH):
        rows = OrgUnit.objects.filter(code__in=missing[start : start + BATCH])
        known.update(rows.values_list("code", "id"))
    return known


def _write_people(plan: Plan, unit_ids: dict[str, int], now: datetime) -> list[Person]:
    """Create and change the people of ``plan``; return those created."""
    new_people = [
        Person(
            employee_no=row.employee_no,
            name=row.name,
            unit_id=unit_ids[row.unit],
            position=row.position or "",
            phone=row.phone or "",
            is_active=True if row.active is None else row.active,
            cadre_rank=row.cadre_rank or "",
            **{name: row.flags.get(name, False) for name in STANDING_FLAGS},
        )
        for row in plan.person_creates
    ]
    Person.objects.bulk_create(new_people, batch_size=BATCH)
    groups: dict[tuple[str, ...], list[Person]] = defaultdict(list)
    for person_id, row in plan.person_updates:
        person = Person(id=person_id, name=row.name, unit_id=unit_ids[row.unit], updated_at=now)
        fields = ["name", "unit", "updated_at", *_optional_fields(person, row)]
        groups[tuple(fields)].append(person)
    for names, people in groups.items():
        Person.objects.bulk_update(people, list(names), batch_size=BATCH)
    return new_people


def _optional_fields(person: Person, row: PersonRow) -> list[str]:
    """Set on ``person`` the fields of the columns the file has; return their names."""
    fields = []
    if row.position is not None:
        person.position = row.position
        fields.append("position")
    if row.phone is not None:
        person.phone = row.phone
        fields.append("phone")
    if row.active is not None:
        person.is_active = row.active
        fields.append("is_active")
    if row.cadre_rank is not None:
        person.cadre_rank = row.cadre_rank
        fields.append("cadre_rank")
    for name, flag in row.flags.items():
        setattr(person, name, flag)
        fields.append(name)
    return fields


def _write_charges(plan: Plan, unit_ids: dict[str, int], new_people: list[Person]) -> None:
    """Add and drop the units in charge of ``plan``: the people's ids known, the units' too."""
    if not plan.charge_changes:
        return
    ids = {person.employee_no: int(person.pk) for person in new_people if person.pk is not None}
    missing = [c.employee_no for c in plan.charge_changes if c.person_id is None]
    missing = [number for number in missing if number not in ids]
    for start in range(0, len(missing), BATCH):
        rows = Person.objects.filter(employee_no__in=missing[start : start + BATCH])
        ids.update(rows.values_list("employee_no", "id"))
    drop = [charge_id for change in plan.charge_changes for charge_id in change.drop]
    for start in range(0, len(drop), BATCH):
        UnitCharge.objects.filter(id__in=drop[start : start + BATCH]).delete()
    UnitCharge.objects.bulk_create(
        [
            UnitCharge(
                person_id=change.person_id or ids[change.employee_no], unit_id=unit_ids[code]
            )
            for change in plan.charge_changes
            for code in change.add
        ],
        batch_size=BATCH,
    )

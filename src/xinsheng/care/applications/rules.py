"""A programme's rules as data, and what they decide: who is eligible, and for how much.

Student aid (``ProgrammeKind.STUDENT_AID``) reads::

    {"amounts": {"undergraduate": "5000", "junior_college": "3000"},  # levels paid, yuan each
     "new_students_only": true,        # the admission year must be the programme's year
     "hardship_file_required": false,  # the family must be on file (approved or active)
     "mask": "surname"}                # how names show on the public notice

Illness relief (``ProgrammeKind.ILLNESS_RELIEF``) reads::

    {"threshold": "10000", "rate": "0.5", "cap": "30000"}

and pays ``rate`` of the employee's own share (costs less what insurance paid) above
``threshold``, at most ``cap``.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from xinsheng.care.choices import FileStatus, SchoolLevel
from xinsheng.care.models import HardshipFile, Programme
from xinsheng.core.errors import InvalidInput
from xinsheng.org.models import Person

CENT = Decimal("0.01")
MASKS = ("surname", "initial", "none")
STUDENT_DEFAULTS: dict[str, Any] = {
    "amounts": {"undergraduate": "3000", "junior_college": "2000"},
    "new_students_only": True,
    "hardship_file_required": False,
    "mask": "surname",
}
RELIEF_DEFAULTS: dict[str, Any] = {"threshold": "10000", "rate": "0.5", "cap": "30000"}


def _decimal(value: object, name: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput(
            fields={"rules": [_("规则“%(name)s”应为数字。") % {"name": name}]}
        ) from None
    if not number.is_finite() or number < 0:
        raise InvalidInput(fields={"rules": [_("规则“%(name)s”应为数字。") % {"name": name}]})
    return number


def rules_clean(kind: str, rules: object) -> dict[str, Any]:
    """Return ``rules`` for a programme of ``kind`` checked and completed with the defaults;
    ``InvalidInput`` on ``rules`` naming what is wrong."""
    if rules is None or rules == "":
        rules = {}
    if not isinstance(rules, dict):
        raise InvalidInput(fields={"rules": [_("规则应为键值对（JSON 对象）。")]})
    if kind == "student_aid":
        merged = {**STUDENT_DEFAULTS, **rules}
        amounts = merged["amounts"]
        if not isinstance(amounts, dict) or not amounts:
            raise InvalidInput(fields={"rules": [_("请按学历层次填写资助金额。")]})
        clean: dict[str, str] = {}
        for level, amount in amounts.items():
            if level not in SchoolLevel.values:
                raise InvalidInput(
                    fields={"rules": [_("未知的学历层次：%(level)s。") % {"level": level}]}
                )
            value = _decimal(amount, level)
            if value <= 0:
                raise InvalidInput(fields={"rules": [_("资助金额应大于0。")]})
            clean[level] = f"{value.quantize(CENT)}"
        merged["amounts"] = clean
        merged["new_students_only"] = bool(merged["new_students_only"])
        merged["hardship_file_required"] = bool(merged["hardship_file_required"])
        if merged["mask"] not in MASKS:
            raise InvalidInput(fields={"rules": [_("公示姓名的显示方式无效。")]})
        return merged
    if kind == "illness_relief":
        merged = {**RELIEF_DEFAULTS, **rules}
        rate = _decimal(merged["rate"], "rate")
        if rate <= 0 or rate > 1:
            raise InvalidInput(fields={"rules": [_("救助比例应在0到1之间。")]})
        merged["rate"] = str(rate)
        merged["threshold"] = str(_decimal(merged["threshold"], "threshold").quantize(CENT))
        cap = _decimal(merged["cap"], "cap")
        if cap <= 0:
            raise InvalidInput(fields={"rules": [_("救助封顶金额应大于0。")]})
        merged["cap"] = str(cap.quantize(CENT))
        merged.setdefault("mask", "surname")
        return merged
    return dict(rules)


@dataclass(frozen=True)
class Relief:
    """An illness relief as the rules compute it."""

    costs: Decimal
    insurance_paid: Decimal
    own_share: Decimal
    relief: Decimal


def relief_compute(rules: dict[str, Any], costs: Decimal, insurance_paid: Decimal) -> Relief:
    """Return the own share and the relief for ``costs`` of which insurance paid
    ``insurance_paid``: ``rate`` of the own share above ``threshold``, at most ``cap``."""
    merged = {**RELIEF_DEFAULTS, **rules}
    own = costs - insurance_paid
    above = own - Decimal(str(merged["threshold"]))
    relief = Decimal("0")
    if above > 0:
        relief = min(
            (above * Decimal(str(merged["rate"]))).quantize(CENT, rounding=ROUND_HALF_UP),
            Decimal(str(merged["cap"])),
        )
    return Relief(costs, insurance_paid, own, relief)


def student_amount(programme: Programme, level: str) -> Decimal:
    """Return the aid the rules pay a student of ``level``; ``InvalidInput`` when none."""
    amounts = {**STUDENT_DEFAULTS, **programme.rules}["amounts"]
    if level not in amounts:
        label = SchoolLevel(level).label if level in SchoolLevel.values else level
        raise InvalidInput(
            _("不符合条件：本项目不资助%(level)s学生。") % {"level": label},
            fields={"level": [_("本项目不资助%(level)s学生。") % {"level": label}]},
        )
    return Decimal(str(amounts[level])).quantize(CENT)


def student_eligibility_check(
    programme: Programme, person: Person, *, level: str, admission_year: int, renewal: bool
) -> Decimal:
    """Return the aid for a student, or raise ``InvalidInput`` with the reason they are not
    eligible under ``programme``'s rules."""
    rules = {**STUDENT_DEFAULTS, **programme.rules}
    amount = student_amount(programme, level)
    if admission_year > programme.year:
        message = _("不符合条件：入学年份不能晚于项目年度。")
        raise InvalidInput(message, fields={"admission_year": [message]})
    if rules["new_students_only"] and not renewal and admission_year != programme.year:
        message = _("不符合条件：本项目只资助%(year)s年入学的新生。") % {"year": programme.year}
        raise InvalidInput(message, fields={"admission_year": [message]})
    if rules["hardship_file_required"] and not (
        HardshipFile.objects.filter(
            person=person, status__in=(FileStatus.APPROVED, FileStatus.ACTIVE)
        ).exists()
    ):
        message = _("不符合条件：本项目只资助已建档的困难职工家庭。")
        raise InvalidInput(message, fields={"employee_no": [message]})
    return amount


def mask_name(name: str, mask: str = "surname") -> str:
    """Return ``name`` as a public notice shows it: 张立军 → 张**（surname）, 张某（initial）."""
    name = name.strip()
    if not name or mask == "none":
        return name
    if mask == "initial":
        return f"{name[0]}某"
    return name[0] + "*" * max(len(name) - 1, 1)


def level_label(level: str) -> str:
    """Return the name of a school level, or "" for none."""
    return str(SchoolLevel(level).label) if level in SchoolLevel.values else ""

"""What an application says, checked field by field with a clear Chinese message each.

Student aid: the child's name and school (sensitive: a minor's data), the school level and the
admission year. Illness relief: the costs and what insurance paid (amounts, not sensitive), and
the diagnosis, hospital and medical details (sensitive: health).
"""

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinsheng.care.choices import SchoolLevel
from xinsheng.care.money.amounts import amount_clean
from xinsheng.core.errors import InvalidInput

NAME_MAX = 50
SCHOOL_MAX = 100
DIAGNOSIS_MAX = 100
HOSPITAL_MAX = 100
MEDICAL_MAX = 500
REASON_MAX = 300

# What the sensitive part of an application may hold, and how each is called on a page.
SENSITIVE_LABELS = {
    "child_name": gettext_lazy("子女姓名"),
    "school": gettext_lazy("就读学校"),
    "diagnosis": gettext_lazy("疾病诊断"),
    "hospital": gettext_lazy("就诊医院"),
    "medical_details": gettext_lazy("病情与治疗情况"),
}
MASK = "＊＊＊"


@dataclass
class Parts:
    """An application's content split into what handlers see and what only the privacy role
    sees, with the key that makes a second application for the same thing a duplicate."""

    details: dict[str, Any] = field(default_factory=dict)
    sensitive: dict[str, str] = field(default_factory=dict)
    subject: str = ""


def _text(data: dict[str, Any], name: str, limit: int, *, required: str | None = None) -> str:
    value = data.get(name)
    text = "" if value is None else str(value).strip()
    if not text and required:
        raise InvalidInput(required, fields={name: [required]})
    if len(text) > limit:
        message = _("不能超过%(n)s字。") % {"n": limit}
        raise InvalidInput(message, fields={name: [message]})
    return text


def child_key(name: str) -> str:
    """Return the key of a child for the one-application-a-year rule: the name without spaces,
    hashed, so that the key itself reveals nothing."""
    normal = "".join(name.split()).lower()
    return "child:" + hashlib.sha256(normal.encode()).hexdigest()[:40]


def student_parts(data: dict[str, Any]) -> Parts:
    """Return a student-aid application's parts; ``InvalidInput`` naming the wrong field."""
    child = _text(data, "child_name", NAME_MAX, required=_("请填写子女姓名。"))
    school = _text(data, "school", SCHOOL_MAX, required=_("请填写就读学校。"))
    level = str(data.get("level") or "")
    if level not in SchoolLevel.values:
        message = _("请选择学历层次。")
        raise InvalidInput(message, fields={"level": [message]})
    try:
        year = int(str(data.get("admission_year") or "").strip())
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        message = _("请填写入学年份（如2026）。")
        raise InvalidInput(message, fields={"admission_year": [message]})
    details: dict[str, Any] = {"level": level, "admission_year": year}
    if data.get("renewal_of"):
        details["renewal_of"] = int(data["renewal_of"])
    return Parts(
        details=details,
        sensitive={"child_name": child, "school": school},
        subject=child_key(child),
    )


def relief_parts(data: dict[str, Any]) -> tuple[Parts, Decimal, Decimal]:
    """Return an illness relief's parts with its costs and what insurance paid."""
    costs = amount_clean(data.get("costs"), field="costs")
    raw_insurance = data.get("insurance_paid")
    if raw_insurance in (None, "", 0, "0"):
        insurance = Decimal("0.00")
    else:
        insurance = amount_clean(raw_insurance, field="insurance_paid")
    if insurance > costs:
        message = _("医保等报销金额不能大于医疗费用总额。")
        raise InvalidInput(message, fields={"insurance_paid": [message]})
    diagnosis = _text(data, "diagnosis", DIAGNOSIS_MAX, required=_("请填写疾病诊断。"))
    hospital = _text(data, "hospital", HOSPITAL_MAX)
    medical = _text(data, "medical_details", MEDICAL_MAX)
    sensitive = {"diagnosis": diagnosis}
    if hospital:
        sensitive["hospital"] = hospital
    if medical:
        sensitive["medical_details"] = medical
    return Parts(sensitive=sensitive), costs, insurance


def reason_clean(value: object, *, required: str) -> str:
    """Return a reason, stripped; ``InvalidInput`` on ``reason`` when missing or too long."""
    text = "" if value is None else str(value).strip()
    if not text:
        raise InvalidInput(required, fields={"reason": [required]})
    if len(text) > REASON_MAX:
        message = _("说明不能超过%(n)s字。") % {"n": REASON_MAX}
        raise InvalidInput(message, fields={"reason": [message]})
    return text

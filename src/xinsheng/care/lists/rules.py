"""The rule a distribution's list is built from, read from its programme's ``rules``.

``{"unit": "CODE", "attributes": ["is_party_member"], "religion": "伊斯兰教",
"birth_month": 5, "item": "米面油", "value": "300"}``: everyone active in the unit's subtree
(the programme's unit when none is named) who has every listed attribute; with ``religion``,
only those whose recorded belief, given with their consent, is that one; with ``birth_month``
(1–12, birthday wishes 生日祝福), only those born in that month (people without a recorded
birth date are left off). Belief is sensitive: the rule's reason
is shown only to the privacy role.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinsheng.care.choices import SensitiveKind
from xinsheng.care.models import Programme, SensitiveRecord
from xinsheng.core.errors import InvalidInput
from xinsheng.org.models import OrgUnit, Person

# The attributes of a person a list may ask for, with their labels.
ATTRIBUTES = {
    "is_party_member": gettext_lazy("党员"),
    "is_technical_talent": gettext_lazy("技术技能人才"),
    "is_team_leader": gettext_lazy("班组长"),
    "is_backbone": gettext_lazy("业务骨干"),
    "is_manager": gettext_lazy("管理人员"),
}
ITEM_MAX = 100
VALUE_MAX = Decimal("100000")


@dataclass(frozen=True)
class ListRule:
    """Who is on a distribution's list and what each gets."""

    unit: OrgUnit
    attributes: tuple[str, ...]
    religion: str
    item: str
    value: Decimal
    birth_month: int | None = None

    @property
    def sensitive(self) -> bool:
        """Whether the list is drawn from recorded belief (its reason shown to no one else)."""
        return bool(self.religion)


def rule_of(programme: Programme) -> ListRule:
    """Return the rule in ``programme``'s ``rules``, or raise ``InvalidInput`` saying what is
    wrong with it."""
    rules = programme.rules if isinstance(programme.rules, dict) else {}
    unit = programme.unit
    if code := str(rules.get("unit") or "").strip():
        unit = OrgUnit.objects.filter(code=code).first()  # type: ignore[assignment]
        if unit is None or not unit.path.startswith(programme.unit_path):
            raise InvalidInput(_("名单规则中的单位不存在或不在主办单位之下。"))
    attributes = rules.get("attributes") or []
    if not isinstance(attributes, list) or any(a not in ATTRIBUTES for a in attributes):
        raise InvalidInput(_("名单规则中的人员条件无效。"))
    item = " ".join(str(rules.get("item") or "").split())
    if not item or len(item) > ITEM_MAX:
        raise InvalidInput(_("请在项目规则中写明慰问品（不超过100个字）。"))
    try:
        value = Decimal(str(rules.get("value") or "0"))
    except InvalidOperation:
        raise InvalidInput(_("慰问品价值应为数字，单位为元。")) from None
    if not value.is_finite() or not Decimal("0") <= value <= VALUE_MAX:
        raise InvalidInput(_("慰问品价值应在0到100000元之间。"))
    religion = str(rules.get("religion") or "").strip()[:100]
    month = rules.get("birth_month")
    if month in (None, ""):
        month = None
    elif not isinstance(month, int | str) or not str(month).isdigit() or not 1 <= int(month) <= 12:
        raise InvalidInput(_("名单规则中的生日月份应为1到12之间的整数。"))
    return ListRule(
        unit,
        tuple(attributes),
        religion,
        item,
        value.quantize(Decimal("0.01")),
        birth_month=int(month) if month is not None else None,
    )


def eligible_people(rule: ListRule) -> QuerySet[Person]:
    """Return the active people the rule puts on the list."""
    people = Person.objects.filter(unit__path__startswith=rule.unit.path, is_active=True)
    for attribute in rule.attributes:
        people = people.filter(**{attribute: True})
    if rule.birth_month is not None:
        people = people.filter(birth_date__month=rule.birth_month)
    if rule.religion:
        people = people.filter(
            Exists(
                SensitiveRecord.objects.filter(
                    person=OuterRef("pk"),
                    kind=SensitiveKind.RELIGION,
                    value=rule.religion,
                    consent_on__isnull=False,
                )
            )
        )
    return people.select_related("unit").order_by("unit__path", "employee_no")

"""Checks of what is written to proposals: each failure is a clear Chinese message and nothing
is written (the services check everything before their first write)."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from xinsheng.core.errors import InvalidInput
from xinsheng.org.models import Person

MONEY_MAX = Decimal("999999999999.99")


def refuse(field: str, message: str) -> InvalidInput:
    """Return the error naming ``field`` with ``message`` (to raise)."""
    return InvalidInput(message, fields={field: [message]})


def text_clean(field: str, value: object, *, label: str, limit: int, required: bool = True) -> str:
    """Return ``value`` trimmed; refuse it when missing (and required) or too long."""
    text = str(value or "").strip()
    if required and not text:
        raise refuse(field, _("请填写%(label)s。") % {"label": label})
    if len(text) > limit:
        raise refuse(
            field, _("%(label)s不能超过%(limit)s个字。") % {"label": label, "limit": limit}
        )
    return text


def money_clean(field: str, value: object, *, label: str) -> Decimal | None:
    """Return a sum of yuan (two decimals at most, not negative), or None when left empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise refuse(field, _("%(label)s须为金额（元）。") % {"label": label}) from None
    if not amount.is_finite() or amount < 0 or amount > MONEY_MAX:
        raise refuse(field, _("%(label)s须为不小于0的金额（元）。") % {"label": label})
    if amount != amount.quantize(Decimal("0.01")):
        raise refuse(field, _("%(label)s最多保留两位小数。") % {"label": label})
    return amount.quantize(Decimal("0.01"))


def date_clean(field: str, value: object, *, label: str) -> dt.date:
    """Return a date given as a date or ISO text."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise refuse(field, _("请填写%(label)s（年-月-日）。") % {"label": label}) from None


def person_by_no(field: str, employee_no: object) -> Person:
    """Return the person with ``employee_no``; refuse an unknown number."""
    number = str(employee_no or "").strip()[:32]
    person = Person.objects.select_related("unit").filter(employee_no=number).first()
    if not number or person is None:
        raise refuse(field, _("找不到工号为“%(no)s”的职工。") % {"no": number})
    return person


def shares_clean(proposer: Person, co_authors: list[Any] | None) -> list[tuple[Person, int]]:
    """Return the authors and their shares in percent, the proposer first.

    Without co-authors the proposer holds 100 %. With them, the proposer must be among them
    (by employee number) and the shares must be whole percentages adding to 100.
    """
    if not co_authors:
        return [(proposer, 100)]
    found: dict[int, tuple[Person, int]] = {}
    for index, item in enumerate(co_authors):
        row = item if isinstance(item, dict) else {}
        field = f"co_authors[{index}]"
        person = person_by_no(field, row.get("employee_no"))
        try:
            share = int(str(row.get("share", "")).strip())
        except ValueError:
            raise refuse(field, _("份额须为1至100之间的整数（百分比）。")) from None
        if not 1 <= share <= 100:
            raise refuse(field, _("份额须为1至100之间的整数（百分比）。"))
        if person.pk in found:
            raise refuse(field, _("署名人“%(name)s”重复。") % {"name": person.name})
        found[person.pk] = (person, share)
    if proposer.pk not in found:
        raise refuse("co_authors", _("署名人中须包括建议人本人及其份额。"))
    total = sum(share for _person, share in found.values())
    if total != 100:
        raise refuse(
            "co_authors", _("署名人份额合计须为100%%，现为%(total)s%%。") % {"total": total}
        )
    proposer_row = found.pop(proposer.pk)
    return [proposer_row, *found.values()]


def rubric_clean(criteria: object) -> list[dict[str, Any]]:
    """Return a window's rubric: criteria with a code, a name and a whole maximum score."""
    rows = criteria if isinstance(criteria, list) else []
    cleaned: list[dict[str, Any]] = []
    for item in rows:
        row = item if isinstance(item, dict) else {}
        code = str(row.get("code", "")).strip()[:20]
        name = str(row.get("name", "")).strip()[:20]
        try:
            top = int(row.get("max", 0))
        except (TypeError, ValueError):
            top = 0
        if not code or not name or not 1 <= top <= 100:
            raise refuse("criteria", _("每项评审标准须有代码、名称和1至100之间的满分。"))
        cleaned.append({"code": code, "name": name, "max": top})
    if not cleaned:
        raise refuse("criteria", _("请至少设定一项评审标准。"))
    if len({row["code"] for row in cleaned}) != len(cleaned):
        raise refuse("criteria", _("评审标准的代码不能重复。"))
    return cleaned


def tiers_clean(tiers: object) -> list[dict[str, str]]:
    """Return a window's reward tiers: a code, a name and an amount in yuan each."""
    rows = tiers if isinstance(tiers, list) else []
    cleaned: list[dict[str, str]] = []
    for item in rows:
        row = item if isinstance(item, dict) else {}
        code = str(row.get("code", "")).strip()[:20]
        name = str(row.get("name", "")).strip()[:20]
        amount = money_clean("tiers", row.get("amount"), label=_("奖金"))
        if not code or not name or amount is None or amount <= 0:
            raise refuse("tiers", _("每个奖励等级须有代码、名称和大于0的奖金（元）。"))
        cleaned.append({"code": code, "name": name, "amount": f"{amount:.2f}"})
    if len({row["code"] for row in cleaned}) != len(cleaned):
        raise refuse("tiers", _("奖励等级的代码不能重复。"))
    return cleaned

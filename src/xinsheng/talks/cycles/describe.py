"""A tier rule in words, as the rules page shows it."""

from django.db import models
from django.utils.translation import gettext as _

from xinsheng.org.choices import CadreRank, PersonGroup, UnitKind
from xinsheng.talks.models import TierRule


def _labels(values: list[str], choices: type[models.TextChoices]) -> str:
    names = dict(choices.choices)
    return "、".join(str(names.get(value, value)) for value in values)


def rule_lines(rule: TierRule) -> list[tuple[str, str]]:
    """Return (term, description) lines saying who hosts, how far they reach, and whom."""
    host = []
    if rule.host_unit_kinds:
        host.append(_("单位类型：%(kinds)s") % {"kinds": _labels(rule.host_unit_kinds, UnitKind)})
    if rule.host_ranks:
        host.append(_("干部级别：%(ranks)s") % {"ranks": _labels(rule.host_ranks, CadreRank)})
    if rule.host_principal:
        host.append(_("须为主要负责人"))
    target = []
    if rule.target_unit_kinds:
        target.append(
            _("单位类型：%(kinds)s") % {"kinds": _labels(rule.target_unit_kinds, UnitKind)}
        )
    if rule.target_principal:
        target.append(_("须为主要负责人"))
    either = []
    if rule.target_ranks:
        either.append(_("干部级别：%(ranks)s") % {"ranks": _labels(rule.target_ranks, CadreRank)})
    if rule.target_groups:
        either.append(_("群体：%(groups)s") % {"groups": _labels(rule.target_groups, PersonGroup)})
    if either:
        target.append(_("，或").join(either))
    return [
        (_("谈话人"), "；".join(host) or _("不限")),
        (_("谈话范围"), str(rule.get_reach_display())),
        (_("谈话对象"), "；".join(target) or _("范围内所有人员")),
    ]

"""The organisation: a tree of units, the people in them, and the roles people hold at units."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from xinsheng.core.models import TimeStamped
from xinsheng.org.choices import CadreRank, Role, UnitKind

UNIT_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"


def in_subtree(root: "OrgUnit | str", *, via: str = "") -> dict[str, str]:
    """Return the filter keeping what lies in the subtree of ``root`` (a unit or its path).

    ``via`` is the relation that leads from the filtered rows to their unit (``"origin_unit"``,
    ``"unit"`` …; empty for units themselves). Use it as ``filter(**in_subtree(unit, via="unit"))``
    or ``Q(**in_subtree(...))``.
    """
    path = root if isinstance(root, str) else root.path
    return {f"{via}__path__startswith" if via else "path__startswith": path}


class OrgUnit(MP_Node, TimeStamped):  # type: ignore[django-manager-missing]
    """A node of the tree 集团 → 公司 → 矿/厂 → 区队/科室/党支部 → 班组.

    ``path`` (from treebeard) encodes the ancestry, so a subtree is a path prefix (``in_subtree``
    above says it once for every query). ``path`` is unique, and for a unique text column Django
    also creates a ``varchar_pattern_ops`` index on PostgreSQL, so that prefix search is an index
    range scan (see bench/subtree_scope.py).
    """

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=UnitKind.choices)
    code = models.CharField(
        _("单位代码"),
        max_length=32,
        unique=True,
        help_text=_("简短稳定的公开代码，用于二维码链接；字母、数字、短横线。"),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    node_order_by: list[str] = []

    class Meta:
        verbose_name = _("组织单位")
        verbose_name_plural = _("组织单位")
        indexes = [
            models.Index(fields=["name"], name="org_unit_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def company_path(self) -> str:
        """Return the path of the company this unit belongs to (the root's child above it)."""
        return str(self.path[: self.steplen * 2])

    @property
    def level(self) -> int:
        """Return the depth, 1 for the root."""
        return int(self.depth)


class Person(TimeStamped):
    """A member of the workforce, with an optional login account."""

    employee_no = models.CharField(_("工号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="people"
    )
    position = models.CharField(_("职务/岗位"), max_length=100, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    is_active = models.BooleanField(_("在职"), default=True)
    # For birthday wishes (生日祝福): the lists of a month read the month of it.
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    # What the talk rules (talks) and the assistance programmes (care) ask about a person.
    cadre_rank = models.CharField(
        _("干部级别"), max_length=16, choices=CadreRank.choices, blank=True
    )
    # The principal (正职) of their unit: 党政主要负责人 of a mine, 区队长/科长/支部书记 below.
    is_principal = models.BooleanField(_("单位主要负责人"), default=False)
    is_party_member = models.BooleanField(_("党员"), default=False)
    is_technical_talent = models.BooleanField(_("技术技能人才"), default=False)
    is_team_leader = models.BooleanField(_("班组长"), default=False)
    is_backbone = models.BooleanField(_("业务骨干"), default=False)
    is_manager = models.BooleanField(_("管理人员"), default=False)
    # Units a leader is in charge of (分管) besides the one they belong to.
    units_in_charge = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("分管单位"),
        through="UnitCharge",
        related_name="leaders_in_charge",
        blank=True,
    )

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["unit__path", "employee_no"]
        indexes = [models.Index(fields=["name"], name="org_person_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.employee_no}）"


class UnitCharge(TimeStamped):
    """A leader in charge of (分管) a unit: they answer for it, and talk with its people."""

    person = models.ForeignKey(
        Person, verbose_name=_("分管领导"), on_delete=models.CASCADE, related_name="charges"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("分管单位"), on_delete=models.CASCADE, related_name="charges"
    )

    class Meta:
        verbose_name = _("分管关系")
        verbose_name_plural = _("分管关系")
        constraints = [
            models.UniqueConstraint(fields=["person", "unit"], name="org_charge_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} 分管 {self.unit.name}"


def mask_phone(phone: str) -> str:
    """Return ``phone`` with its middle digits hidden: 13812341234 → 138****1234."""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


class RoleAssignment(TimeStamped):
    """A role a person holds at a unit; it covers the unit's whole subtree."""

    person = models.ForeignKey(
        Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="roles"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="role_holders"
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("角色任命")
        verbose_name_plural = _("角色任命")
        constraints = [
            models.UniqueConstraint(fields=["person", "unit", "role"], name="org_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.get_role_display()} @ {self.unit.name}"

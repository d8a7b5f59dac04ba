"""The organisation: a tree of units, the people in them, and the roles people hold at units."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from xinsheng.core.models import TimeStamped
from xinsheng.org.choices import Role, UnitKind

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

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["unit__path", "employee_no"]
        indexes = [models.Index(fields=["name"], name="org_person_name")]

    def __str__(self) -> str:
        return f"{self.name}（{self.employee_no}）"


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


STALLED_AFTER = timedelta(minutes=2)


class ImportJob(TimeStamped):
    """One upload of units and people: the file, the dry run's report, and whether it was applied.

    The file is kept in the database so that a task worker on another machine can read it. Jobs
    are never deleted: they are the record of who imported what.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")  # uploaded; waiting for a worker to check it
        CHECKING = "checking", _("预检中")  # a worker is reading and checking the rows
        CHECKED = "checked", _("已预检")  # the dry run's report is ready
        APPLYING = "applying", _("写入中")  # asked to apply; written in one transaction
        APPLIED = "applied", _("已导入")  # written
        FAILED = "failed", _("失败")  # the file could not be read, or the work broke off

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    file_name = models.CharField(_("文件名"), max_length=200)
    content = models.BinaryField(_("文件内容"))
    language = models.CharField(_("语言"), max_length=16, default="zh-hans")
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("数据行数"), default=0)
    checked_rows = models.PositiveIntegerField(_("已检查行数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    change_count = models.PositiveIntegerField(_("新增和修改行数"), default=0)
    report = models.JSONField(_("预检结果"), null=True, blank=True)
    # Hash of the writes the dry run planned; applying re-checks and must arrive at the same.
    digest = models.CharField(max_length=64, blank=True)
    message = models.CharField(_("说明"), max_length=500, blank=True)
    checked_at = models.DateTimeField(_("预检时间"), null=True, blank=True)
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["actor", "-created_at"], name="org_import_actor")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        """Return whether a worker has yet to finish with this job."""
        return self.status in {self.Status.QUEUED, self.Status.CHECKING, self.Status.APPLYING}

    @property
    def is_stalled(self) -> bool:
        """Return whether a running job has not moved for a while (is a worker running?)."""
        return self.is_running and timezone.now() - self.updated_at > STALLED_AFTER

    @property
    def can_apply(self) -> bool:
        """Return whether the dry run found something to write and nothing wrong."""
        return (
            self.status == self.Status.CHECKED and self.error_count == 0 and self.change_count > 0
        )

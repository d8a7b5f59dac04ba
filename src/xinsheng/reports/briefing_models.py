"""The stored work briefing: the text staff edit, and the figures it was generated with."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xinsheng.core.models import TimeStamped
from xinsheng.org.models import OrgUnit


class Briefing(TimeStamped):
    """A briefing of a unit subtree over a period.

    ``paragraphs`` (a list of strings) and ``title`` are what staff edit after generation.
    ``figures`` is kept exactly as generated — the raw figures of both periods and the table
    shown — so that the table of a briefing never drifts from what it was written with.
    """

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("开始日期"))
    period_end = models.DateField(_("结束日期"))
    period_kind = models.CharField(_("统计周期"), max_length=8)
    title = models.CharField(_("标题"), max_length=200)
    paragraphs = models.JSONField(_("正文"), default=list)
    figures = models.JSONField(_("数据表"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects: "models.Manager[Briefing]" = models.Manager()

    class Meta:
        app_label = "reports"
        verbose_name = _("工作简报")
        verbose_name_plural = _("工作简报")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["unit", "-updated_at"], name="reports_briefing_unit")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="reports_briefing_period_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

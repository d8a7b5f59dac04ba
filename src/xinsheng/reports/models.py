"""Aggregated figures: what each case counts for, summed per unit and day (and month).

Four layers, each derived from the one before and never edited by hand:

- ``CaseFigure``: what one case counts for, per (unit, day) it touches — computed from the case,
  its events and its ratings by ``reports.counting``. It is what the drill-down lists read, so a
  list of "the cases behind a number" holds exactly the cases that number counted.
- ``UnitFigures``: the sums of ``CaseFigure`` per (unit, day) (``grain = day``), of those per
  (unit, month) and of the months per (unit, year); a period is read as whole years, then whole
  months, then the days at its edges, so a year costs one row per unit.
- ``UnitBreakdown``: cases received per (unit, day or month) by channel and by category.
- ``SubtreeFigures`` and ``SubtreeBreakdown``: the same sums over a unit's whole subtree (its own
  rows and those of every unit under it), so that a subtree's year is one row, not one per unit
  (``reports.subtree_sums`` keeps them).

Every row carries the unit's tree path beside the unit, so that a subtree roll-up is one
``path LIKE 'prefix%'`` range with no join. ``docs/metrics.md`` defines every counter.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from xinsheng.cases.models import Case, Category
from xinsheng.org.models import OrgUnit

# The counters every layer carries, in the order of docs/metrics.md.
COUNTERS: tuple[str, ...] = (
    "received",
    "rejected",
    "merged",
    "dispatched",
    "returned",
    "response_due",
    "responded",
    "rated",
    "solved",
    "satisfied",
    "basically_satisfied",
    "unsatisfied",
    "reopened",
    "supervised",
    "closed",
    "closed_on_time",
    "closed_unrated",
    "handled",
    "handling_days",
)


class Counters(models.Model):
    """Abstract base: the counters from which every figure is a sum (see docs/metrics.md)."""

    # Volume, at the origin unit on the day of submission.
    received = models.PositiveIntegerField(default=0)  # every case submitted or recorded
    rejected = models.PositiveIntegerField(default=0)  # ... now 不予受理
    merged = models.PositiveIntegerField(default=0)  # ... now merged into another case
    # Dispatches, at the unit dispatched to, on the day of dispatch.
    dispatched = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)  # ... that the unit sent back (退单)
    # Response, at the unit dispatched to, on the day of the response deadline.
    response_due = models.PositiveIntegerField(default=0)
    responded = models.PositiveIntegerField(default=0)  # ... signed on or before the deadline
    # Ratings, at the responsible unit, on the day of the rating (one per rating row).
    rated = models.PositiveIntegerField(default=0)
    solved = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    basically_satisfied = models.PositiveIntegerField(default=0)
    unsatisfied = models.PositiveIntegerField(default=0)
    # Re-handling and supervision, at the responsible unit, on the day it happened.
    reopened = models.PositiveIntegerField(default=0)
    supervised = models.PositiveIntegerField(default=0)
    # Closing, at the responsible unit, on the day the case was (last) closed.
    closed = models.PositiveIntegerField(default=0)
    closed_on_time = models.PositiveIntegerField(default=0)  # last answer by the deadline
    closed_unrated = models.PositiveIntegerField(default=0)  # closed as not rated
    handled = models.PositiveIntegerField(default=0)  # closed with dispatch and answer times
    handling_days = models.PositiveIntegerField(default=0)  # working days, dispatch → answer

    class Meta:
        abstract = True


class CaseFigure(Counters):
    """What one case counts for at one unit on one day. Replaced whole when the case moves."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255)
    day = models.DateField()
    # Set on the row that counts the case as received, for the breakdowns.
    channel = models.CharField(max_length=16, blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("诉求计数")
        verbose_name_plural = _("诉求计数")
        indexes = [
            models.Index(fields=["unit", "day"], name="reports_casefig_unit_day"),
            models.Index(fields=["day", "path"], name="reports_casefig_day_path"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} @ {self.unit_id} {self.day}"


class Grain(models.TextChoices):
    DAY = "d", _("日")  # the row sums one day
    MONTH = "m", _("月")  # the row sums one calendar month (``start`` is its first day)
    YEAR = "y", _("年")  # the row sums one calendar year (``start`` is 1 January)


class UnitPeriod(models.Model):
    """One unit's (``path`` as it was written) row for one day, month or year."""

    grain = models.CharField(max_length=1, choices=Grain.choices)
    start = models.DateField()
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255)

    class Meta:
        abstract = True


class UnitFigures(Counters, UnitPeriod):
    """The counters of one unit (its own cases, not its subtree) for one day, month or year."""

    class Meta:
        verbose_name = _("单位统计")
        verbose_name_plural = _("单位统计")
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "unit", "start"], name="reports_unitfigures_one_row"
            )
        ]
        indexes = [
            # Covering on PostgreSQL: a dashboard sums these rows from the index alone.
            models.Index(
                fields=["grain", "start", "path"],
                include=["unit", *COUNTERS],
                name="reports_unitfig_grain_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.grain} {self.start}"


class Dimension(models.TextChoices):
    CHANNEL = "channel", _("渠道")
    CATEGORY = "category", _("类别")


class Breakdown(UnitPeriod):
    """Cases of one row's unit (or subtree) and period with one channel or one category."""

    dimension = models.CharField(max_length=8, choices=Dimension.choices)
    key = models.CharField(max_length=32, blank=True)  # channel value, or category id ("": none)
    cases = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class UnitBreakdown(Breakdown):
    """Cases received by one unit in one day, month or year, by channel or by category."""

    class Meta:
        verbose_name = _("单位分类统计")
        verbose_name_plural = _("单位分类统计")
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "unit", "start", "dimension", "key"],
                name="reports_breakdown_one_row",
            )
        ]
        indexes = [
            models.Index(
                fields=["grain", "dimension", "start", "path"],
                include=["key", "cases"],
                name="reports_breakdown_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.grain} {self.start} {self.dimension}={self.key}"


class SubtreeFigures(Counters, UnitPeriod):
    """The counters of one unit's whole subtree (itself included) for one day, month or year.

    The sums of the ``UnitFigures`` rows of the same grain and start whose path lies under the
    unit's, kept beside them, so that a subtree's figures for a year are one row however many
    units it holds.
    """

    class Meta:
        verbose_name = _("下辖统计")
        verbose_name_plural = _("下辖统计")
        constraints = [
            # Also the index of every read: one unit (or a few), one grain, some starts.
            models.UniqueConstraint(
                fields=["unit", "grain", "start"], name="reports_subtreefigures_one_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} subtree {self.grain} {self.start}"


class SubtreeBreakdown(Breakdown):
    """Cases received by one unit's whole subtree in one day, month or year, by channel or
    by category: the sums of the ``UnitBreakdown`` rows under the unit's path."""

    class Meta:
        verbose_name = _("下辖分类统计")
        verbose_name_plural = _("下辖分类统计")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "grain", "dimension", "start", "key"],
                name="reports_subtreebreakdown_one_row",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} subtree {self.grain} {self.start} {self.dimension}={self.key}"


class FiguresState(models.Model):
    """How far the figures are folded in: one row.

    ``watermark`` is the highest ``CaseEvent.id`` already folded in. ``gaps`` lists id ranges
    below it that were missing when it moved (a transaction still open, or rolled back), as
    ``[low, high, first seen ISO time]``; they are looked at again until they appear or expire.
    """

    watermark = models.BigIntegerField(default=0)
    gaps = models.JSONField(default=list, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("统计进度")
        verbose_name_plural = _("统计进度")

    def __str__(self) -> str:
        return f"watermark {self.watermark}"


# Briefings live in their own module; importing them here registers them with the app.
from xinsheng.reports.briefing_models import Briefing  # noqa: E402,F401

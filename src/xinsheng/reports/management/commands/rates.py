"""Print the figures of a unit subtree for a period: ``xinsheng rates --unit CODE --from --to``."""

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xinsheng.core.errors import InvalidInput
from xinsheng.core.periods import Period, period_between
from xinsheng.core.plugins import FigureSource, contributions
from xinsheng.org.models import OrgUnit
from xinsheng.reports.metrics import figures_compared
from xinsheng.reports.presentation import LINES, change_shown, shown, value_of


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"not a date (YYYY-MM-DD): {text}") from exc


class Command(BaseCommand):
    help = (
        "Print the figures (the three rates, score, volume …) of a unit and its subtree for a "
        "period, beside the period before; --json for scripts."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="unit code")
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="print JSON instead of a table")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = OrgUnit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"no unit with code {options['unit']}")
        try:
            period = period_between(_date(options["start"]), _date(options["end"]))
        except InvalidInput as exc:
            raise CommandError(str(exc.message)) from exc
        comparison = figures_compared(unit, period)
        if options["json"]:
            payload = {
                "current": comparison.current.as_dict() | _other_figures(unit, period),
                "previous": comparison.previous.as_dict()
                | _other_figures(unit, comparison.previous.period),
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self._table(comparison, unit)

    def _table(self, comparison: Any, unit: OrgUnit) -> None:
        current, previous = comparison.current, comparison.previous
        self.stdout.write(f"{unit.name}（{unit.code}）")
        self.stdout.write(
            _("本期 %(start)s 至 %(end)s；上期 %(previous_start)s 至 %(previous_end)s")
            % {
                "start": current.period.start,
                "end": current.period.end,
                "previous_start": previous.period.start,
                "previous_end": previous.period.end,
            }
        )
        rows = [(_("指标"), _("本期"), _("上期"), _("变化"))]
        for line in LINES:
            now, before = value_of(current, line.key), value_of(previous, line.key)
            rows.append(
                (
                    str(line.label),
                    shown(now, line.kind),
                    shown(before, line.kind),
                    change_shown(now, before, line.kind),
                )
            )
        widths = [max(_width(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            cells = [cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)]
            self.stdout.write("  ".join(cells).rstrip())


def _other_figures(unit: OrgUnit, period: Period) -> dict[str, Any]:
    """Return what the installed apps count beside the cases (the ``FIGURES`` hook), by key."""
    sources: list[FigureSource] = contributions("FIGURES")
    return {source.key: source.build(unit=unit, period=period) for source in sources}


def _width(text: str) -> int:
    """Return the columns ``text`` takes in a terminal (a Chinese character takes two)."""
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)

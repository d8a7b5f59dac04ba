"""Run the scheduled work of the cases app now: ``xinsheng cases_sweep`` (for cron or a timer)."""

from typing import Any

from django.core.management.base import BaseCommand

from xinsheng.cases import tasks
from xinsheng.core.catch_up import catch_up_for


class Command(BaseCommand):
    help = (
        "Mark overdue cases, remind units of cases due tomorrow, and close answers left unrated "
        "for the configured days. Runs in this process; safe to repeat."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        swept = tasks.deadline_sweep.call()
        closed = tasks.close_unrated.call()
        catch_up_for(self)
        self.stdout.write(
            f"{swept['overdue']} marked overdue, {swept['reminded']} reminded, "
            f"{closed} closed as not rated."
        )

"""Load the demo enterprise: ``xinsheng demo [--seed N]``.

Each app that has demo data contributes a loader to ``LOADERS``; they run in that order, in one
transaction, and the whole load is one audit event. Once loaded, the demo is left as it is.
"""

import os
import unicodedata
from typing import Any, Protocol

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from xinsheng.cases import demo as cases_demo
from xinsheng.cases.choices import CaseStatus
from xinsheng.core.audit import audit_record
from xinsheng.core.errors import XinshengError
from xinsheng.insight import demo as insight_demo
from xinsheng.org import demo as org_demo
from xinsheng.projects import demo as projects_demo
from xinsheng.reports import demo as reports_demo


class DemoLoader(Protocol):
    def __call__(self, *, seed: int) -> dict[str, int]:
        """Build this app's part of the demo from ``seed``; return the numbers created."""


# (app, loader) in the order they build on one another; later apps append theirs.
LOADERS: tuple[tuple[str, DemoLoader], ...] = (
    ("org", org_demo.demo_load),
    ("cases", cases_demo.demo_load),
    ("projects", projects_demo.demo_load),
    ("reports", reports_demo.demo_load),  # after every event is written
    ("insight", insight_demo.demo_load),
)


class Command(BaseCommand):
    help = "Load the demo enterprise (a fictional coal-mining group) unless it is loaded already."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=org_demo.DEFAULT_SEED,
            help=f"seed of the generated data (default {org_demo.DEFAULT_SEED})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seed: int = options["seed"]
        try:
            summary = load(seed=seed)
        except XinshengError as error:
            raise CommandError(str(error.message)) from error
        group = org_demo.demo_group()
        if summary is None:
            self.stdout.write(
                f"The demo enterprise {group.name} ({group.code}) is loaded already; "
                "nothing changed."
            )
        elif org := summary.get("org"):
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo enterprise {group.name} ({group.code}) from seed {seed}: "
                    f"{org['units']} units, {org['people']:,} people."
                )
            )
        self.stdout.write(accounts_block())
        if summary is not None:
            self.stdout.write(cases_block(summary.get("cases", {})))


def load(*, seed: int) -> dict[str, Any] | None:
    """Run every demo loader in one transaction; return what they made, or None if loaded."""
    with transaction.atomic():
        org_loaded = org_demo.demo_exists()
        summary: dict[str, Any] = {}
        for app, loader in LOADERS:
            if app == "org" and org_loaded:
                continue
            if made := loader(seed=seed):  # later loaders skip what exists themselves
                summary[app] = made
        if not summary:
            return None
        audit_record(
            actor=None,
            action="demo.load",
            obj=org_demo.demo_group(),
            after={"seed": seed, **summary},
            note="xinsheng demo",
        )
    return summary


def accounts_block() -> str:
    """Return the address and the table of demo accounts, for the operator's console."""
    port = os.environ.get("PORT", "8000")
    rows = [("username", "role", "unit", "person")]
    rows += [
        (
            account.username,
            f"{account.role.label} ({account.role.value})",
            f"{account.unit_name} ({account.unit_code})",
            account.name,
        )
        for account in org_demo.demo_accounts()
    ]
    widths = [max(_width(row[column]) for row in rows) for column in range(3)]
    lines = [
        "",
        f"  Open http://127.0.0.1:{port}/ and sign in with one of these accounts.",
        f"  Password of every demo account: {org_demo.DEMO_PASSWORD}",
        "",
    ]
    for row in rows:
        cells = [_pad(cell, width) for cell, width in zip(row, widths, strict=False)]
        lines.append("  " + "  ".join([*cells, row[3]]))
    return "\n".join(lines) + "\n"


# What is said of the demo cases besides their number in each state.
CASE_FIGURES = (
    "closed_rated",
    "closed_not_rated",
    "ratings",
    "overdue",
    "extension_asked",
    "reopened",
    "supervised",
    "escalated",
    "anonymous",
)


def cases_block(cases: dict[str, int]) -> str:
    """Return the demo cases by state, for the operator's console."""
    if not cases:
        return ""
    states = ", ".join(f"{state} {cases.get(state, 0):,}" for state in CaseStatus)
    figures = ", ".join(f"{name.replace('_', ' ')} {cases.get(name, 0):,}" for name in CASE_FIGURES)
    return (
        f"\n  {cases['cases']:,} cases of the last 12 months in {cases.get('categories', 0)} "
        f"categories, worked by the accounts above and {cases.get('staff_accounts', 0)} more\n"
        "  in the other mines and offices (same password, e.g. handler-jt-c1-m2-a01).\n"
        f"  By state: {states}.\n"
        f"  Of them: {figures}.\n"
    )


def _width(text: str) -> int:
    """Return how many terminal columns ``text`` takes (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))

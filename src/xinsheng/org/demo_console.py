"""What ``xinsheng demo`` tells the operator about the demo organisation and its accounts."""

import os
import unicodedata
from typing import Any

from xinsheng.org import demo as org_demo


def org_demo_load(*, seed: int) -> dict[str, int]:
    """Build the demo organisation unless it is there already."""
    if org_demo.demo_exists():
        return {}
    return org_demo.demo_load(seed=seed)


def org_demo_report(*, summary: dict[str, Any] | None, seed: int) -> str:
    """Return what was loaded (or that nothing was) and the table of demo accounts."""
    group = org_demo.demo_group()
    lines = []
    if summary is None:
        lines.append(
            f"The demo enterprise {group.name} ({group.code}) is loaded already; nothing changed."
        )
    elif org := summary.get("org"):
        lines.append(
            f"Loaded the demo enterprise {group.name} ({group.code}) from seed {seed}: "
            f"{org['units']} units, {org['people']:,} people "
            f"({org.get('cadres', 0)} cadres, {org.get('party_members', 0):,} party members, "
            f"{org.get('units_in_charge', 0)} units in charge of deputy leaders)."
        )
    return "\n".join([*lines, accounts_block()])


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


def _width(text: str) -> int:
    """Return how many terminal columns ``text`` takes (Chinese characters take two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))

"""What ``xinsheng demo`` tells the operator about the demo cases."""

from typing import Any

from xinsheng.cases.choices import CaseStatus

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


def cases_demo_report(*, summary: dict[str, Any] | None, seed: int) -> str:
    """Return the demo cases by state, for the operator's console (nothing if none were made)."""
    cases = (summary or {}).get("cases")
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

"""Template filters of the reports pages: rates as percentages, changes with their sign."""

from typing import Any

from django import template
from django.core.exceptions import ObjectDoesNotExist

register = template.Library()

DASH = "—"


@register.filter
def person_name(user: Any) -> str:
    """Return the name of the person a user account belongs to; its username when it has none."""
    if user is None:
        return DASH
    try:
        return str(user.person.name)
    except ObjectDoesNotExist:
        return str(user.get_username())


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """Return a rate (0–1) as a percentage, "—" when there is none."""
    if value is None:
        return DASH
    return f"{value * 100:.{digits}f}%"


@register.filter
def decimal(value: float | None, digits: int = 1) -> str:
    """Return a number with ``digits`` decimals, "—" when there is none."""
    if value is None:
        return DASH
    return f"{value:.{digits}f}"


@register.filter
def points(current: float | None, previous: float | None) -> str:
    """Return the change of a rate in percentage points, signed ("+2.5", "−1.0")."""
    if current is None or previous is None:
        return ""
    change = (current - previous) * 100
    return f"{'+' if change >= 0 else '−'}{abs(change):.1f}"


@register.filter
def change(current: int, previous: int) -> str:
    """Return the change of a count, signed ("+12", "−3", "0")."""
    difference = current - previous
    return f"+{difference}" if difference > 0 else f"−{-difference}" if difference < 0 else "0"

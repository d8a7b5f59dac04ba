"""Filters of the survey pages: shares as percentages, and changes with their sign."""

from django import template

from xinsheng.core.chinese_numbers import percent

register = template.Library()


@register.filter
def as_percent(value: float | None) -> str:
    """Return a fraction as the percentage a report shows (``—`` for none)."""
    return percent(value)


@register.filter
def signed(value: float | None) -> str:
    """Return a change with its sign (``+0.25``, ``-0.10``, ``—``)."""
    if value is None:
        return "—"
    return f"{value:+.2f}"


@register.filter
def change_class(value: float | None) -> str:
    """Return the class that colours a change: up green, down red."""
    if not value:
        return ""
    return "change-up" if value > 0 else "change-down"

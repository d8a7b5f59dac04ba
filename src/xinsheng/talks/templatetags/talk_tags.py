"""Template filters of the talks pages."""

from django import template

from xinsheng.core.chinese_numbers import percent as percent_words

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """Return a fraction as a percentage with one decimal (0.853 → 85.3%); None → —."""
    return percent_words(value)

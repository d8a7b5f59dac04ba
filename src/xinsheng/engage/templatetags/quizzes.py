"""Filters of the quiz pages: a name on a board as the organiser chose to show it."""

from django import template

from xinsheng.engage.quizzes.names import shown_name

register = template.Library()


@register.filter
def board_name(name: str, full: bool) -> str:
    """Return ``name`` whole when ``full``, else its surname followed by stars (``王*``)."""
    return shown_name(name, full=bool(full))

"""Template filters of the ledger page: whether to offer the export and import links."""

from django import template

from xinsheng.core.actors import Actor
from xinsheng.org import permissions

register = template.Library()


@register.filter
def may_anywhere(actor: Actor, action: str) -> bool:
    """Return whether ``actor`` may do ``action`` somewhere (to show or hide a link)."""
    return permissions.may_anywhere(actor, action)

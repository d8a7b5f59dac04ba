"""Where assistance permissions are checked: at the unit path a row was written at."""

from xinsheng.core.actors import Actor
from xinsheng.core.errors import Forbidden
from xinsheng.org import permissions


def may_at_path(actor: Actor, action: str, path: str) -> bool:
    """Return whether ``actor`` may do ``action`` to what lies at ``path`` (a unit path).

    Files, applications and payments keep the unit path of their person as it was when
    written; lists are scoped on it, and so is every check on one row, so that both agree.
    """
    return any(path.startswith(root) for root in permissions.scope_paths(actor, action))


def require_at_path(actor: Actor, action: str, path: str) -> None:
    """Raise ``Forbidden`` unless ``actor`` may do ``action`` at ``path``."""
    if not may_at_path(actor, action, path):
        raise Forbidden()

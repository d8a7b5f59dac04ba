"""Where a talk record's permissions are checked: at the unit path it was written at."""

from xinsheng.core.actors import Actor
from xinsheng.org import permissions


def may_at_path(actor: Actor, action: str, path: str) -> bool:
    """Return whether ``actor`` may do ``action`` to what lies at ``path`` (a unit path).

    Records keep their unit's path as it was when written (``TalkRecord.unit_path``); lists
    are scoped on it, and so is every check on one record, so that both agree.
    """
    return any(path.startswith(root) for root in permissions.scope_paths(actor, action))

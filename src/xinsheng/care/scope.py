"""Where assistance permissions are checked: at the unit path a row was written at."""

from xinsheng.core.actors import Actor
from xinsheng.core.errors import Forbidden
from xinsheng.org import permissions
from xinsheng.org.models import OrgUnit


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


def in_subtree(path: str, field: str = "unit_path") -> dict[str, str]:
    """Return the filter keeping rows whose ``field`` lies in the subtree of ``path``.

    Beside the prefix test it bounds the path as a range (from ``path`` to the first path after
    its subtree), so that PostgreSQL reads the composite indexes that begin with the path
    (``(unit_path, paid_on)`` …) as a range scan: a ``LIKE`` prefix alone needs an index with
    ``varchar_pattern_ops``, which those are not. Paths use treebeard's alphabet, digits and
    capitals, which every collation orders alike.
    """
    found = {f"{field}__startswith": path}
    alphabet = OrgUnit.alphabet
    stem = path.rstrip(alphabet[-1])
    if stem:
        upper = stem[:-1] + alphabet[alphabet.index(stem[-1]) + 1]
        found |= {f"{field}__gte": path, f"{field}__lt": upper}
    return found

"""Every hook the apps contribute to is described in the table of ``core.plugins``: who reads it
and what its entries are, so that a new app's author learns the hooks from one place."""

import ast
import inspect
import re

from xinsheng.core import plugins
from xinsheng.core.plugins import plugin_modules

TABLE_ROW = re.compile(r"^``([A-Z_]+)``\s+\S", re.MULTILINE)
NOT_HOOKS = {"PLUGIN_MODULE"}


def documented() -> set[str]:
    return set(TABLE_ROW.findall(plugins.__doc__ or ""))


def contributed() -> set[str]:
    """Return the upper-case names the apps' plugins modules assign (not those they import)."""
    names = set()
    for module in plugin_modules():
        for node in ast.parse(inspect.getsource(module)).body:
            targets = node.targets if isinstance(node, ast.Assign) else []
            if isinstance(node, ast.AnnAssign):
                targets = [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper()}
    return names - NOT_HOOKS


def test_every_hook_an_app_contributes_to_is_in_the_table() -> None:
    assert contributed() - documented() == set()


def test_the_table_names_the_case_page_actions_and_their_entries() -> None:
    assert "CASE_ACTIONS" in documented()
    row = plugins.__doc__.split("``CASE_ACTIONS``", 1)[1].split("\n``", 1)[0]  # type: ignore[union-attr]
    assert "``cases``" in row
    assert ":class:`CaseAction`" in row


def test_each_entry_class_the_table_names_exists() -> None:
    named = set(re.findall(r":class:`(\w+)`", plugins.__doc__ or ""))
    assert named
    assert all(hasattr(plugins, name) for name in named), sorted(
        name for name in named if not hasattr(plugins, name)
    )

"""Form widgets whose HTML is rendered once per distinct input, then reused.

Django renders every widget through templates: a select of twenty options is twenty template
includes. A filter form shown on every request of a list page renders the same widgets with the
same few values again and again, so the widgets here keep the HTML they rendered, keyed by all
that it depends on: the widget's kind and templates, the field's name, the value, the final
attributes, the choices as shown (labels translated, so a change of language or of a choice's
label is a new key) and the active language. A choice added, renamed or removed makes a new key
of itself: nothing needs invalidating. The store is bounded and emptied when full.
"""

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django import forms
from django.utils.safestring import SafeString
from django.utils.translation import get_language

STORE_MAX = 2048  # distinct renderings kept per process
_store: dict[Hashable, Any] = {}
Kept = TypeVar("Kept")


def frozen(value: Any) -> Hashable:
    """Return ``value`` as a hashable key that tells apart what renders differently."""
    if isinstance(value, dict):
        return tuple(sorted((str(key), frozen(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(frozen(item) for item in value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return (type(value).__name__, value)
    return (type(value).__name__, str(value))  # lazy translations, dates, decimals …


def remembered(key: Hashable, render: Callable[[], Kept]) -> Kept:
    """Return what is kept under ``key`` (with the language), rendering it the first time."""
    key = (get_language(), key)
    found: Kept | None = _store.get(key)
    if found is None:
        found = render()
        if len(_store) >= STORE_MAX:
            _store.clear()
        _store[key] = found
    return found


class RememberedRender:
    """Widget mixin: ``render`` keeps its HTML per distinct input (see the module)."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget: Any = self
        key = (
            type(widget),
            widget.template_name,
            getattr(widget, "option_template_name", None),
            getattr(widget, "input_type", None),
            getattr(widget, "format", None),
            widget.is_localized,
            type(renderer),
            name,
            frozen(value),
            frozen(widget.build_attrs(widget.attrs, attrs)),
            frozen([(choice, label) for choice, label in getattr(widget, "choices", ())]),
        )
        parent: Any = super()
        rendered: SafeString = remembered(key, lambda: parent.render(name, value, attrs, renderer))
        return rendered


class Select(RememberedRender, forms.Select):
    pass


class TextInput(RememberedRender, forms.TextInput):
    pass


class DateInput(RememberedRender, forms.DateInput):
    pass


class CheckboxInput(RememberedRender, forms.CheckboxInput):
    pass

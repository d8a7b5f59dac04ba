"""Forms whose fields are copied once per class instead of once per form.

Django gives every form a deep copy of its class's fields, so that a form may change its own
fields (their choices, widgets, labels) without touching the others. A form that never changes
them pays for that copy on every request anyway: for the phone form, a dozen fields with their
widgets, validators and choices, a good part of the work of taking a voice. ``FieldsCopiedOnce``
copies them once per class, and each form gets its own dictionary holding those same field
objects: a form may still add or remove fields, but must not change a field itself (its
attributes, widget or choices) after the class is defined.

A field keeps nothing of the data it cleans or of the form it is shown in: the values, errors
and bound fields belong to the form; labels and messages are translated each time they are
shown.
"""

import copy
from typing import Any

from django import forms


class _CopiedOnce(dict[str, forms.Field]):
    """A class's fields, whose deep copy is made once and then handed out as a new dictionary
    of the same field objects."""

    _copied: dict[str, forms.Field] | None = None

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, forms.Field]:
        if self._copied is None:
            self._copied = {name: copy.deepcopy(field, memo) for name, field in self.items()}
        return dict(self._copied)


class FieldsCopiedOnce(forms.Form):
    """A form whose fields are copied once for its class (see the module's description)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls = type(self)
        if not isinstance(cls.__dict__.get("base_fields"), _CopiedOnce):
            cls.base_fields = _CopiedOnce(cls.base_fields)  # its own: a subclass gets another
        super().__init__(*args, **kwargs)

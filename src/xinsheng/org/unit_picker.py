"""A form field for choosing a unit among many of the same name, with or without JavaScript.

The field is a text box (name, code or path) and the code of the unit chosen from its list
(``<name>_choice``). With JavaScript, typing lists the units found, each with its path (一矿 ›
综采一队), and a tap chooses one (``static/xinsheng/unit-picker.js``). Without it, the form is sent
as typed; when the text names several units or none exactly, the form comes back with them to
choose among as radio buttons. The form resolves the value with ``unit_picked`` (it knows the
acting user; a field does not).
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xinsheng.core.actors import Actor
from xinsheng.org.models import OrgUnit
from xinsheng.org.unit_selectors import FoundUnit, unit_resolve_for

CANDIDATE_LIMIT = 20
TEXT_MAX = 100


@dataclass(frozen=True)
class Picked:
    """What a unit picker sends: the text typed, and the code chosen from its list (or "")."""

    text: str
    choice: str = ""

    @classmethod
    def of(cls, found: FoundUnit) -> "Picked":
        """Return the value showing ``found`` chosen, as a suggestion starts the picker."""
        return cls(found.trail, found.code)


class UnitPickerWidget(forms.Widget):
    """The text box, the chosen code, the list the page fills as one types, and the choices."""

    template_name = "org/widgets/unit_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.candidates: list[FoundUnit] = []  # to choose among, after a text that was unclear

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Picked:
        return Picked(
            str(data.get(name, "")).strip()[:TEXT_MAX], str(data.get(f"{name}_choice", ""))[:32]
        )

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_choice" not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        picked = value if isinstance(value, Picked) else Picked(str(value or ""))
        widget = context["widget"]
        list_id = f"{widget['attrs'].get('id') or name}-candidates"
        widget.update(
            text=picked.text,
            choice="" if self.candidates else picked.choice,
            candidates=self.candidates,
            list_id=list_id,
            options_url=reverse("org:unit_picker_options"),
            text_max=TEXT_MAX,
        )
        return context


class UnitPickerField(forms.Field):
    """A unit named by text or chosen from a list; the form turns it into a unit."""

    widget = UnitPickerWidget
    default_error_messages = {"required": gettext_lazy("此项为必填项。")}

    def to_python(self, value: Any) -> Picked:
        return value if isinstance(value, Picked) else Picked(str(value or "").strip())

    def validate(self, value: Any) -> None:
        if self.required and not (value.text or value.choice):
            raise forms.ValidationError(self.error_messages["required"], code="required")


def unit_picked(*, actor: Actor, field: forms.Field, value: Picked) -> OrgUnit:
    """Return the unit ``value`` names for ``actor``; else raise the error saying why, with
    the units to choose among shown by ``field``'s widget."""
    resolved = unit_resolve_for(
        actor=actor, text=value.text, choice=value.choice, limit=CANDIDATE_LIMIT
    )
    if resolved.unit is not None:
        return resolved.unit
    if isinstance(field.widget, UnitPickerWidget):
        field.widget.candidates = resolved.candidates
    if resolved.ambiguous:
        message = _("有 %(n)s 个单位名为“%(name)s”，请从下面选择一个。") % {
            "n": len(resolved.candidates),
            "name": resolved.candidates[0].name,
        }
    elif resolved.candidates:
        message = _("没有名称恰为“%(text)s”的单位，请从下面找到的单位中选择。") % {
            "text": value.text
        }
    else:
        message = _("找不到该单位：请输入单位名称、代码或路径（如“一矿 › 综采一队”）。")
    raise forms.ValidationError(message)

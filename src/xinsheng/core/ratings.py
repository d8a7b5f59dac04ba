"""What every rating by an employee shares: the choices, the form fields and taking the form.

A case's answer (rated with the receipt code) and a project's result (群众评单, rated behind its
QR code) are both judged by satisfaction, whether the problem is solved, and an optional comment.
The apps keep only what differs: what is rated, who may rate, and what happens after.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, TypeVar

from django import forms
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinsheng.core.errors import Conflict, InvalidInput
from xinsheng.core.forms import ServiceForm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

COMMENT_MAX = 500
COMMENT_TOO_LONG = _("内容不能超过500字。")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


def satisfaction_field(label: "StrOrPromise") -> forms.ChoiceField:
    """Return the satisfaction question, asked as ``label``."""
    return forms.ChoiceField(
        label=label,
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择满意程度。"), "invalid_choice": _("选项无效。")},
    )


def comment_field(too_long: "StrOrPromise | None" = COMMENT_TOO_LONG) -> forms.CharField:
    """Return the optional comment; ``too_long`` None leaves Django's own message."""
    return forms.CharField(
        label=_("评价意见（可选）"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": too_long} if too_long is not None else None,
    )


class RatingForm(ServiceForm):
    """The questions of a rating; a subclass declares ``satisfaction`` with its own wording."""

    satisfaction: forms.ChoiceField
    field_order = ["satisfaction", "solved", "comment"]
    solved = forms.TypedChoiceField(
        label=_("问题是否解决"),
        choices=[("yes", _("已解决")), ("no", _("未解决"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择问题是否解决。"), "invalid_choice": _("选项无效。")},
    )
    comment = comment_field()


F = TypeVar("F", bound=RatingForm)


@dataclass(frozen=True)
class Rated(Generic[F]):
    """How taking a rating went: the form to show again, the status, thanks or trouble."""

    form: F
    status: int = 200
    notice: str = ""
    problem: str = ""


def rating_take(
    form: F, record: Callable[[str, bool, str], object], *, blank: Callable[[], F]
) -> Rated[F]:
    """Check ``form`` and ``record(satisfaction, solved, comment)`` what it holds.

    A service's ``InvalidInput`` lands on the form's fields; its ``Conflict`` (nothing to rate,
    rated already) shows above a ``blank`` form.
    """
    if not form.is_valid():
        return Rated(form, 400)
    data = form.cleaned_data
    try:
        record(data["satisfaction"], data["solved"], data["comment"])
    except InvalidInput as error:
        form.add_service_error(error)
        return Rated(form, 400)
    except Conflict as error:
        return Rated(blank(), error.status, problem=str(error.message))
    return Rated(blank(), 200, notice=gettext("感谢您的评价。"))

"""Clean and check what people type into a case; Chinese messages, nothing half-saved."""

from django.utils.translation import gettext as _

from xinsheng.cases.choices import CaseKind, Channel, Urgency
from xinsheng.core.errors import InvalidInput
from xinsheng.core.normalize import normalize
from xinsheng.core.ratings import Satisfaction

TEXT_MIN, TEXT_MAX = 5, 2000
TITLE_MAX = 100
DERIVED_TITLE_LENGTH = 20
NOTE_MAX = 2000
REASON_MAX = 500


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, fields={field: [message]})


def clean_text(value: object) -> str:
    """Return the case text, stripped; 5 to 2,000 characters."""
    text = str(value or "").strip()
    if len(text) < TEXT_MIN:
        raise _invalid("text", _("请至少写5个字，说清楚您的问题或建议。"))
    if len(text) > TEXT_MAX:
        raise _invalid("text", _("内容不能超过2000字。"))
    return text


def clean_text_normalized(value: object) -> tuple[str, str]:
    """Return the case text checked (``clean_text``) and normalised, and the original as typed.

    Normalising (``core.normalize``: full-width forms, traditional characters, invisible
    characters, pinyin glosses and stray runs pasted from web pages) gives the text everyone
    reads; the original is returned beside it when it differs, to be kept, else "". A text that
    normalising would leave too short or too long stays as typed.
    """
    original = clean_text(value)
    text = normalize(original)
    if text == original or not TEXT_MIN <= len(text) <= TEXT_MAX:
        return original, ""
    return text, original


def clean_title(value: object, text: str) -> str:
    """Return the title, or one derived from the first words of ``text`` when empty."""
    title = " ".join(str(value or "").split())
    if len(title) > TITLE_MAX:
        raise _invalid("title", _("标题不能超过100字。"))
    if title:
        return title
    first_line = " ".join(text.split())
    for stop in "。！？!?\n":
        first_line = first_line.split(stop)[0]
    if len(first_line) > DERIVED_TITLE_LENGTH:
        return first_line[:DERIVED_TITLE_LENGTH] + "…"
    return first_line


def clean_choice(
    field: str, value: object, choices: type[CaseKind | Channel | Urgency | Satisfaction]
) -> str:
    """Return ``value`` if it is one of ``choices``."""
    if value not in choices.values:
        raise _invalid(field, _("选项无效。"))
    return str(value)


def clean_note(field: str, value: object, *, required: bool = True, limit: int = NOTE_MAX) -> str:
    """Return a note or reason, stripped; required unless said otherwise."""
    text = str(value or "").strip()
    if required and not text:
        raise _invalid(field, _("请填写内容。"))
    if len(text) > limit:
        raise _invalid(field, _("内容不能超过%(limit)d字。") % {"limit": limit})
    return text

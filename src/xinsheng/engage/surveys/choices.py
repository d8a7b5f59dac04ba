"""The kinds of survey questions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选")  # one of the options
    MULTIPLE = "multiple", _("多选")  # any of the options
    SCALE = "scale", _("量表")  # a rating from 1 to the scale's top (e.g. 1–5 满意度)
    MATRIX = "matrix", _("矩阵量表")  # several items rated on one scale
    SHORT = "short", _("简答")  # a line of text
    LONG = "long", _("问答")  # a paragraph of text


CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})
RATING_KINDS = frozenset({QuestionKind.SCALE, QuestionKind.MATRIX})
TEXT_KINDS = frozenset({QuestionKind.SHORT, QuestionKind.LONG})

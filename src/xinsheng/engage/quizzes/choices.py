"""The choices of quizzes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选")  # one option is right
    MULTIPLE = "multiple", _("多选")  # several options are right; all of them and no other
    TRUE_FALSE = "true_false", _("判断")  # the options are 正确 and 错误


class Difficulty(models.TextChoices):
    EASY = "easy", _("易")  # most employees know it
    MEDIUM = "medium", _("中")  # needs the rule book
    HARD = "hard", _("难")  # needs the detail of a regulation


# The two options of a true-or-false question, in this order: the answer "A" is 正确.
TRUE_FALSE_OPTIONS = (_("正确"), _("错误"))

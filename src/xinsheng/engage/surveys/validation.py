"""What a survey, its questions and a response say, checked with a clear Chinese message each.

Nothing here writes: services call these first and write only what passed.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from xinsheng.core.errors import InvalidInput
from xinsheng.engage.surveys.choices import (
    CHOICE_KINDS,
    RATING_KINDS,
    TEXT_KINDS,
    QuestionKind,
)
from xinsheng.engage.surveys.models import (
    INTRO_MAX,
    QUESTION_MAX,
    SERIES_MAX,
    TEXT_ANSWER_MAX,
    TITLE_MAX,
    SurveyQuestion,
)

OPTION_MAX = 100
OPTIONS_MAX = 20
LABEL_MAX = 20
SHORT_ANSWER_MAX = 200
QUESTIONS_MAX = 100
SCALE_RANGE = (2, 10)
DAYS_MAX = 366


def _invalid(name: str, message: str) -> InvalidInput:
    return InvalidInput(message, fields={name: [message]})


def _line(value: object) -> str:
    return " ".join(str(value if value is not None else "").split())


def clean_title(value: object) -> str:
    """Return the survey's title: 2 to 100 characters."""
    title = _line(value)
    if len(title) < 2:
        raise _invalid("title", _("请填写问卷标题（至少2个字）。"))
    if len(title) > TITLE_MAX:
        raise _invalid("title", _("标题不能超过%(n)s字。") % {"n": TITLE_MAX})
    return title


def clean_intro(value: object) -> str:
    """Return the introduction, at most 2,000 characters."""
    intro = str(value or "").strip()
    if len(intro) > INTRO_MAX:
        raise _invalid("intro", _("说明不能超过%(n)s字。") % {"n": INTRO_MAX})
    return intro


def clean_series(value: object) -> str:
    """Return the name of the series a repeating survey belongs to (may be empty)."""
    series = _line(value)
    if len(series) > SERIES_MAX:
        raise _invalid("series", _("系列名称不能超过%(n)s字。") % {"n": SERIES_MAX})
    return series


def clean_dates(opens_on: dt.date | None, closes_on: dt.date | None) -> tuple[dt.date, dt.date]:
    """Return the opening and closing days: both given, in order, at most a year apart."""
    if opens_on is None:
        raise _invalid("opens_on", _("请填写开始日期。"))
    if closes_on is None:
        raise _invalid("closes_on", _("请填写截止日期。"))
    if closes_on < opens_on:
        raise _invalid("closes_on", _("截止日期不能早于开始日期。"))
    if (closes_on - opens_on).days > DAYS_MAX:
        raise _invalid("closes_on", _("问卷开放时间不能超过一年。"))
    return opens_on, closes_on


@dataclass(frozen=True)
class QuestionData:
    """A question as a form or the API gives it; ``show_if`` is an earlier question's number."""

    kind: str
    text: str
    required: bool = True
    options: Sequence[str] = ()
    items: Sequence[str] = ()
    scale_max: int = 5
    low_label: str = ""
    high_label: str = ""
    show_if: int | None = None
    show_if_choice: int | None = None


def _lines(name: str, values: Sequence[object], *, what: str) -> list[str]:
    cleaned = [_line(value) for value in values]
    cleaned = [value for value in cleaned if value]
    if len(cleaned) < 2:
        raise _invalid(name, _("请至少填写两个%(what)s，每行一个。") % {"what": what})
    if len(cleaned) > OPTIONS_MAX:
        raise _invalid(name, _("%(what)s不能超过%(n)s个。") % {"what": what, "n": OPTIONS_MAX})
    if any(len(value) > OPTION_MAX for value in cleaned):
        raise _invalid(name, _("每个%(what)s不能超过%(n)s字。") % {"what": what, "n": OPTION_MAX})
    if len(set(cleaned)) != len(cleaned):
        raise _invalid(name, _("%(what)s不能重复。") % {"what": what})
    return cleaned


def choices_of(kind: str, options: Sequence[str], scale_max: int) -> int:
    """Return how many answers a question of ``kind`` offers to choose from (0 for text)."""
    if kind in CHOICE_KINDS:
        return len(options)
    if kind in RATING_KINDS:
        return scale_max
    return 0


def clean_question(
    data: QuestionData, *, position: int, earlier: Sequence[SurveyQuestion | QuestionData]
) -> QuestionData:
    """Return ``data`` cleaned; ``earlier`` are the questions before it, in order."""
    if data.kind not in QuestionKind.values:
        raise _invalid("kind", _("题型无效。"))
    text = _line(data.text)
    if len(text) < 2:
        raise _invalid("text", _("请填写题目（至少2个字）。"))
    if len(text) > QUESTION_MAX:
        raise _invalid("text", _("题目不能超过%(n)s字。") % {"n": QUESTION_MAX})
    options: list[str] = []
    items: list[str] = []
    scale_max = 5
    low, high = "", ""
    if data.kind in CHOICE_KINDS:
        options = _lines("options", data.options, what=_("选项"))
    if data.kind in RATING_KINDS:
        scale_max = _scale_max(data.scale_max)
        low, high = _label("low_label", data.low_label), _label("high_label", data.high_label)
    if data.kind == QuestionKind.MATRIX:
        items = _lines("items", data.items, what=_("评价项目"))
    show_if, choice = _condition(data, position=position, earlier=earlier)
    return QuestionData(
        kind=data.kind,
        text=text,
        required=bool(data.required),
        options=options,
        items=items,
        scale_max=scale_max,
        low_label=low,
        high_label=high,
        show_if=show_if,
        show_if_choice=choice,
    )


def _scale_max(value: object) -> int:
    low, high = SCALE_RANGE
    try:
        number = int(str(value))
    except ValueError:
        number = 0
    if not low <= number <= high:
        raise _invalid(
            "scale_max", _("量表最高分应在%(low)s到%(high)s之间。") % {"low": low, "high": high}
        )
    return number


def _label(name: str, value: object) -> str:
    label = _line(value)
    if len(label) > LABEL_MAX:
        raise _invalid(name, _("量表两端的说明不能超过%(n)s字。") % {"n": LABEL_MAX})
    return label


def _condition(
    data: QuestionData, *, position: int, earlier: Sequence[SurveyQuestion | QuestionData]
) -> tuple[int | None, int | None]:
    """Return the condition's question number and answer, checked against the earlier one."""
    if data.show_if is None and data.show_if_choice is None:
        return None, None
    if data.show_if is None or data.show_if_choice is None:
        raise _invalid("show_if", _("显示条件须同时选定前面的题目和答案。"))
    if not 1 <= data.show_if < position or data.show_if > len(earlier):
        raise _invalid("show_if", _("显示条件只能引用本题之前的题目。"))
    target = earlier[data.show_if - 1]
    if target.kind not in (*CHOICE_KINDS, QuestionKind.SCALE):
        raise _invalid("show_if", _("显示条件只能引用单选、多选或量表题。"))
    top = choices_of(target.kind, target.options, target.scale_max)
    if not 1 <= data.show_if_choice <= top:
        raise _invalid("show_if_choice", _("显示条件的答案不在该题的选项范围内。"))
    return data.show_if, data.show_if_choice


# --- answers ----------------------------------------------------------------------------------


@dataclass
class CleanAnswers:
    """A response's answers, checked: choices by (question id, item), texts by question id."""

    choices: list[tuple[SurveyQuestion, int, int]] = field(default_factory=list)
    texts: list[tuple[SurveyQuestion, str]] = field(default_factory=list)
    answered: list[tuple[SurveyQuestion, int]] = field(default_factory=list)


def _number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() and len(text) < 4 else None


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return all(_blank(item) for item in value)
    if isinstance(value, dict):
        return all(_blank(item) for item in value.values())
    return False


class _Bad(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _one_choice(value: object, top: int) -> int:
    number = _number(value)
    if number is None or not 1 <= number <= top:
        raise _Bad(_("所选答案不在本题的选项之中。"))
    return number


def _matrix_values(value: object, question: SurveyQuestion) -> dict[int, int]:
    if isinstance(value, dict):
        pairs = [(_number(key), item) for key, item in value.items()]
    elif isinstance(value, list | tuple):
        pairs = [(index, item) for index, item in enumerate(value, start=1)]
    else:
        raise _Bad(_("矩阵题的答案应为每个评价项目的分数。"))
    rated: dict[int, int] = {}
    for item, score in pairs:
        if item is None or not 1 <= item <= len(question.items):
            raise _Bad(_("评价项目不存在。"))
        if not _blank(score):
            rated[item] = _one_choice(score, question.scale_max)
    if question.required and len(rated) < len(question.items):
        raise _Bad(_("请为每个评价项目打分。"))
    return rated


def _picked(value: object, question: SurveyQuestion) -> list[int]:
    """Return the chosen option numbers or scale value of a choice or scale question."""
    top = choices_of(question.kind, question.options, question.scale_max)
    if question.kind == QuestionKind.MULTIPLE:
        values = value if isinstance(value, list | tuple) else [value]
        return sorted({_one_choice(item, top) for item in values if not _blank(item)})
    if isinstance(value, list | tuple):
        if len(value) != 1:
            raise _Bad(_("本题只能选一个答案。"))
        value = value[0]
    return [_one_choice(value, top)]


def _text(value: object, question: SurveyQuestion) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise _Bad(_("本题应填写文字。"))
    text = str(value).strip()
    limit = SHORT_ANSWER_MAX if question.kind == QuestionKind.SHORT else TEXT_ANSWER_MAX
    if len(text) > limit:
        raise _Bad(_("回答不能超过%(n)s字。") % {"n": limit})
    return text


def shown_questions(
    questions: Sequence[SurveyQuestion], picked: Mapping[int, list[int]]
) -> list[SurveyQuestion]:
    """Return the questions shown for the answers ``picked`` (by question id), in order.

    A question with a condition is shown when the question it names was shown and answered
    with the condition's answer.
    """
    shown: list[SurveyQuestion] = []
    shown_ids: set[int] = set()
    for question in questions:
        condition = question.show_if_id
        if condition is not None and (
            condition not in shown_ids or question.show_if_choice not in picked.get(condition, [])
        ):
            continue
        shown.append(question)
        shown_ids.add(question.pk)
    return shown


def clean_answers(
    questions: Sequence[SurveyQuestion], answers: Mapping[Any, object]
) -> CleanAnswers:
    """Return ``answers`` (question id → value) checked against ``questions``.

    Every mistake is reported at once, by field ``q<id>``. Answers to questions the branching
    hides are not kept; answers to questions not in the survey are refused.
    """
    by_id = {question.pk: question for question in questions}
    given: dict[int, object] = {}
    for key, value in answers.items():
        number = _number(key)
        if number is None or number not in by_id:
            raise _invalid("answers", _("答案对应的题目不在本问卷中。"))
        given[number] = value
    errors: dict[str, list[Any]] = {}
    picked: dict[int, list[int]] = {}
    for question in questions:
        if question.kind in (*CHOICE_KINDS, QuestionKind.SCALE) and not _blank(
            given.get(question.pk)
        ):
            try:
                picked[question.pk] = _picked(given[question.pk], question)
            except _Bad as bad:
                errors[f"q{question.pk}"] = [bad.message]
    clean = CleanAnswers()
    for question in shown_questions(questions, picked):
        value = given.get(question.pk)
        name = f"q{question.pk}"
        if name in errors:
            continue
        if _blank(value):
            if question.required:
                errors[name] = [_("第%(n)s题为必答题，请作答。") % {"n": question.position}]
            continue
        try:
            _keep(clean, question, value, picked)
        except _Bad as bad:
            errors[name] = [bad.message]
    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(first, fields=errors)
    return clean


def _keep(
    clean: CleanAnswers, question: SurveyQuestion, value: object, picked: Mapping[int, list[int]]
) -> None:
    if question.kind in TEXT_KINDS:
        text = _text(value, question)
        if text:
            clean.texts.append((question, text))
            clean.answered.append((question, 0))
        elif question.required:
            raise _Bad(_("第%(n)s题为必答题，请作答。") % {"n": question.position})
        return
    if question.kind == QuestionKind.MATRIX:
        rated = _matrix_values(value, question)
        for item, score in sorted(rated.items()):
            clean.choices.append((question, item, score))
            clean.answered.append((question, item))
        return
    chosen = picked.get(question.pk, [])
    if not chosen and question.required:
        raise _Bad(_("第%(n)s题为必答题，请作答。") % {"n": question.position})
    for choice in chosen:
        clean.choices.append((question, 0, choice))
    if chosen:
        clean.answered.append((question, 0))

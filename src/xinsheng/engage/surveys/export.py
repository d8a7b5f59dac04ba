"""A survey as an .xlsx workbook: one sheet of responses (a row each, a column per question or
matrix item), one of summaries (per question the counts and shares of each option, averages of
scales). Written by xlsxwriter in ``constant_memory`` mode, the answers read in one ordered
pass, so that a survey of 100,000 responses exports in constant memory.

An anonymous survey's sheet holds no respondent; a named one's holds the name and employee
number only for those who may manage the survey. ``progress`` hears how many responses are
written, every ``PROGRESS_EVERY`` (a background export shows it as a progress bar).
"""

from collections.abc import Callable, Iterator
from typing import IO, Any

import xlsxwriter  # type: ignore[import-untyped]
from django.utils.translation import gettext

from xinsheng.core.sheets.template import display_width
from xinsheng.engage.surveys.choices import QuestionKind
from xinsheng.engage.surveys.models import Survey, SurveyAnswer, SurveyQuestion, SurveyResponse
from xinsheng.engage.surveys.results import Results

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = "#B71C1C"
CHUNK = 5000
WIDTH_MAX = 40
PROGRESS_EVERY = 1000  # responses written between two reports of progress
Progress = Callable[[int], None]


def _columns(questions: list[SurveyQuestion]) -> list[tuple[int, int, str]]:
    """Return (question id, item, heading) for each answer column."""
    columns = []
    for question in questions:
        if question.kind == QuestionKind.MATRIX:
            columns += [
                (question.pk, number, f"{question.position}. {question.text} - {label}")
                for number, label in enumerate(question.items, start=1)
            ]
        else:
            columns.append((question.pk, 0, f"{question.position}. {question.text}"))
    return columns


def _answers_by_response(survey: Survey) -> Iterator[tuple[int, list[tuple[int, int, Any, str]]]]:
    rows = (
        SurveyAnswer.objects.filter(question__survey=survey)
        .order_by("response_id", "id")
        .values_list("response_id", "question_id", "item", "choice", "text")
        .iterator(chunk_size=CHUNK)
    )
    current: int | None = None
    held: list[tuple[int, int, Any, str]] = []
    for response_id, question_id, item, choice, text in rows:
        if response_id != current:
            if current is not None:
                yield current, held
            current, held = response_id, []
        held.append((question_id, item, choice, text))
    if current is not None:
        yield current, held


def survey_write(
    *,
    survey: Survey,
    results: Results,
    target: str | IO[bytes],
    named: bool,
    progress: Progress | None = None,
) -> int:
    """Write the workbook of ``survey`` to ``target``; return the number of responses."""
    book = xlsxwriter.Workbook(
        target, {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
    )
    header = book.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": HEADER_FILL})
    try:
        written = _responses_sheet(
            book, header, survey, named=named and not survey.anonymous, progress=progress
        )
        _summary_sheet(book, header, results)
    finally:
        book.close()
    return written


def _responses_sheet(
    book: Any, header: Any, survey: Survey, *, named: bool, progress: Progress | None
) -> int:
    questions = list(SurveyQuestion.objects.filter(survey=survey).order_by("position"))
    by_id = {question.pk: question for question in questions}
    columns = _columns(questions)
    position = {(q, item): index for index, (q, item, _h) in enumerate(columns)}
    fixed = [gettext("序号"), gettext("提交日期"), gettext("扫码单位")]
    if named:
        fixed += [gettext("姓名"), gettext("工号")]
    sheet = book.add_worksheet(gettext("答卷")[:31])
    headings = fixed + [heading for _q, _i, heading in columns]
    for column, heading in enumerate(headings):
        sheet.set_column(column, column, min(WIDTH_MAX, display_width(heading) + 2))
        sheet.write_string(0, column, heading, header)
    responses = (
        SurveyResponse.objects.filter(survey=survey)
        .order_by("id")
        .values_list("id", "submitted_on", "unit__name", "person__name", "person__employee_no")
        .iterator(chunk_size=CHUNK)
    )
    answers = _answers_by_response(survey)
    pending = next(answers, None)
    written = 0
    for response_id, day, unit, name, number in responses:
        while pending is not None and pending[0] < response_id:
            pending = next(answers, None)
        held = pending[1] if pending is not None and pending[0] == response_id else []
        written += 1
        row = [str(written), day.isoformat(), unit or gettext("（问卷链接）")]
        if named:
            row += [name or "", number or ""]
        cells = [""] * len(columns)
        for question_id, item, choice, text in held:
            question = by_id[question_id]
            index = position[(question_id, item)]
            cells[index] = _cell(question, choice, text, cells[index])
        for column, value in enumerate(row + cells):
            sheet.write_string(written, column, value)
        if progress is not None and written % PROGRESS_EVERY == 0:
            progress(written)
    if progress is not None:
        progress(written)
    return written


def _cell(question: SurveyQuestion, choice: int | None, text: str, before: str) -> str:
    if choice is None:
        return text
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        label = question.options[choice - 1] if 0 < choice <= len(question.options) else str(choice)
        return f"{before}、{label}" if before else label
    return str(choice)


def _summary_sheet(book: Any, header: Any, results: Results) -> None:
    sheet = book.add_worksheet(gettext("汇总")[:31])
    headings = [
        gettext("题目"),
        gettext("选项或评价项目"),
        gettext("人数"),
        gettext("占比"),
        gettext("平均分"),
    ]
    widths = [40, 30, 10, 10, 10]
    percent = book.add_format({"num_format": "0.0%"})
    decimal = book.add_format({"num_format": "0.00"})
    for column, (heading, width) in enumerate(zip(headings, widths, strict=True)):
        sheet.set_column(column, column, width)
        sheet.write_string(0, column, heading, header)
    row = 1
    sheet.write_string(row, 0, gettext("答卷数"))
    sheet.write_number(row, 2, results.responses)
    row += 1
    sheet.write_string(row, 0, gettext("应答人数（在册职工）"))
    sheet.write_number(row, 2, results.headcount)
    if results.rate is not None:
        sheet.write_number(row, 3, results.rate, percent)
    for result in results.questions:
        row += 1
        title = f"{result.question.position}. {result.question.text}"
        sheet.write_string(row, 0, title)
        sheet.write_string(row, 1, gettext("作答人数"))
        sheet.write_number(row, 2, result.answered)
        for option in result.options:
            row += 1
            sheet.write_string(row, 0, title)
            sheet.write_string(row, 1, option.label)
            sheet.write_number(row, 2, option.n)
            if option.share is not None:
                sheet.write_number(row, 3, option.share, percent)
        for item in result.items:
            row += 1
            sheet.write_string(row, 0, title)
            sheet.write_string(row, 1, item.label)
            sheet.write_number(row, 2, item.answered)
            if item.average is not None:
                sheet.write_number(row, 4, item.average, decimal)

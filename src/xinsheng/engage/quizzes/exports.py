"""Leaderboards and the 答题达人 list as .xlsx workbooks, for commendation lists and reports.

A board by person names people (with their employee numbers) only where the organiser chose to,
else it shows the surname alone; the 答题达人 list, a commendation, always names them.

A board holds a few thousand lines at most, written in memory; each export is audited.
"""

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from xinsheng.core.actors import Actor
from xinsheng.core.audit import audit_record
from xinsheng.engage.quizzes import leaderboards
from xinsheng.engage.quizzes.leaderboards import PersonRow, UnitRow
from xinsheng.engage.quizzes.models import Campaign, Round
from xinsheng.engage.quizzes.names import shown_name

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = "#B71C1C"


def _sheet(book: Any, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    sheet = book.add_worksheet(title)
    head = book.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": HEADER_FILL})
    rate = book.add_format({"num_format": "0.0%"})
    one = book.add_format({"num_format": "0.0"})
    for index, header in enumerate(headers):
        sheet.set_column(index, index, max(8, len(header) * 2 + 2))
        sheet.write_string(0, index, header, head)
    for line, values in enumerate(rows, start=1):
        for index, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, float):
                sheet.write_number(
                    line, index, value, rate if headers[index].endswith("率") else one
                )
            elif isinstance(value, int):
                sheet.write_number(line, index, value)
            else:
                sheet.write_string(line, index, str(value))
    sheet.freeze_panes(1, 0)


def _people_rows(
    board: Sequence[PersonRow], *, campaign: bool, names: bool = True
) -> list[list[Any]]:
    """Return the lines of a board by person; without ``names``, the surname only and no
    employee number (the columns of ``_person_headers(names=False)``)."""
    rows = []
    for row in board:
        line: list[Any] = [row.rank]
        if names:
            line.append(row.person.employee_no)
        line += [shown_name(row.person.name, full=names), row.person.unit.name]
        if campaign:
            line += [row.rounds, row.score, round(row.average, 1), row.passed_rounds, row.seconds]
        else:
            line += [row.score, row.correct, row.seconds, row.attempts]
        rows.append(line)
    return rows


def _unit_rows(board: Sequence[UnitRow]) -> list[list[Any]]:
    return [
        [
            row.unit.name,
            row.headcount,
            row.people,
            row.attempts,
            row.rate,
            round(row.average, 1) if row.average is not None else None,
        ]
        for row in board
    ]


def _unit_headers() -> list[str]:
    return [_("单位"), _("在职人数"), _("参加人数"), _("答题人次"), _("参与率"), _("平均分")]


def _person_headers(*, names: bool = True) -> list[str]:
    if not names:
        return [_("名次"), _("姓名"), _("单位")]
    return [_("名次"), _("工号"), _("姓名"), _("单位")]


def _response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


def round_workbook(quiz_round: Round) -> bytes:
    """Return a round's boards by person and by unit as .xlsx bytes; the board by person shows
    names only where the round says so."""
    handle = io.BytesIO()
    book = xlsxwriter.Workbook(handle, {"in_memory": True})
    names = quiz_round.show_names
    _sheet(
        book,
        _("个人排行"),
        [*_person_headers(names=names), _("得分"), _("答对题数"), _("用时（秒）"), _("答题次数")],
        _people_rows(leaderboards.round_board(quiz_round), campaign=False, names=names),
    )
    units = leaderboards.unit_board([quiz_round.pk], leaderboards.board_units(quiz_round.unit))
    _sheet(book, _("单位排行"), _unit_headers(), _unit_rows(units))
    book.close()
    return handle.getvalue()


def campaign_workbook(campaign: Campaign) -> bytes:
    """Return a campaign's boards by person and by unit and its 答题达人 as .xlsx bytes; the
    board by person shows names only where the campaign says so, the 答题达人 always."""
    handle = io.BytesIO()
    book = xlsxwriter.Workbook(handle, {"in_memory": True})
    totals = [_("参加轮次"), _("总分"), _("平均分"), _("达标轮次"), _("总用时（秒）")]
    board = leaderboards.campaign_board(campaign)
    _sheet(
        book,
        _("答题达人"),
        [*_person_headers(), *totals],
        _people_rows(leaderboards.experts_among(campaign, board), campaign=True),
    )
    names = campaign.show_names
    _sheet(
        book,
        _("个人排行"),
        [*_person_headers(names=names), *totals],
        _people_rows(board, campaign=True, names=names),
    )
    round_ids = list(campaign.rounds.values_list("id", flat=True))
    units = leaderboards.unit_board(round_ids, leaderboards.board_units(campaign.unit))
    _sheet(book, _("单位排行"), _unit_headers(), _unit_rows(units))
    book.close()
    return handle.getvalue()


def round_response(*, actor: Actor, quiz_round: Round) -> HttpResponse:
    """Return the download of a round's boards, audited."""
    content = round_workbook(quiz_round)
    audit_record(actor=actor, action="quiz.round.export", obj=quiz_round)
    day = timezone.localdate()
    return _response(content, f"{quiz_round.title}-{_('排行榜')}-{day:%Y%m%d}.xlsx")


def campaign_response(*, actor: Actor, campaign: Campaign) -> HttpResponse:
    """Return the download of a campaign's boards and 答题达人, audited."""
    content = campaign_workbook(campaign)
    audit_record(actor=actor, action="quiz.campaign.export", obj=campaign)
    day = timezone.localdate()
    return _response(content, f"{campaign.title}-{_('答题达人')}-{day:%Y%m%d}.xlsx")

"""The briefing as a Word document and from the command line."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Length, Pt

from tests.cases.factories import answered, make_cast
from tests.conftest import Tree
from tests.org.factories import make_staff
from xinsheng.cases import services
from xinsheng.core.chinese_numbers import percent
from xinsheng.core.periods import MONTH, period_of
from xinsheng.core.ratings import Satisfaction
from xinsheng.org.choices import Role
from xinsheng.reports import figures, metrics
from xinsheng.reports.briefing import build_content, document_of
from xinsheng.reports.briefing_docx import render_docx


@pytest.fixture
def rated(tree: Tree) -> Tree:
    cast = make_cast(tree)
    done = answered(tree, cast)
    services.case_rate(
        receipt_code=done.receipt_code, satisfaction=Satisfaction.SATISFIED, solved=True
    )
    figures.figures_refresh()
    return tree


def _open(content: bytes) -> object:
    return Document(io.BytesIO(content))


def test_the_word_file_holds_title_text_and_figures_table_in_official_layout(rated: Tree) -> None:
    period = period_of(MONTH, timezone.localdate())
    content = build_content(rated.group, period)
    document = Document(
        io.BytesIO(render_docx(document_of(content.title, content.paragraphs, content.figures)))
    )
    # The title, the subtitle and every paragraph, in order
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == content.title == f"示范煤业集团{period.label()}职工诉求工作简报"
    assert texts[1].startswith("示范煤业集团")
    assert texts[2 : 2 + len(content.paragraphs)] == content.paragraphs
    # The figures table: a shaded header, then the dashboard's figures
    table = document.tables[0]
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["指标", "本期", "上期", "环比"]
    shading = table.rows[0].cells[0]._tc.tcPr.find(qn("w:shd"))
    assert shading is not None
    assert shading.get(qn("w:fill")) == "D9E2F3"
    rows = {row.cells[0].text: row.cells[1].text for row in table.rows[1:]}
    current = metrics.figures_for(rated.group, period)
    assert rows["收到诉求（件）"] == str(current["received"])
    assert rows["解决率"] == percent(current.solution_rate) == "100%"
    # A4 with the margins of an official document
    section = document.sections[0]
    sizes = (
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    )
    assert [round(Length(size).mm) for size in sizes] == [210, 297, 37, 35, 28, 26]
    # Chinese text has its font named for East Asian scripts
    title_run = document.paragraphs[0].runs[0]
    assert title_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
    assert title_run.font.size == Pt(22)
    body_run = document.paragraphs[2].runs[0]
    assert body_run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋"
    assert body_run.font.size == Pt(16)


def test_the_command_writes_word_and_html(rated: Tree, tmp_path: Path) -> None:
    month = period_of(MONTH, timezone.localdate())
    docx_file = tmp_path / "brief.docx"
    call_command(
        "briefing",
        "--unit",
        "C1",
        "--from",
        month.start.isoformat(),
        "--to",
        month.end.isoformat(),
        "-o",
        str(docx_file),
        stdout=io.StringIO(),
    )
    document = Document(str(docx_file))
    # A whole month is named as such
    assert document.paragraphs[0].text == f"第一煤业公司{month.label()}职工诉求工作简报"
    html_file = tmp_path / "brief.html"
    admin = make_staff(rated.group, Role.ADMINISTRATOR, username="boss")
    assert admin.username == "boss"
    call_command(
        "briefing",
        "--unit=C1",
        f"--from={month.start.isoformat()}",
        f"--to={(month.start + dt.timedelta(days=9)).isoformat()}",
        "--as=boss",
        f"-o={html_file}",
        stdout=io.StringIO(),
    )
    html = html_file.read_text(encoding="utf-8")
    assert "第一煤业公司" in html
    assert "收到诉求（件）" in html
    assert "较上期" in html
    # The file stands on its own: its style sheet is inside it, nothing points to the site
    assert "<style>" in html
    assert "@page" in html
    assert "/static/" not in html


def test_the_command_keeps_to_the_users_scope(rated: Tree, tmp_path: Path) -> None:
    make_staff(rated.company1, Role.LEADER, username="c1leader")
    month = period_of(MONTH, timezone.localdate())
    args = ["--from", month.start.isoformat(), "--to", month.end.isoformat()]
    with pytest.raises(CommandError, match="无权编写"):
        call_command("briefing", "--unit", "C2", *args, "--as", "c1leader", "-o", "x.docx")
    with pytest.raises(CommandError, match=r"\.docx 或 \.html"):
        call_command("briefing", "--unit", "C1", *args, "-o", str(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()

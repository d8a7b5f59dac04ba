"""A briefing as a Word document (.docx), laid out like an official Chinese document.

The page follows the usual official layout (GB/T 9704): A4, margins 37 mm top, 35 mm bottom,
28 mm left, 26 mm right; a centred title in 22 pt (二号) 宋体 bold; body text in 16 pt (三号)
仿宋 with a two-character first-line indent and a fixed 28 pt line pitch; the figures table in
12 pt (小四) with a shaded, bold header row that repeats on every page. Chinese text needs its
font named in ``w:eastAsia`` — the plain font name only reaches Latin text — so every run carries
both.
"""

import io

from django.utils import translation
from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from xinsheng.reports.briefing import BriefingDocument

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TITLE_FONT = "宋体"
BODY_FONT = "仿宋"
TABLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
HEADER_FILL = "D9E2F3"


def _fonts(run: Run, east_asian: str, size: float, *, bold: bool = False) -> None:
    """Give ``run`` its Chinese and Latin fonts, size and weight."""
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = RGBColor(0, 0, 0)
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)


def _text(paragraph: Paragraph, text: str, east_asian: str, size: float, **kw: bool) -> None:
    _fonts(paragraph.add_run(text), east_asian, size, **kw)


def _body_paragraph(document: DocxDocument, text: str, *, indent: bool = True) -> Paragraph:
    paragraph = document.add_paragraph()
    layout = paragraph.paragraph_format
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = Pt(28)
    layout.space_before = Pt(0)
    layout.space_after = Pt(0)
    if indent:
        layout.first_line_indent = Pt(32)  # two characters of 16 pt
    layout.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _text(paragraph, text, BODY_FONT, 16)
    return paragraph


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_as_header(row: _Row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _cell(cell: _Cell, text: str, *, bold: bool = False, centred: bool = True) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
    _text(paragraph, text, TABLE_FONT, 12, bold=bold)


def render_docx(briefing: BriefingDocument) -> bytes:
    """Return the .docx file of a briefing: title, subtitle, paragraphs, the figures table."""
    with translation.override(briefing.language):
        return _render(briefing)


def _render(briefing: BriefingDocument) -> bytes:
    title, rows, basis = briefing.title, briefing.rows, briefing.basis
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    document.core_properties.title = title

    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading.paragraph_format.space_after = Pt(12)
    _text(heading, title, TITLE_FONT, 22, bold=True)
    line = document.add_paragraph()
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line.paragraph_format.space_after = Pt(18)
    _text(line, briefing.subtitle, BODY_FONT, 14)

    for text in briefing.paragraphs:
        _body_paragraph(document, text)

    caption = document.add_paragraph()
    caption.paragraph_format.space_before = Pt(18)
    caption.paragraph_format.space_after = Pt(6)
    _text(caption, _("附：主要数据"), BODY_FONT, 16, bold=True)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = [_("指标"), _("本期"), _("上期"), basis]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        _cell(cell, text, bold=True)
        _shade(cell, HEADER_FILL)
    _repeat_as_header(table.rows[0])
    for row in rows:
        cells = table.add_row().cells
        _cell(cells[0], row.label, centred=False)
        _cell(cells[1], row.current)
        _cell(cells[2], row.previous)
        _cell(cells[3], row.change)
    widths = (Mm(62), Mm(34), Mm(34), Mm(26))
    for table_row in table.rows:
        for cell, width in zip(table_row.cells, widths, strict=True):
            cell.width = width
    for note in briefing.notes:
        paragraph = document.add_paragraph()
        _text(paragraph, note, BODY_FONT, 12)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

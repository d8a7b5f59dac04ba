"""Spreadsheet files made for the tests of the imports: well-formed, or crafted to harm."""

import io
import zipfile
from typing import Any

from openpyxl import Workbook


def far_cell_xlsx(header: list[str], row: list[Any], far_cell: str, *, title: str) -> bytes:
    """Return an .xlsx whose sheet ``title`` holds ``header``, one ``row``, and one cell far away.

    The sheet's dimension then spans A1 to ``far_cell`` (XFD1048576 is Excel's last cell): a
    reader that builds a grid of that size asks for hundreds of gigabytes.
    """
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    sheet.append(row)
    sheet[far_cell] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def lying_dimension_xlsx(
    rows: list[list[str]], *, title: str = "Sheet1", addresses: bool = True
) -> bytes:
    """Return a hand-written .xlsx whose sheet claims the dimension A1:XFD1048576.

    The cells themselves are few, written as inline strings, every other one (or with
    ``addresses=False`` every one) without its ``r`` address.
    """
    cells = []
    for number, values in enumerate(rows, start=1):
        row = "".join(
            f'<c t="inlineStr"{_address(index, number, addresses)}><is><t>{value}</t></is></c>'
            for index, value in enumerate(values)
        )
        cells.append(f'<row r="{number}">{row}</row>')
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<dimension ref="A1:XFD1048576"/>'
        f"<sheetData>{''.join(cells)}</sheetData></worksheet>"
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _address(index: int, number: int, addresses: bool) -> str:
    """Return the ``r`` attribute of the cell ``index`` of row ``number`` (every other one)."""
    if not addresses or index % 2:
        return ""
    return f' r="{chr(ord("A") + index)}{number}"'

"""``xinsheng briefing``: write a work briefing (工作简报) as Word or HTML, from scripts and cron.

    xinsheng briefing --unit CODE --from DATE --to DATE [--as USERNAME] [--language en]
                      -o FILE.docx|FILE.html

The briefing covers the unit and its whole subtree, with the dashboard's figures. A range that is
exactly a month, quarter or year is named so (and compared 环比 or 同比). With ``--as`` the unit
must be one that user may write briefings of; without it the command acts for the installation.
The briefing is written in ``--language`` (zh-hans or en), else in the language the setting
``BRIEFING_LANGUAGE`` fixes, else in the site's language. Nothing is stored: the file is written
and that is all.
"""

import datetime as dt
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from xinsheng.core.errors import NotFound, XinshengError
from xinsheng.org.models import OrgUnit
from xinsheng.reports.briefing import build_content, document_of, period_for_range
from xinsheng.reports.briefing_docx import render_docx
from xinsheng.reports.briefing_selectors import briefing_unit_get_for

FORMATS = (".docx", ".html")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(text) from exc


class Command(BaseCommand):
    help = "Write the work briefing of a unit subtree over a period as .docx or .html."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="code of the unit (its whole subtree)")
        parser.add_argument("--from", dest="date_from", type=_date, required=True)
        parser.add_argument("--to", dest="date_to", type=_date, required=True)
        parser.add_argument("--as", dest="username", default="", help="write as this user")
        parser.add_argument(
            "--language",
            default="",
            choices=["", *(code for code, _name in settings.LANGUAGES)],
            help="the language of the briefing (default: BRIEFING_LANGUAGE, else the site's)",
        )
        parser.add_argument(
            "-o", "--output", type=Path, required=True, help="the file: .docx or .html"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"]
        if output.suffix.lower() not in FORMATS:
            raise CommandError(gettext("输出文件须为 .docx 或 .html。"))
        unit = self._unit(options["unit"], options["username"])
        try:
            period = period_for_range(options["date_from"], options["date_to"])
        except XinshengError as error:
            raise CommandError(str(error.message)) from error
        content = build_content(unit, period, language=options["language"])
        document = document_of(content.title, content.paragraphs, content.figures)
        if output.suffix.lower() == ".docx":
            output.write_bytes(render_docx(document))
        else:
            with translation.override(document.language):
                html = render_to_string(
                    "reports/briefing/document.html",
                    {"document": document, "inline_css": _document_css()},
                )
            output.write_text(html, encoding="utf-8")
        self.stdout.write(
            gettext("已生成简报“%(title)s”：%(file)s") % {"title": content.title, "file": output}
        )

    def _unit(self, code: str, username: str) -> OrgUnit:
        if not username:
            unit = OrgUnit.objects.filter(code=code.strip(), is_active=True).first()
            if unit is None:
                raise CommandError(gettext("单位“%(code)s”不存在。") % {"code": code})
            return unit
        actor = get_user_model().objects.filter(username=username).first()
        if actor is None:
            raise CommandError(gettext("用户“%(name)s”不存在。") % {"name": username})
        try:
            return briefing_unit_get_for(actor=actor, code=code)
        except NotFound:
            raise CommandError(
                gettext("单位“%(code)s”不存在，或用户“%(name)s”无权编写该单位的简报。")
                % {"code": code, "name": username}
            ) from None


def _document_css() -> str:
    """Return the briefing document's style sheet, for a file that must stand on its own."""
    found = finders.find("reports/briefing-document.css")
    return Path(str(found)).read_text(encoding="utf-8") if found else ""

"""``xinsheng ledger export|import``: the ledger (台账) as a spreadsheet, from scripts and cron.

    xinsheng ledger export [--unit CODE] [--from DATE] [--to DATE] --as USERNAME -o FILE.xlsx
    xinsheng ledger import FILE.xlsx --as USERNAME [--apply]

The export holds what the user sees in the ledger with the same filters, written at once whatever
its size. The import prints its dry run with every row error and writes only with ``--apply``
when there are no errors; it exits with a non-zero status when the file has errors.
"""

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from xinsheng.cases import ledger_export, ledger_import
from xinsheng.cases.ledger_models import LedgerImportJob
from xinsheng.core.errors import XinshengError


def _date(text: str) -> str:
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise ValueError(text) from exc


class Command(BaseCommand):
    help = "Export the ledger to .xlsx, or check (and with --apply, import) a historical ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        export = commands.add_parser("export", help="write the ledger as an .xlsx file")
        export.add_argument("--unit", default="", help="code of a unit: its subtree only")
        export.add_argument("--from", dest="date_from", type=_date, help="raised on or after")
        export.add_argument("--to", dest="date_to", type=_date, help="raised on or before")
        export.add_argument("--as", dest="username", required=True, help="the exporting user")
        export.add_argument("-o", "--output", type=Path, required=True, help="the .xlsx file")
        imports = commands.add_parser("import", help="import a ledger from .xlsx or .csv")
        imports.add_argument("file", type=Path, help="the .xlsx or .csv file")
        imports.add_argument("--as", dest="username", required=True, help="the importing user")
        imports.add_argument(
            "--apply", action="store_true", help="write the changes (only when there are no errors)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = get_user_model().objects.filter(username=options["username"]).first()
        if actor is None:
            raise CommandError(gettext("用户“%(name)s”不存在。") % {"name": options["username"]})
        if options["action"] == "export":
            self.export(actor, options)
        else:
            self.import_file(actor, options)

    def export(self, actor: AbstractBaseUser, options: dict[str, Any]) -> None:
        params = {
            key: [str(options[name])]
            for key, name in (("unit", "unit"), ("date_from", "date_from"), ("date_to", "date_to"))
            if options.get(name)
        }
        output: Path = options["output"]
        try:
            job = ledger_export.ledger_export_create(actor=actor, params=params, background=False)
            with output.open("wb") as target:
                rows = ledger_export.ledger_export_inline(job=job, target=target)
        except XinshengError as exc:
            raise CommandError(str(exc.message) or gettext("您无权导出台账。")) from exc
        except OSError as exc:
            raise CommandError(gettext("无法写入文件：%(error)s") % {"error": exc}) from exc
        self.stdout.write(
            self.style.SUCCESS(
                gettext("已导出 %(rows)d 行到 %(file)s。") % {"rows": rows, "file": output}
            )
        )

    def import_file(self, actor: AbstractBaseUser, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(gettext("无法读取文件：%(error)s") % {"error": exc}) from exc
        try:
            job = ledger_import.ledger_import_create(
                actor=actor, file_name=path.name, content=content, background=False
            )
            job = ledger_import.ledger_import_check(job_id=job.pk)
        except XinshengError as exc:
            raise CommandError(str(exc.message) or gettext("您无权导入台账。")) from exc
        if job.status == LedgerImportJob.Status.FAILED:
            raise CommandError(job.message)
        self.print_report(job)
        if job.error_count:
            raise CommandError(
                gettext("发现 %(errors)d 处错误，未写入任何数据。") % {"errors": job.error_count},
                returncode=1,
            )
        if not job.change_count:
            self.stdout.write(gettext("没有需要写入的变化。"))
            return
        if not options["apply"]:
            self.stdout.write(
                gettext("这是预检，未写入任何数据。确认无误后加上 --apply 执行导入。")
            )
            return
        ledger_import.ledger_import_request_apply(actor=actor, job=job, background=False)
        job = ledger_import.ledger_import_apply(job_id=job.pk)
        if job.status != LedgerImportJob.Status.APPLIED:
            if job.report:
                self.print_report(job)
            raise CommandError(job.message, returncode=1)
        self.stdout.write(self.style.SUCCESS(gettext("导入完成。")))

    def print_report(self, job: LedgerImportJob) -> None:
        report: dict[str, Any] = job.report or {}
        self.stdout.write(
            gettext(
                "%(title)s：%(rows)d 行，新增 %(created)d，修改 %(changed)d，不变 %(unchanged)d"
            )
            % report
        )
        for item in report.get("changed_items", []):
            changes = "；".join(
                f"{change['column']}：{change['before']} → {change['after']}"
                for change in item["changes"]
            )
            self.stdout.write("  " + gettext("第%(row)d行") % item + f" {item['key']}：{changes}")
        for error in report.get("errors", []):
            self.stderr.write(gettext("%(sheet)s 第%(row)d行 [%(column)s]：%(message)s") % error)
        if report.get("more_errors"):
            self.stderr.write(
                gettext("另有 %(more)d 处错误未列出。") % {"more": report["more_errors"]}
            )

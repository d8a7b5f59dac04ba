"""``xinsheng org_import FILE --as USERNAME [--apply]``: import units and people from a file.

Prints the dry run's report, row errors with their row numbers, and writes only with ``--apply``
when there are no errors. Exits with a non-zero status when the file has errors.
"""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from xinsheng.core.errors import XinshengError
from xinsheng.org import imports
from xinsheng.org.models import ImportJob


class Command(BaseCommand):
    help = "Check (and with --apply, import) units and people from an .xlsx or .csv file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the .xlsx or .csv file")
        parser.add_argument(
            "--as", dest="username", required=True, help="the user the import is made as"
        )
        parser.add_argument(
            "--apply", action="store_true", help="write the changes (only when there are no errors)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        actor = get_user_model().objects.filter(username=options["username"]).first()
        if actor is None:
            raise CommandError(gettext("用户“%(name)s”不存在。") % {"name": options["username"]})
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(gettext("无法读取文件：%(error)s") % {"error": exc}) from exc
        try:
            job = imports.import_job_create(
                actor=actor, file_name=path.name, content=content, background=False
            )
            job = imports.import_job_check(job_id=job.pk)
        except XinshengError as exc:
            raise CommandError(str(exc.message)) from exc
        if job.status == ImportJob.Status.FAILED:
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
        imports.import_job_request_apply(actor=actor, job=job, background=False)
        job = imports.import_job_apply(job_id=job.pk)
        if job.status != ImportJob.Status.APPLIED:
            if job.report:
                self.print_report(job)
            raise CommandError(job.message, returncode=1)
        self.stdout.write(self.style.SUCCESS(gettext("导入完成。")))

    def print_report(self, job: ImportJob) -> None:
        report: dict[str, Any] = job.report or {}
        for sheet in report.get("sheets", []):
            self.stdout.write(
                gettext(
                    "%(title)s：%(rows)d 行，新增 %(created)d，修改 %(changed)d，不变 %(unchanged)d"
                )
                % sheet
            )
            for item in sheet["changed_items"]:
                changes = "；".join(
                    f"{change['column']}：{change['before']} → {change['after']}"
                    for change in item["changes"]
                )
                self.stdout.write(
                    "  "
                    + gettext("第%(row)d行") % item
                    + f" {item['key']} {item['name']}：{changes}"
                )
        for error in report.get("errors", []):
            self.stderr.write(gettext("%(sheet)s 第%(row)d行 [%(column)s]：%(message)s") % error)
        if report.get("more_errors"):
            self.stderr.write(
                gettext("另有 %(more)d 处错误未列出。") % {"more": report["more_errors"]}
            )

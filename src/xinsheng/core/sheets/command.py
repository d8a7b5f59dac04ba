"""The shape of every import command: check a file, print the report, write with ``--apply``.

    xinsheng org_import FILE --as USERNAME [--apply]
    xinsheng ledger import FILE --as USERNAME [--apply]

The dry run's report is printed (the kind's lines, then every row error on stderr); nothing is
written without ``--apply`` or when the file has errors, and then the command exits non-zero.
After writing, the figures are brought up to date (``core.catch_up``) before it says 导入完成.
"""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from xinsheng.core.catch_up import catch_up_for
from xinsheng.core.errors import XinshengError
from xinsheng.core.models import SheetImportJob
from xinsheng.core.sheets import runner
from xinsheng.core.sheets.kinds import import_kind


def add_import_arguments(parser: CommandParser, *, as_help: str = "the importing user") -> None:
    """Add the file, ``--as`` and ``--apply`` arguments of an import command to ``parser``."""
    parser.add_argument("file", type=Path, help="the .xlsx or .csv file")
    parser.add_argument("--as", dest="username", required=True, help=as_help)
    parser.add_argument(
        "--apply", action="store_true", help="write the changes (only when there are no errors)"
    )


def actor_named(username: str) -> Any:
    """Return the user ``username``, or stop the command saying there is none."""
    actor = get_user_model().objects.filter(username=username).first()
    if actor is None:
        raise CommandError(gettext("用户“%(name)s”不存在。") % {"name": username})
    return actor


def run_import(command: BaseCommand, kind_key: str, *, actor: Any, path: Path, apply: bool) -> None:
    """Check ``path`` as import ``kind_key`` made by ``actor``, and write it with ``apply``."""
    kind = import_kind(kind_key)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise CommandError(gettext("无法读取文件：%(error)s") % {"error": exc}) from exc
    try:
        job = runner.job_create(
            kind_key, actor=actor, file_name=path.name, content=content, background=False
        )
        job = runner.job_check(job_id=job.pk)
    except XinshengError as exc:
        raise CommandError(str(exc.message) or str(kind.forbidden_message)) from exc
    if job.status == SheetImportJob.Status.FAILED:
        raise CommandError(job.message)
    print_report(command, kind_key, job)
    if job.error_count:
        raise CommandError(
            gettext("发现 %(errors)d 处错误，未写入任何数据。") % {"errors": job.error_count},
            returncode=1,
        )
    if not job.change_count:
        command.stdout.write(gettext("没有需要写入的变化。"))
        return
    if not apply:
        command.stdout.write(gettext("这是预检，未写入任何数据。确认无误后加上 --apply 执行导入。"))
        return
    runner.job_request_apply(actor=actor, job=job, background=False)
    job = runner.job_apply(job_id=job.pk)
    if job.status != SheetImportJob.Status.APPLIED:
        if job.report:
            print_report(command, kind_key, job)
        raise CommandError(job.message, returncode=1)
    catch_up_for(command)  # the figures count the imported rows before the command says done
    command.stdout.write(command.style.SUCCESS(gettext("导入完成。")))


def print_report(command: BaseCommand, kind_key: str, job: SheetImportJob) -> None:
    """Print the kind's lines of ``job``'s report, then its row errors on stderr."""
    report: dict[str, Any] = job.report or {}
    for line in import_kind(kind_key).report_lines(report):
        command.stdout.write(line)
    for error in report.get("errors", []):
        command.stderr.write(gettext("%(sheet)s 第%(row)d行 [%(column)s]：%(message)s") % error)
    if report.get("more_errors"):
        command.stderr.write(
            gettext("另有 %(more)d 处错误未列出。") % {"more": report["more_errors"]}
        )

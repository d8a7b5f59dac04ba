"""Import kinds: what an app declares to import a spreadsheet through the kit.

An app lists its kinds under the hook ``SHEET_IMPORTS`` of its ``plugins`` module; the kit finds
them there by ``key`` and by nothing else (``core`` imports no domain app). A kind brings what
only the app knows: who may import (``allowed``, built with the app's own permissions), how the
file's tables are read, how the rows are checked and written, its template, and its pages'
templates and URL names. The kit brings the job, the background work with its progress, the
file's limits, the pages' views and the command.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.utils.functional import Promise

from xinsheng.core.actors import Actor
from xinsheng.core.errors import NotFound
from xinsheng.core.plugins import contributions
from xinsheng.core.sheets.rows import RowError

HOOK = "SHEET_IMPORTS"


class Data(Protocol):
    """What a kind's ``read`` returns: the file's tables, however the kind holds them."""

    @property
    def total_rows(self) -> int: ...


class Plan(Protocol):
    """What a kind's ``check`` returns: the writes an import would make, and its row errors."""

    digest: str  # a hash of the writes; applying re-checks and must arrive at the same

    @property
    def errors(self) -> Sequence[RowError]: ...

    @property
    def change_count(self) -> int: ...

    def counts(self) -> dict[str, int]: ...  # the figures kept in the audit record

    def report(self) -> dict[str, Any]: ...  # JSON-safe, with ``errors_report``'s keys


@dataclass(frozen=True)
class ImportKind:
    """One kind of spreadsheet import, as an app declares it.

    ``read(upload)`` (a ``core.sheets.table.Upload``) returns the file's tables (raising
    ``InvalidInput`` for a bad file, best with the helpers of ``core.sheets.reader`` and
    ``core.sheets.table``);
    ``check(data, actor=…, progress=…)`` returns the plan without writing; ``write(plan,
    actor=…)`` writes it inside the import's transaction. ``template()`` returns the .xlsx
    template's bytes and ``template_name()`` its file name. ``report_lines(report)`` returns the
    lines the command prints for a report before the row errors.

    ``templates`` is the folder of the kind's page templates (``import.html``,
    ``import_job.html``, ``import_status.html``, which extend those of ``core/sheets/``) and
    ``url_name`` the name of its upload page; the job, status, apply and template pages are
    named after it (``<url_name>_job`` …), see :func:`xinsheng.core.sheets.urls.import_urls`.
    """

    key: str
    title: str | Promise
    action: str  # the action recorded in the audit log, e.g. "org.import"
    allowed: Callable[[Actor], bool]
    read: Callable[..., Data]
    check: Callable[..., Plan]
    write: Callable[..., None]
    template: Callable[[], bytes]
    template_name: Callable[[], str]
    report_lines: Callable[[dict[str, Any]], list[str]]
    templates: str
    url_name: str
    form_help: str | Promise = ""
    forbidden_message: str | Promise = ""  # what the command says to someone not allowed
    order: int = 100

    def url(self, page: str = "") -> str:
        """Return the URL name of one of the kind's pages ("", "job", "job_status", …)."""
        return f"{self.url_name}_{page}" if page else self.url_name


def import_kinds() -> list[ImportKind]:
    """Return every import kind of the installed apps."""
    return list(contributions(HOOK))


def import_kind(key: str) -> ImportKind:
    """Return the import kind ``key``; ``NotFound`` when no installed app declares it."""
    for kind in import_kinds():
        if kind.key == key:
            return kind
    raise NotFound()

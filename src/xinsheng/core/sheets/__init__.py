"""The spreadsheet import kit: what every import of an .xlsx or .csv file shares.

An app adds an import by declaring a kind (``kinds.ImportKind``) under the hook ``SHEET_IMPORTS``
of its ``plugins`` module, and mounting its pages with ``urls.import_urls``::

    # xinsheng/talks/plugins.py
    SHEET_IMPORTS = (talk_import.TALK_IMPORT,)

    # xinsheng/talks/talk_import.py
    TALK_IMPORT = ImportKind(
        key="talks", title=_("导入谈话记录"), action="talk.import",
        allowed=lambda actor: permissions.may_anywhere(actor, "talk.import"),
        read=read_talks, check=check_talks, write=write_talks,
        template=template_bytes, template_name=template_name, report_lines=report_lines,
        templates="talks/import/", url_name="talks:import",
    )

    # xinsheng/talks/urls.py
    urlpatterns = [..., *import_urls("talks", prefix="import/", name="import")]

The app writes the columns, a reader (built on ``reader``: file checks, limits, streamed rows),
a checker returning a plan with ``RowError`` rows (``rows``), a writer, a template (built with
``template``), and three small page templates extending ``core/sheets/*.html``. Its command is
``command.run_import``. The kit brings the rest, and imports no domain app:

- ``core.models.SheetImportJob``: the one job model of all kinds (file, status, progress, report);
- ``runner``: upload, dry run with progress, apply in one transaction, and their tasks;
- ``xlsx`` and ``reader``: the .xlsx stream (never sized by what the sheet claims) and .csv rows;
- ``rows``: the row errors and their part of the report;
- ``template``: the downloadable template;
- ``views`` and ``urls``: the upload, template, job, status and apply pages;
- ``command``: ``FILE --as USER [--apply]``.
"""

from django.urls import path

from xinsheng.cases import ledger_views

# Included under the "cases" namespace by cases/urls.py, at /cases/ledger/.
urlpatterns = [
    path("export/", ledger_views.export_start, name="ledger_export"),
    path("export/<int:job_id>/", ledger_views.export_job, name="ledger_export_job"),
    path(
        "export/<int:job_id>/status/",
        ledger_views.export_job_status,
        name="ledger_export_job_status",
    ),
    path(
        "export/<int:job_id>/download/",
        ledger_views.export_download,
        name="ledger_export_download",
    ),
    path("import/", ledger_views.import_start, name="ledger_import"),
    path("import/template.xlsx", ledger_views.import_template, name="ledger_import_template"),
    path("import/<int:job_id>/", ledger_views.import_job, name="ledger_import_job"),
    path(
        "import/<int:job_id>/status/",
        ledger_views.import_job_status,
        name="ledger_import_job_status",
    ),
    path("import/<int:job_id>/apply/", ledger_views.import_apply, name="ledger_import_apply"),
]

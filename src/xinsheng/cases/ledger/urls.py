from django.urls import path

from xinsheng.cases.ledger import views
from xinsheng.core.sheets.urls import import_urls

# Included under the "cases" namespace by cases/urls.py, at /cases/ledger/.
urlpatterns = [
    path("export/", views.export_start, name="ledger_export"),
    path("export/<int:job_id>/", views.export_job, name="ledger_export_job"),
    path(
        "export/<int:job_id>/status/",
        views.export_job_status,
        name="ledger_export_job_status",
    ),
    path(
        "export/<int:job_id>/download/",
        views.export_download,
        name="ledger_export_download",
    ),
    *import_urls("ledger", prefix="import/", name="ledger_import"),
]

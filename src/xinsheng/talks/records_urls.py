from django.urls import URLPattern, URLResolver, path

from xinsheng.core.sheets.urls import import_urls
from xinsheng.talks.records import views

# Staff pages of talk and visit records, at /talks/.
app_name = "talks"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.ledger, name="records"),
    path("new/", views.record_new, name="record_new"),
    path("people/", views.people_options, name="people_options"),
    path("<int:record_id>/", views.record_detail, name="record"),
    path("<int:record_id>/edit/", views.record_edit, name="record_edit"),
    path("export/", views.export_start, name="records_export"),
    path("export/<int:job_id>/", views.export_job, name="records_export_job"),
    path(
        "export/<int:job_id>/status/",
        views.export_job_status,
        name="records_export_job_status",
    ),
    path(
        "export/<int:job_id>/download/",
        views.export_download,
        name="records_export_download",
    ),
    *import_urls("talks", prefix="import/", name="records_import"),
]

from django.urls import path

from xinsheng.org import import_views

# Included under the "org" namespace by org/urls.py.
urlpatterns = [
    path("", import_views.import_start, name="import"),
    path("template.xlsx", import_views.import_template, name="import_template"),
    path("<int:job_id>/", import_views.import_job, name="import_job"),
    path("<int:job_id>/status/", import_views.import_job_status, name="import_job_status"),
    path("<int:job_id>/apply/", import_views.import_apply, name="import_apply"),
]

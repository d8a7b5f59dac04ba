"""Staff pages of surveys, under /surveys/."""

from django.urls import URLPattern, URLResolver, path

from xinsheng.engage.surveys import views

app_name = "surveys"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_new, name="new"),
    path("<int:survey_id>/", views.survey_detail, name="detail"),
    path("<int:survey_id>/edit/", views.survey_edit, name="edit"),
    path("<int:survey_id>/repeat/", views.survey_repeat, name="repeat"),
    path("<int:survey_id>/qr/", views.survey_qr, name="qr"),
    path("<int:survey_id>/qr/<str:unit_code>.png", views.survey_qr_png, name="qr_png"),
    path("<int:survey_id>/results/", views.survey_results, name="results"),
    path("<int:survey_id>/report/", views.survey_report, name="report"),
    path("<int:survey_id>/export.xlsx", views.survey_export, name="export"),
    path("exports/<int:job_id>/", views.export_job, name="export_job"),
    path("exports/<int:job_id>/status/", views.export_job_status, name="export_job_status"),
    path("exports/<int:job_id>/download/", views.export_download, name="export_download"),
    path("<int:survey_id>/texts/", views.survey_texts, name="texts"),
    path("<int:survey_id>/texts/cases/", views.survey_to_cases, name="to_cases"),
    path("questions/<int:question_id>/", views.question_edit, name="question"),
]

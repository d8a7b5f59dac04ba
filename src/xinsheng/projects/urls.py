from django.urls import path

from xinsheng.projects import views

# Staff pages of projects.
app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("export.xlsx", views.project_export, name="export"),
    path("new/", views.project_create, name="create"),
    path("commitments/", views.commitments, name="commitments"),
    path("report/", views.report, name="report"),
    path("<int:project_id>/", views.project_detail, name="detail"),
    path("<int:project_id>/edit/", views.project_edit, name="edit"),
    path("<int:project_id>/photos/<int:photo_id>/", views.project_photo, name="photo"),
    path("<int:project_id>/<slug:action>/", views.project_action, name="action"),
]

"""Pages of supervision groups and the coverage board, under /talks/supervision/."""

from django.urls import path

from xinsheng.talks.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_form, name="group_create"),
    path("groups/<int:group_id>/edit/", views.group_form, name="group_edit"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/new/", views.notice_issue, name="notice_issue"),
    path("notices/<int:notice_id>/answer/", views.notice_answer, name="notice_answer"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
]

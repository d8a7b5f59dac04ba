"""Pages of hardship files, pairs and care visits, under /care/families/."""

from django.urls import path

from xinsheng.care.families import views
from xinsheng.core.sheets.urls import import_urls

app_name = "care_families"
urlpatterns = [
    path("", views.file_list, name="list"),
    path("export.xlsx", views.file_export, name="export"),
    path("new/", views.file_propose, name="propose"),
    path("pairs/overdue/", views.pairs_overdue, name="pairs_overdue"),
    path("pairs/<int:pair_id>/end/", views.pair_end, name="pair_end"),
    path("<int:file_id>/", views.file_detail, name="detail"),
    path("<int:file_id>/yearly/", views.file_yearly, name="yearly"),
    path("<int:file_id>/pairs/", views.pair_add, name="pair_add"),
    path("<int:file_id>/visit/", views.visit_new, name="visit"),
    path(
        "<int:file_id>/<str:step>/",
        views.file_step,
        name="step",
    ),
    *import_urls("care_families", prefix="import/", name="import"),
]

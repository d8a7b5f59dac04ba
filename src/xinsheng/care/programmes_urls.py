"""Staff pages of assistance programmes and applications, mounted at /care/programmes/."""

from django.urls import URLPattern, URLResolver, path

from xinsheng.care.applications import views

app_name = "care_programmes"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.programme_list, name="list"),
    path("new/", views.programme_form, name="new"),
    path("<int:programme_id>/", views.programme_detail, name="detail"),
    path("<int:programme_id>/edit/", views.programme_form, name="edit"),
    path("<int:programme_id>/notice/", views.programme_notice, name="notice"),
    path("<int:programme_id>/ledger.xlsx", views.programme_ledger, name="ledger"),
    path("<int:programme_id>/roster/", views.programme_roster, name="roster"),
    path("applications/", views.application_list, name="applications"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:application_id>/", views.application_detail, name="application"),
    path(
        "applications/<int:application_id>/<slug:step>/",
        views.application_step,
        name="application_step",
    ),
    path("follow-ups/", views.follow_up_list, name="follow_ups"),
]

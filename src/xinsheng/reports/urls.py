from django.urls import URLPattern, URLResolver, include, path

from xinsheng.reports import views

# Staff pages of reports.
app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.counted_cases, name="cases"),
    path("briefings/", include("xinsheng.reports.briefing_urls")),
]

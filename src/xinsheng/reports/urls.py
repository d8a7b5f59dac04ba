from django.urls import URLPattern, URLResolver

# Staff pages of reports.
app_name = "reports"
urlpatterns: list[URLPattern | URLResolver] = []

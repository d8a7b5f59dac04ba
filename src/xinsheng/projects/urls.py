from django.urls import URLPattern, URLResolver

# Staff pages of projects.
app_name = "projects"
urlpatterns: list[URLPattern | URLResolver] = []

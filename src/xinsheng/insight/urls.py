from django.urls import URLPattern, URLResolver

# Staff pages of insight.
app_name = "insight"
urlpatterns: list[URLPattern | URLResolver] = []

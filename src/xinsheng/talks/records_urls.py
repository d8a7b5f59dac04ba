from django.urls import URLPattern, URLResolver

app_name = "talks"
urlpatterns: list[URLPattern | URLResolver] = []

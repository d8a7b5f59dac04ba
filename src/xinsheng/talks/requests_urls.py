from django.urls import URLPattern, URLResolver

app_name = "talk_requests"
urlpatterns: list[URLPattern | URLResolver] = []

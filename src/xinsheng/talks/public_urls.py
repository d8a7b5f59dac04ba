from django.urls import URLPattern, URLResolver

app_name = "talk_public"
urlpatterns: list[URLPattern | URLResolver] = []

from django.urls import URLPattern, URLResolver

app_name = "talk_cycles"
urlpatterns: list[URLPattern | URLResolver] = []

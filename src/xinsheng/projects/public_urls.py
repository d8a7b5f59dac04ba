from django.urls import URLPattern, URLResolver

# The public board of projects (公示), readable without login: /board/<unit code>/.
app_name = "board"
urlpatterns: list[URLPattern | URLResolver] = []

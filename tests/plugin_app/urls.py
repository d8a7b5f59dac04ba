from django.http import HttpRequest, HttpResponse
from django.urls import path

from xinsheng.core.sheets.urls import import_urls

app_name = "plugin_app"


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("plug-in page")


urlpatterns = [
    path("", home, name="home"),
    *import_urls("plugin_visits", prefix="import/", name="import"),
]

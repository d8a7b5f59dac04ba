from django.http import HttpRequest, HttpResponse
from django.urls import path

app_name = "plugin_app"


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("plug-in page")


urlpatterns = [path("", home, name="home")]

from django.urls import path

from xinsheng.org import import_views

# Included under the "org" namespace by org/urls.py.
urlpatterns = [
    path("", import_views.import_start, name="import"),
]

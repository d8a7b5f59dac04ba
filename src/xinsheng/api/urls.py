"""The API under /api/: version 1, its OpenAPI schema and documentation page.

Each installed app adds its endpoints under /api/v1/ through the ``API_URLS`` hook of its
``plugins`` module (the dotted path of a list of URL patterns). Anything else under /api/ answers
the JSON 404, so clients never receive an HTML page.
"""

from django.urls import URLPattern, URLResolver, include, path, re_path
from django.utils.module_loading import import_string
from drf_spectacular.views import SpectacularAPIView

from xinsheng.api import auth, views
from xinsheng.core.plugins import contributions

v1: list[URLPattern | URLResolver] = [
    path("auth/token", auth.TokenView.as_view(), name="api-token"),
]
for dotted in contributions("API_URLS"):
    v1 += import_string(dotted)

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", views.DocsView.as_view(url_name="api-schema"), name="api-docs"),
    # Last: every other path under /api/.
    re_path(r"", views.UnknownPathView.as_view(), name="api-unknown"),
]

"""The API under /api/: version 1, its OpenAPI schema and documentation page.

Anything else under /api/ answers the JSON 404, so clients never receive an HTML page.
"""

from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from xinsheng.api import auth, views
from xinsheng.org import api as org_api

v1: list[URLPattern | URLResolver] = [
    path("auth/token", auth.TokenView.as_view(), name="api-token"),
    path("me", views.MeView.as_view(), name="api-me"),
    path("units", org_api.UnitListView.as_view(), name="api-units"),
    path("units/<str:code>", org_api.UnitDetailView.as_view(), name="api-unit"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", views.DocsView.as_view(url_name="api-schema"), name="api-docs"),
    # Last: every other path under /api/.
    re_path(r"", views.UnknownPathView.as_view(), name="api-unknown"),
]

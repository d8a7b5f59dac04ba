"""The API under /api/: version 1, its OpenAPI schema and documentation page.

Anything else under /api/ answers the JSON 404, so clients never receive an HTML page.
"""

from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from xinsheng.api import auth, views
from xinsheng.cases import api as cases_api
from xinsheng.insight import api as insight_api
from xinsheng.org import api as org_api
from xinsheng.projects import api as projects_api
from xinsheng.reports import api as reports_api

v1: list[URLPattern | URLResolver] = [
    path("auth/token", auth.TokenView.as_view(), name="api-token"),
    path("me", views.MeView.as_view(), name="api-me"),
    path("units", org_api.UnitListView.as_view(), name="api-units"),
    path("units/<str:code>", org_api.UnitDetailView.as_view(), name="api-unit"),
    # The closed loop: public intake and follow-up, then the staff side.
    path("units/<str:unit_code>/cases", cases_api.IntakeView.as_view(), name="api-intake"),
    path("receipts/<str:receipt_code>", cases_api.ReceiptView.as_view(), name="api-receipt"),
    path(
        "receipts/<str:receipt_code>/rating",
        cases_api.RatingView.as_view(),
        name="api-receipt-rating",
    ),
    path("categories", cases_api.CategoryListView.as_view(), name="api-categories"),
    path("cases", cases_api.CaseListView.as_view(), name="api-cases"),
    path("cases/<str:case_no>", cases_api.CaseDetailView.as_view(), name="api-case"),
    *(
        path(f"cases/<str:case_no>/{action}", view.as_view(), name=f"api-case-{action}")
        for action, view in cases_api.ACTION_VIEWS.items()
    ),
    *reports_api.v1_urls,
    *projects_api.v1_urls,
    *insight_api.v1_urls,
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", views.DocsView.as_view(url_name="api-schema"), name="api-docs"),
    # Last: every other path under /api/.
    re_path(r"", views.UnknownPathView.as_view(), name="api-unknown"),
]

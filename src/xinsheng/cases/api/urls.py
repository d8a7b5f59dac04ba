"""The loop's endpoints under /api/v1/ (the ``API_URLS`` hook of ``cases.plugins``)."""

from django.urls import URLPattern, URLResolver, path

from xinsheng.cases.api.actions import ACTION_VIEWS
from xinsheng.cases.api.intake import IntakeView
from xinsheng.cases.api.ledger import CaseDetailView, CaseListView, CategoryListView
from xinsheng.cases.api.receipts import RatingView, ReceiptView

v1_urls: list[URLPattern | URLResolver] = [
    # The closed loop: public intake and follow-up, then the staff side.
    path("units/<str:unit_code>/cases", IntakeView.as_view(), name="api-intake"),
    path("receipts/<str:receipt_code>", ReceiptView.as_view(), name="api-receipt"),
    path("receipts/<str:receipt_code>/rating", RatingView.as_view(), name="api-receipt-rating"),
    path("categories", CategoryListView.as_view(), name="api-categories"),
    path("cases", CaseListView.as_view(), name="api-cases"),
    path("cases/<str:case_no>", CaseDetailView.as_view(), name="api-case"),
    *(
        path(f"cases/<str:case_no>/{action}", view.as_view(), name=f"api-case-{action}")
        for action, view in ACTION_VIEWS.items()
    ),
]

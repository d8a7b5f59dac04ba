"""Staff pages of proposals, mounted at /proposals/."""

from django.urls import URLPattern, URLResolver, path

from xinsheng.core.sheets.urls import import_urls
from xinsheng.proposals import export, views

app_name = "proposals"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.proposal_list, name="list"),
    path("waiting/", views.waiting_list, name="waiting"),
    path("windows/", views.window_list, name="windows"),
    path("windows/new/", views.window_new, name="window_new"),
    path("windows/<int:window_id>/edit/", views.window_edit, name="window_edit"),
    path("windows/<int:window_id>/group/", views.window_group, name="window_group"),
    path("from-case/", views.from_case, name="from_case"),
    path("ledger.xlsx", export.ledger_download, name="ledger"),
    *import_urls("proposals", prefix="import/", name="import"),
    path("<str:proposal_no>/", views.proposal_detail, name="detail"),
    path("<str:proposal_no>/score/", views.proposal_score, name="score"),
    path("<str:proposal_no>/attach/", views.proposal_attach, name="attach"),
    path(
        "<str:proposal_no>/payments/<int:payment_id>/reverse/",
        views.payment_reverse,
        name="reverse",
    ),
    path("<str:proposal_no>/photos/<int:photo_id>/", views.proposal_photo, name="photo"),
    path(
        "<str:proposal_no>/documents/<int:document_id>/",
        views.proposal_document,
        name="document",
    ),
    path("<str:proposal_no>/<slug:step>/", views.proposal_step, name="step"),
]

"""Public pages of proposals (no login), mounted at the site root."""

from django.urls import URLPattern, URLResolver, path

from xinsheng.proposals import public_views

app_name = "proposals_public"
urlpatterns: list[URLPattern | URLResolver] = [
    path("v/<str:unit_code>/jianyi/", public_views.proposal_form, name="form"),
    path("gongshi/jianyi/", public_views.notice_board, name="notice"),
]

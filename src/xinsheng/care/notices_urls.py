"""Public pages of assistance (no login), mounted at /gongshi/: the public notices (公示)."""

from django.urls import URLPattern, URLResolver, path

from xinsheng.care.applications import public_views

app_name = "care_public"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<int:notice_id>/", public_views.notice, name="notice"),
]

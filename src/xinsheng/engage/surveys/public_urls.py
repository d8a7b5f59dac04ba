"""Public survey pages (no login), mounted at /wenjuan/: the link, and a unit's QR code."""

from django.urls import URLPattern, URLResolver, path

from xinsheng.engage.surveys import public_views

app_name = "survey_public"
urlpatterns: list[URLPattern | URLResolver] = [
    path("<str:token>/", public_views.answer, name="answer"),
    path("<str:token>/<str:unit_code>/", public_views.answer, name="answer_at"),
]

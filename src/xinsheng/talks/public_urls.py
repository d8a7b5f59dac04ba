"""Public pages of talks (no login), mounted at /talk/: asking for a talk, and following it."""

from django.urls import URLPattern, URLResolver, path

from xinsheng.talks.requests import public_views

app_name = "talk_public"
urlpatterns: list[URLPattern | URLResolver] = [
    # Before the unit's page: "r" is the follow-up page, never read as a unit code.
    path("r/", public_views.follow, name="follow"),
    path("<str:unit_code>/", public_views.ask, name="request"),
]

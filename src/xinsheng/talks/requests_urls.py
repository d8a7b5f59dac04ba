"""Staff pages of talk requests (接受约谈), mounted at /talks/requests/."""

from django.urls import URLPattern, URLResolver, path

from xinsheng.talks.requests import views

app_name = "talk_requests"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.request_list, name="list"),
    path("new/", views.request_record, name="record"),
    path("<int:request_id>/", views.request_detail, name="detail"),
    path("<int:request_id>/<slug:step>/", views.request_step, name="step"),
]

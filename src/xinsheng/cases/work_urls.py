from django.urls import path

from xinsheng.cases import work_views

# Included under the "cases" namespace by cases/urls.py, before the case detail pattern.
urlpatterns = [
    path("inbox/dispatch/", work_views.dispatcher_inbox, name="dispatcher_inbox"),
    path("<str:case_no>/act/<str:action>/", work_views.case_act, name="act"),
]

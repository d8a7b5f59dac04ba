from django.urls import path

from xinsheng.cases import work_views

# Included under the "cases" namespace by cases/urls.py, before the case detail pattern.
urlpatterns = [
    path("inbox/dispatch/", work_views.dispatcher_inbox, name="dispatcher_inbox"),
    path("inbox/handle/", work_views.handler_inbox, name="handler_inbox"),
    path("inbox/supervise/", work_views.supervision, name="supervision"),
    path("<str:case_no>/act/<str:action>/", work_views.case_act, name="act"),
]

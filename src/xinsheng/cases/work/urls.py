from django.urls import path

from xinsheng.cases.work import views

# Included under the "cases" namespace by cases/urls.py, before the case detail pattern.
urlpatterns = [
    path("inbox/dispatch/", views.dispatcher_inbox, name="dispatcher_inbox"),
    path("inbox/handle/", views.handler_inbox, name="handler_inbox"),
    path("inbox/supervise/", views.supervision, name="supervision"),
    path("<str:case_no>/act/<str:action>/", views.case_act, name="act"),
]

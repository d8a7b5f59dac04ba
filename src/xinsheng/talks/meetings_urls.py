"""Pages of meetings and their rectification items, under /talks/meetings/."""

from django.urls import path

from xinsheng.talks.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/<int:item_id>/done/", views.rectification_done, name="rectification_done"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/items/", views.meeting_item_add, name="item_add"),
    path("<int:meeting_id>/questions/", views.meeting_question, name="question"),
]

"""Pages of distribution lists and sanatorium batches, under /care/lists/."""

from django.urls import path

from xinsheng.care.lists import distribution_views, sanatorium_views

app_name = "care_lists"
urlpatterns = [
    path("", distribution_views.distribution_list, name="distributions"),
    path("<int:programme_id>/", distribution_views.distribution_detail, name="distribution"),
    path("<int:programme_id>/build/", distribution_views.distribution_build, name="build"),
    path(
        "delivery/<int:recipient_id>/",
        distribution_views.delivery_confirm,
        name="deliver",
    ),
    path("batches/", sanatorium_views.batch_list, name="batches"),
    path("batches/new/", sanatorium_views.batch_new, name="batch_new"),
    path("batches/<int:batch_id>/", sanatorium_views.batch_detail, name="batch"),
    path("batches/<int:batch_id>/nominate/", sanatorium_views.batch_nominate, name="nominate"),
    path(
        "nominations/<int:nomination_id>/<str:step>/",
        sanatorium_views.nomination_step,
        name="nomination_step",
    ),
]

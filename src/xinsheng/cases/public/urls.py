from django.urls import path

from xinsheng.cases.public import answer_photos, views

# Public pages (no login), mounted at the site root.
app_name = "public"
urlpatterns = [
    path("v/<str:unit_code>/", views.intake_form, name="intake"),
    path("r/", views.receipt_lookup, name="receipt"),
    path("r/photo/<str:token>/", answer_photos.answer_photo, name="answer_photo"),
]

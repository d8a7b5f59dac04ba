from django.urls import path

from xinsheng.cases.public import answer_photos, receipt_views, views

# Public pages (no login), mounted at the site root.
app_name = "public"
urlpatterns = [
    path("v/<str:unit_code>/", views.intake_form, name="intake"),
    path("r/", views.receipt_lookup, name="receipt"),
    path("r/image/", receipt_views.receipt_image, name="receipt_image"),
    path("r/send/", receipt_views.receipt_send, name="receipt_send"),
    path("r/recover/", receipt_views.receipt_recover, name="receipt_recover"),
    path("r/photo/<str:token>/", answer_photos.answer_photo, name="answer_photo"),
]

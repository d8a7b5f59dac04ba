from django.urls import path

from xinsheng.cases import public_views

# Public pages (no login), mounted at the site root.
app_name = "public"
urlpatterns = [
    path("v/<str:unit_code>/", public_views.intake_form, name="intake"),
    path("r/", public_views.receipt_lookup, name="receipt"),
]

from django.urls import include, path

from xinsheng.cases import views

# Staff pages under /cases/. The work pages (inboxes and the action forms) are in work_urls.
app_name = "cases"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("notebook/", views.notebook, name="notebook"),
    path("", include("xinsheng.cases.work.urls")),
    path("qr/", include("xinsheng.cases.intake.qr_urls")),
    path("ledger/", include("xinsheng.cases.ledger.urls")),
    path("<str:case_no>/photos/<int:photo_id>/", views.case_photo, name="photo"),
    path("<str:case_no>/", views.case_detail, name="detail"),
]

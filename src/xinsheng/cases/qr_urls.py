from django.urls import path

from xinsheng.cases import qr_views

# Staff pages for a unit's QR code, under /cases/qr/, in the "cases" namespace.
urlpatterns = [
    path("<str:unit_code>/", qr_views.qr_page, name="qr"),
]

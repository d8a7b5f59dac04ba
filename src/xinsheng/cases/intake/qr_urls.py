from django.urls import path

from xinsheng.cases.intake import qr_views

# Staff pages for a unit's QR code, under /cases/qr/, in the "cases" namespace.
urlpatterns = [
    path("<str:unit_code>/", qr_views.qr_page, name="qr"),
    path("<str:unit_code>/qr.png", qr_views.qr_png, name="qr_png"),
    path("<str:unit_code>/qr.svg", qr_views.qr_svg, name="qr_svg"),
    path("<str:unit_code>/poster/", qr_views.qr_poster, name="qr_poster"),
    path("<str:unit_code>/manage/", qr_views.qr_manage, name="qr_manage"),
]

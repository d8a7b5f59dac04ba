from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("xinsheng.core.urls")),
    path("", include("xinsheng.cases.public_urls")),
    path("board/", include("xinsheng.projects.public_urls")),
    path("org/", include("xinsheng.org.urls")),
    path("cases/", include("xinsheng.cases.urls")),
    path("reports/", include("xinsheng.reports.urls")),
    path("projects/", include("xinsheng.projects.urls")),
    path("insight/", include("xinsheng.insight.urls")),
    path("api/", include("xinsheng.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

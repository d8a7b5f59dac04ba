"""The site's URLs: the core pages, then every installed app's pages (the ``URLS`` hook)."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from xinsheng.core.plugins import UrlMount, contributions

# A failed page: 503 with Retry-After while the database is away, else the plain 500 page.
handler500 = "xinsheng.core.views.server_error"

mounts: list[UrlMount] = contributions("URLS")
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("xinsheng.core.urls")),
    *(path(mount.prefix, include(mount.urlconf)) for mount in mounts),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

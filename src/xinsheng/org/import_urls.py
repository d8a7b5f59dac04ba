from xinsheng.core.sheets.urls import import_urls

# Included under the "org" namespace by org/urls.py, at /org/import/.
urlpatterns = import_urls("org", name="import")

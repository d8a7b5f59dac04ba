from django.urls import include, path

from xinsheng.org import views

app_name = "org"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("people/", views.people, name="people"),
    path("units/<str:code>/", views.unit_detail, name="unit"),
    path("import/", include("xinsheng.org.import_urls")),
]

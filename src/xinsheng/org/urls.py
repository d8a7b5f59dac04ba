from django.urls import path

from xinsheng.org import views

app_name = "org"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("people/", views.people, name="people"),
    path("import/", views.import_start, name="import"),
    path("units/<str:code>/", views.unit_detail, name="unit"),
]

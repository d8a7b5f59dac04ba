from django.urls import include, path

from xinsheng.org import views

app_name = "org"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("summary/", views.scope_summary, name="scope_summary"),
    path("unit-options/", views.unit_options, name="unit_options"),
    path("charge-options/", views.charge_options, name="charge_options"),
    path("unit-picker/", views.unit_picker_options, name="unit_picker_options"),
    path("people/", views.people, name="people"),
    path("people/<str:employee_no>/", views.person_detail, name="person"),
    path("people/<str:employee_no>/edit/", views.person_edit, name="person_edit"),
    path("units/<str:code>/", views.unit_detail, name="unit"),
    path("units/<str:code>/children/", views.unit_children, name="unit_children"),
    path("units/<str:code>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<str:code>/add-unit/", views.unit_add, name="unit_add"),
    path("units/<str:code>/add-person/", views.person_add, name="person_add"),
    path("units/<str:code>/roles/assign/", views.role_assign, name="role_assign"),
    path("units/<str:code>/roles/revoke/", views.role_revoke, name="role_revoke"),
    path("import/", include("xinsheng.org.import_urls")),
]

from django.urls import path

from xinsheng.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("<str:case_no>/", views.case_detail, name="detail"),
]

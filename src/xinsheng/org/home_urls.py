from django.urls import path

from xinsheng.org import views

urlpatterns = [
    path("", views.home, name="home"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from xinsheng.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/unread/", views.notification_badge, name="notification_badge"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
]

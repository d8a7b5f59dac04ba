from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "xinsheng.api"
    label = "api"
    verbose_name = _("接口")

    def ready(self) -> None:
        from django.contrib.auth import user_logged_out

        from xinsheng.api.signals import revoke_token_on_logout

        user_logged_out.connect(revoke_token_on_logout, dispatch_uid="api-revoke-token-on-logout")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "xinsheng.care"
    label = "care"
    verbose_name = _("困难帮扶")

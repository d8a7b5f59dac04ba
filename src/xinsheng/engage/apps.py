from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngageConfig(AppConfig):
    name = "xinsheng.engage"
    label = "engage"
    verbose_name = _("问卷与答题")

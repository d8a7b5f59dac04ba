from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightConfig(AppConfig):
    name = "xinsheng.insight"
    label = "insight"
    verbose_name = _("文本分析")

    def ready(self) -> None:
        from xinsheng.insight.panels import topics_panel
        from xinsheng.reports.panels import register_panel

        register_panel("insight/_topics_card.html", topics_panel)

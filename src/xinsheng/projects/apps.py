from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "xinsheng.projects"
    label = "projects"
    verbose_name = _("实事项目")

    def ready(self) -> None:
        from xinsheng.projects.panels import projects_panel
        from xinsheng.reports.panels import register_panel

        register_panel("projects/_dashboard_panel.html", projects_panel)

"""What text insight adds to the platform (see ``xinsheng.core.plugins``)."""

from django.utils.translation import gettext_lazy as _

from xinsheng.core.plugins import DemoPart, NavEntry, Panel, UrlMount
from xinsheng.insight import demo, panels, selectors, tasks
from xinsheng.org.choices import Role

# Keyword rules, models and hot topics.
ACTIONS = {"insight.manage": frozenset({Role.ADMINISTRATOR})}

NAV = (
    NavEntry("insight:topics", _("热点主题"), "report.view", order=90),
    NavEntry("insight:models", _("文本分析"), "insight.manage", order=95),
)
URLS = (UrlMount("insight/", "xinsheng.insight.urls", order=50),)
API_URLS = ("xinsheng.insight.api.v1_urls",)
DEMO = (DemoPart("insight", demo.demo_load, order=90),)
PERIODIC = tasks.PERIODIC
DASHBOARD_PANELS = (Panel("insight/_topics_card.html", panels.topics_panel, order=20),)
UNIT_SUGGESTIONS = (selectors.dispatch_unit_suggestion,)

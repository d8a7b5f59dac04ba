from django.urls import path

from xinsheng.reports import briefing_views

# Included under the "reports" namespace by reports/urls.py, at /reports/briefings/.
urlpatterns = [
    path("", briefing_views.briefing_list, name="briefing_list"),
    path("new/", briefing_views.briefing_new, name="briefing_new"),
    path("<int:briefing_id>/", briefing_views.briefing_detail, name="briefing_detail"),
    path("<int:briefing_id>/docx/", briefing_views.briefing_docx, name="briefing_docx"),
    path("<int:briefing_id>/print/", briefing_views.briefing_html, name="briefing_html"),
]

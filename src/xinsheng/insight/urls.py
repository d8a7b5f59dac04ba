from django.urls import URLPattern, URLResolver, path

from xinsheng.insight import topic_views, views

# Staff pages of text insight under /insight/.
app_name = "insight"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.models_page, name="models"),
    path("retrain/", views.model_retrain, name="retrain"),
    path("cases/<str:case_no>/suggestion/", views.case_suggestion, name="case_suggestion"),
    path("topics/", topic_views.topics_page, name="topics"),
    path("topics/run/", topic_views.topics_request, name="topics_request"),
    path("topics/run/<int:run_id>/status/", topic_views.topic_run_status, name="topic_run_status"),
    path("topics/<int:topic_id>/", topic_views.topic_detail, name="topic"),
    path("topics/<int:topic_id>/project/", topic_views.topic_to_project, name="topic_project"),
]

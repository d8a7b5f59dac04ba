"""The organiser's quiz pages, under /engage/quizzes/."""

from django.urls import path

from xinsheng.core.sheets.urls import import_urls
from xinsheng.engage.quizzes import views

app_name = "quizzes"
urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:campaign_id>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:campaign_id>/export.xlsx", views.campaign_export, name="campaign_export"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("rounds/<int:round_id>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:round_id>/export.xlsx", views.round_export, name="round_export"),
    path("bank/", views.bank_list, name="bank"),
    path("bank/new/", views.question_new, name="question_new"),
    path("bank/<int:question_id>/edit/", views.question_edit, name="question_edit"),
    path("bank/<int:question_id>/retire/", views.question_retire, name="question_retire"),
    path("bank/<int:question_id>/active/", views.question_active, name="question_active"),
    *import_urls("quiz_questions", prefix="bank/import/", name="import"),
]

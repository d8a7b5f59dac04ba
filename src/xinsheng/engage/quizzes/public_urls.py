"""The employee's quiz pages, under /dati/ (no login)."""

from django.urls import path

from xinsheng.engage.quizzes import public_views

app_name = "quiz_public"
urlpatterns = [
    path("<int:round_id>/", public_views.round_page, name="round"),
    path("<int:round_id>/start/", public_views.attempt_begin, name="start"),
    path("<int:round_id>/submit/", public_views.attempt_finish, name="submit"),
    path("<int:round_id>/review/", public_views.attempt_review, name="review"),
    path("<int:round_id>/board/", public_views.round_board, name="round_board"),
    path("campaign/<int:campaign_id>/board/", public_views.campaign_board, name="campaign_board"),
]

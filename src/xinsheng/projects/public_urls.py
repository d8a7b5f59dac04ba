from django.urls import path

from xinsheng.projects import public_views

# The public board of projects (公示), readable without login: /board/<unit code>/.
app_name = "board"
urlpatterns = [
    path("p/<str:token>/", public_views.project_page, name="project"),
    path("p/<str:token>/photos/<int:photo_id>/", public_views.project_photo, name="photo"),
    path("<str:unit_code>/", public_views.board, name="unit"),
]

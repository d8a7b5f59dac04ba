"""Staff pages of talk cycles (双向约谈), mounted at /talks/cycles/."""

from django.urls import URLPattern, URLResolver, path

from xinsheng.talks.cycles import views

app_name = "talk_cycles"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.cycle_list, name="list"),
    path("new/", views.cycle_create, name="create"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:rule_id>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:rule_id>/active/", views.rule_active, name="rule_active"),
    path("pairs/<int:pair_id>/held/", views.pair_held, name="pair_held"),
    path("pairs/<int:pair_id>/waived/", views.pair_waived, name="pair_waived"),
    path("<int:cycle_id>/", views.cycle_detail, name="detail"),
    path("<int:cycle_id>/generate/", views.cycle_generate, name="generate"),
    path("<int:cycle_id>/export.xlsx", views.cycle_export, name="export"),
]

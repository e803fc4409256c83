from django.urls import path

from scenarios import views

app_name = "scenarios"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("compare/", views.compare, name="compare"),
    path(f"{views.BUILT_IN}/", views.confidence, name="confidence"),
    path("<int:scenario_id>/", views.detail, name="detail"),
    path("<int:scenario_id>/edit/", views.edit, name="edit"),
    path("<int:scenario_id>/pack/", views.pack, name="pack"),
    path("<int:scenario_id>/adjustments/new/", views.adjustment_new, name="adjustment_new"),
    path(
        "<int:scenario_id>/adjustments/<int:adjustment_id>/delete/",
        views.adjustment_delete,
        name="adjustment_delete",
    ),
]

from django.urls import path

from savings import views

app_name = "savings"

urlpatterns = [
    path("", views.SavingsIndexView.as_view(), name="index"),
    path("charts/<str:chart>.csv", views.chart_csv, name="chart_csv"),
    # Before the code route, so that `new` is never read as an initiative code.
    path("initiatives/new/", views.initiative_new, name="initiative_new"),
    path("initiatives/<slug:initiative_code>/", views.initiative, name="initiative"),
    path("initiatives/<slug:initiative_code>/edit/", views.initiative_edit, name="initiative_edit"),
    path(
        "initiatives/<slug:initiative_code>/confidence/",
        views.confidence_edit,
        name="confidence_edit",
    ),
    path(
        "initiatives/<slug:initiative_code>/years/<str:year>/",
        views.record,
        name="record",
    ),
    path("targets/<str:year>/edit/", views.target_edit, name="target_edit"),
    path("new-year/", views.new_year, name="new_year"),
    path(
        "initiatives/<slug:initiative_code>/years/<str:year>/claims/new/",
        views.claim_new,
        name="claim_new",
    ),
    path("claims/<int:claim_id>/decide/", views.claim_decide, name="claim_decide"),
    path("claims/<int:claim_id>/evidence/", views.claim_evidence, name="claim_evidence"),
]

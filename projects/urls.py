"""Two URL sets: the projects (at /projects/, namespace `projects`) and the benefits (at
/benefits/, namespace `benefits`); metbudget/urls.py includes both."""

from django.urls import path

from projects import benefit_views, views

app_name = "projects"

urlpatterns = [
    path("", views.ProjectIndexView.as_view(), name="index"),
    # Before the code routes, so that `new` is never read as a project code.
    path("new/", views.project_new, name="new"),
    path("<slug:project_code>/", views.detail, name="detail"),
    path("<slug:project_code>/edit/", views.project_edit, name="edit"),
    path("<slug:project_code>/forecast/", views.forecast, name="forecast"),
    path("<slug:project_code>/rebaseline/", views.rebaseline_view, name="rebaseline"),
    path("<slug:project_code>/history.csv", views.timeline_csv, name="timeline_csv"),
]

benefit_urlpatterns = [
    path("", benefit_views.index, name="index"),
    path("officers/<str:year>/", benefit_views.officers, name="officers"),
    path("<slug:measure_code>/", benefit_views.measure, name="measure"),
    path("<slug:measure_code>/<str:month>/", benefit_views.record, name="record"),
    path("<slug:measure_code>/<str:month>/plan/", benefit_views.plan, name="plan"),
]

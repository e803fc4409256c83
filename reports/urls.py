from django.urls import path

from reports import history, report_views, views

# Named without a namespace: these are the site's own top-level pages.
urlpatterns = [
    path("", views.home, name="home"),
    path("charts/<str:chart>.csv", views.chart_csv, name="chart_csv"),
    path("history/", history.history, name="history"),
]

# Published reports, in the `reports:` namespace (metbudget/urls.py mounts them at /reports/).
report_urlpatterns = [
    path("", report_views.ReportListView.as_view(), name="index"),
    path("<int:pk>/", report_views.report_detail, name="report"),
]

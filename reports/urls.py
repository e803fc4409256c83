from django.urls import path

from reports import history, pack_views, views

# Named without a namespace: these are the site's own top-level pages.
urlpatterns = [
    path("", views.home, name="home"),
    path("charts/<str:chart>.csv", views.chart_csv, name="chart_csv"),
    path("history/", history.history, name="history"),
]
urlpatterns += pack_views.pack_urlpatterns

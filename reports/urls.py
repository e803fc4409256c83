from django.urls import path

from reports import contract_pages, glossary, pack_views, report_views, views
from reports.checklist_views import checklist_urlpatterns

# Named without a namespace: these are the site's own top-level pages.
urlpatterns = [
    path("", views.home, name="home"),
    path("charts/<str:chart>.csv", views.chart_csv, name="chart_csv"),
    path("history/", views.HistoryView.as_view(), name="history"),
    path("glossary/", glossary.glossary, name="glossary"),
]

# Published reports, in the `reports:` namespace (metbudget/urls.py mounts them at /reports/).
report_urlpatterns = [
    path("", report_views.ReportListView.as_view(), name="index"),
    path("<int:pk>/", report_views.report_detail, name="report"),
]
report_urlpatterns += pack_views.pack_urlpatterns
report_urlpatterns += checklist_urlpatterns

# The contract pages that show spend and savings, in the `contracts:` namespace beside the
# Admin's edits (contracts/urls.py); metbudget/urls.py mounts both under /contracts/.
contract_urlpatterns = [
    path("", contract_pages.ContractRegisterView.as_view(), name="index"),
    # Before `<reference>/`, so that "suppliers" is never read as a contract reference.
    path("suppliers/<int:pk>/", contract_pages.SupplierView.as_view(), name="supplier"),
    path("<slug:reference>/", contract_pages.contract_detail, name="detail"),
]

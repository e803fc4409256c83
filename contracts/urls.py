"""The Admin's contract edits. The register, contract and supplier pages share the
`contracts:` namespace from reports (reports/urls.py); metbudget/urls.py mounts both
lists under /contracts/."""

from django.urls import path

from contracts import views

app_name = "contracts"

urlpatterns = [
    path("<slug:reference>/edit/", views.contract_edit, name="edit"),
    path("<slug:reference>/changes/new/", views.change_new, name="change_new"),
]

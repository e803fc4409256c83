from django.urls import path

from contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.ContractRegisterView.as_view(), name="index"),
    # Before `<reference>/`, so that "suppliers" is never read as a contract reference.
    path("suppliers/<int:pk>/", views.supplier_detail, name="supplier"),
    path("<slug:reference>/", views.contract_detail, name="detail"),
    path("<slug:reference>/edit/", views.contract_edit, name="edit"),
    path("<slug:reference>/changes/new/", views.change_new, name="change_new"),
]

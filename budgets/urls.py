from django.urls import path, register_converter

from budgets import views


class YearLabelConverter:
    """A financial year label such as 2014-15."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(YearLabelConverter, "fy")

app_name = "budgets"

urlpatterns: list = [
    path("", views.BudgetLineListView.as_view(), name="index"),
    path("lines/<slug:code>/", views.line_detail, name="line"),
    path("<fy:year>/p<int:n>/", views.PeriodView.as_view(), name="period"),
    path("<fy:year>/forecast/", views.ForecastView.as_view(), name="forecast"),
    path("<fy:year>/reopen/", views.ReopenPeriodView.as_view(), name="reopen"),
    path("<fy:year>/budget/", views.BudgetSettingView.as_view(), name="set_budget"),
    path("import/budget-template.csv", views.budget_template_csv, name="budget_template_csv"),
    path("import/budget-template.xlsx", views.budget_template_xlsx, name="budget_template_xlsx"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/confirm/", views.ConfirmImportView.as_view(), name="import_confirm"),
    path("import/cancel/", views.CancelImportView.as_view(), name="import_cancel"),
    path("import/errors.csv", views.ImportProblemsView.as_view(), name="import_errors"),
    path("import/template.csv", views.template_csv, name="import_template_csv"),
    path("import/template.xlsx", views.template_xlsx, name="import_template_xlsx"),
    path("import/batches/", views.ImportBatchListView.as_view(), name="import_batches"),
    path(
        "import/batches/<int:batch_id>/",
        views.ImportBatchDetailView.as_view(),
        name="import_batch",
    ),
    path("changes/", views.BudgetChangeListView.as_view(), name="changes"),
    path("changes/new/", views.NewBudgetChangeView.as_view(), name="change_new"),
    path("changes/<int:change_id>/", views.change_detail, name="change"),
    path("<fy:year>/approve/", views.ApproveBudgetView.as_view(), name="approve"),
]

"""/api/v1/: one router line per resource (see api/base.py), the schema and its docs.

The API answers for itself who is calling (token or session, api/authentication.py): its
views are exempt from the site's sign-in redirect, so an anonymous call gets a 401, not a
login page."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api.docs import docs
from api.resources.budgets import (
    BudgetChangeViewSet,
    BudgetLineViewSet,
    CategoryViewSet,
    MonthlyFigureViewSet,
    YearViewSet,
)
from api.resources.contracts import ContractChangeViewSet, ContractViewSet, SupplierViewSet
from api.resources.entry import FigureBatchViewSet
from api.resources.history import HistoryViewSet
from api.resources.projects import BenefitMeasureViewSet, BenefitValueViewSet, ProjectViewSet
from api.resources.reports import PublishedReportViewSet
from api.resources.savings import (
    InitiativeViewSet,
    InitiativeYearViewSet,
    SavingsClaimViewSet,
    SavingsTargetViewSet,
)

app_name = "api"

# Plain `path()` routes (not regexes), so the permission matrix can walk them.
router = SimpleRouter(use_regex_path=False)
router.register("years", YearViewSet, basename="year")
router.register("categories", CategoryViewSet, basename="category")
router.register("lines", BudgetLineViewSet, basename="line")
router.register("figures", MonthlyFigureViewSet, basename="figure")
router.register("figure-batches", FigureBatchViewSet, basename="figure-batch")
router.register("budget-changes", BudgetChangeViewSet, basename="budget-change")
router.register("suppliers", SupplierViewSet, basename="supplier")
router.register("contracts", ContractViewSet, basename="contract")
router.register("contract-changes", ContractChangeViewSet, basename="contract-change")
router.register("savings-targets", SavingsTargetViewSet, basename="savings-target")
router.register("initiatives", InitiativeViewSet, basename="initiative")
router.register("initiative-years", InitiativeYearViewSet, basename="initiative-year")
router.register("savings-claims", SavingsClaimViewSet, basename="savings-claim")
router.register("projects", ProjectViewSet, basename="project")
router.register("benefit-measures", BenefitMeasureViewSet, basename="benefit-measure")
router.register("benefit-values", BenefitValueViewSet, basename="benefit-value")
router.register("reports", PublishedReportViewSet, basename="report")
router.register("history", HistoryViewSet, basename="history")

api_patterns = [
    *router.urls,
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]
for pattern in api_patterns:
    login_not_required(pattern.callback)

urlpatterns = [*api_patterns, path("docs/", docs, name="docs")]

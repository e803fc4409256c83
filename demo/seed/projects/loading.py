"""`load_projects`: creates what is missing of the demo's projects, benefit measures and
officer numbers, keyed on natural keys, so that running it again changes nothing and keeps
what users changed. History rows carry the loading user and the story's own dates."""

from datetime import date, datetime, time
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from budgets.models import BudgetLine, FinancialYear
from contracts.models import Contract
from demo.seed.projects.benefits import MEASURE_VALUES, MEASURES, OFFICERS, OFFICERS_SOURCE
from demo.seed.projects.specs import ILLUSTRATIVE_MONTHLY, PROJECTS, ProjectSpec
from projects.models import (
    BenefitMeasure,
    BenefitValue,
    OfficerCount,
    Project,
    ProjectForecast,
    Rebaseline,
)
from savings.models import Initiative

MILLION = Decimal(1_000_000)
CHANGE_REASON = "Demo data loaded by seed_demo"


def m(millions: str) -> Decimal:
    return (Decimal(millions) * MILLION).quantize(Decimal("0.01"))


def _when(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


@transaction.atomic
def load_projects(*, user: AbstractBaseUser | None = None) -> None:
    """Create what is missing; history rows carry `user` and the story's own dates."""
    for spec in PROJECTS:
        _load_project(spec, user)
    for spec in MEASURES:
        _load_measure(spec, user)
    # Years with spend recorded; the plan's later years have no officer numbers to divide by.
    recorded = FinancialYear.objects.filter(figures__actual__isnull=False).distinct()
    for year in recorded.exclude(officer_count__isnull=False):
        count = OfficerCount(year=year, officers=OFFICERS, source=OFFICERS_SOURCE)
        count._history_user, count._change_reason = user, CHANGE_REASON
        count.save()


def _load_project(spec: ProjectSpec, user) -> None:
    project = Project.objects.filter(code=spec.code).first()
    if project is None:
        project = _create_project(spec, user)
    for baseline, previous in zip(spec.baselines, (None, *spec.baselines), strict=False):
        if project.baselines.filter(effective=baseline.effective).exists():
            continue
        row = Rebaseline(
            project=project,
            effective=baseline.effective,
            cost=m(baseline.cost),
            go_live=baseline.go_live,
            previous_cost=m(previous.cost) if previous else None,
            previous_go_live=previous.go_live if previous else None,
            approver=baseline.approver,
            reason=baseline.reason,
            source=baseline.source or spec.source,
            recorded_by=user,
        )
        row._history_user, row._history_date = user, _when(baseline.effective)
        row.save()
    for as_of, cost, go_live, reason in spec.forecasts:
        if project.forecasts.filter(as_of=as_of).exists():
            continue
        row = ProjectForecast(
            project=project,
            as_of=as_of,
            cost=m(cost),
            go_live=go_live,
            reason=reason,
            source=ILLUSTRATIVE_MONTHLY,
            recorded_by=user,
        )
        row._history_user, row._history_date = user, _when(as_of)
        row.save()


def _create_project(spec: ProjectSpec, user) -> Project:
    """The project as it stands now, with its confidence history dated as it happened."""
    _, last_cost, last_go_live, _ = spec.forecasts[-1]
    (first_day, first_confidence, first_reason), *changes = spec.confidence
    project = Project(
        code=spec.code,
        name=spec.name,
        description=spec.description,
        owner=spec.owner,
        stage=spec.stage,
        closed_on=spec.closed_on,
        confidence=first_confidence,
        baseline_cost=m(spec.baselines[-1].cost),
        baseline_go_live=spec.baselines[-1].go_live,
        forecast_cost=m(last_cost),
        forecast_go_live=last_go_live,
        source=spec.source,
    )
    project._history_user, project._history_date = user, _when(first_day)
    project._change_reason = f"{CHANGE_REASON}. {first_reason}"[:100]
    project.save()
    for day, confidence, reason in changes:
        project.confidence = confidence
        project._history_user, project._history_date = user, _when(day)
        project._change_reason = reason
        project.save()
    project.lines.set(BudgetLine.objects.filter(code__in=spec.lines))
    project.contracts.set(Contract.objects.filter(reference__in=spec.contracts))
    project.initiatives.set(Initiative.objects.filter(code__in=spec.initiatives))
    return project


def _load_measure(spec: dict, user) -> None:
    measure = BenefitMeasure.objects.filter(code=spec["code"]).first()
    if measure is None:
        measure = BenefitMeasure(
            **spec
            | {
                "project": Project.objects.filter(code=spec["project"]).first(),
                "initiative": Initiative.objects.filter(code=spec["initiative"]).first(),
                "owner": "Chief Technology Officer",
            }
        )
        measure._history_user, measure._change_reason = user, CHANGE_REASON
        measure.save()
    existing = set(measure.values.values_list("month", flat=True))
    missing = [
        BenefitValue(measure=measure, month=month, planned=planned, actual=actual, updated_by=user)
        for month, (planned, actual) in MEASURE_VALUES[spec["code"]]().items()
        if month not in existing
    ]
    if missing:
        bulk_create_with_history(missing, BenefitValue, batch_size=500, default_user=user)

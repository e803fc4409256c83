"""A scenario worked out at scale: a stored scenario with a contract renegotiated, an
initiative slipped and another scaled, weighted by confidence, timed both as the
computation alone and as its page, beside the floor measured in the same run."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from contracts.models import Contract
from demo.bench.dataset import Dataset
from demo.bench.timing import TARGETS, time_calls
from savings.models import Initiative
from scenarios.engine import compute
from scenarios.models import Adjustment
from scenarios.services import add_adjustment, create_scenario


def _adjustments(data: Dataset) -> list[Adjustment]:
    """One of each contract and initiative kind the dataset can take."""
    latest = data.latest
    contract = (
        Contract.objects.live()
        .filter(budget_lines__isnull=False, end_date__gte=latest.start)
        .order_by("reference")
        .first()
    )
    initiatives = list(Initiative.objects.exclude(stage="abandoned").order_by("code")[:2])
    found = []
    if contract is not None:
        found.append(
            Adjustment(
                kind=Adjustment.Kind.RENEGOTIATE,
                contract=contract,
                on_date=latest.start,
                percent=Decimal("-10"),
            )
        )
    if initiatives:
        found.append(Adjustment(kind=Adjustment.Kind.SLIP, initiative=initiatives[0], months=6))
    if len(initiatives) > 1:
        found.append(
            Adjustment(kind=Adjustment.Kind.SCALE, initiative=initiatives[1], factor=Decimal("0.5"))
        )
    return found


def measure_scenario(data: Dataset, client: Client, repeats: int, floor_ms: float) -> dict:
    """The scenario's computation and its page: median and p95, the page's median as a
    multiple of the floor's, and whether the page's p95 is within the target."""
    scenario = create_scenario(
        user=data.finance_user, data={"name": "Bench", "weight_by_confidence": True}
    )
    adjustments = _adjustments(data)
    for adjustment in adjustments:
        add_adjustment(
            scenario=scenario, adjustment=adjustment, user=data.finance_user, expected_version=None
        )
    stored = list(scenario.adjustments.select_related("contract", "initiative", "line", "year"))
    computed = time_calls(lambda: compute(stored, weight_by_confidence=True), repeats)
    url = reverse("scenarios:detail", args=[scenario.pk])
    status = client.get(url).status_code
    page = time_calls(lambda: client.get(url), repeats)
    return {
        "adjustments": [a.kind for a in adjustments],
        "status": status,
        "compute": computed,
        **page,
        "floor_ratio": round(page["median_ms"] / floor_ms, 2) if floor_ms else None,
        "meets_target": status == 200 and page["p95_ms"] <= TARGETS["scenario_ms"],
    }

"""The demo data, loaded for tests that visit every page: a real object for every URL
parameter, so a walk of the URL resolver reaches pages with their charts and tables."""

import io

from django.core.management import call_command

from budgets.models import BudgetLine
from contracts.models import Contract, Supplier
from projects.models import BenefitMeasure, Project
from savings.models import Initiative

DEMO_PASSWORD = "kestrel-harbour-lantern-42"


def seed_demo(monkeypatch, settings) -> str:
    """Load the demo; its users (finance, committee, admin) sign in with DEMO_PASSWORD."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    call_command("seed_demo", stdout=io.StringIO())
    return DEMO_PASSWORD


def demo_samples() -> dict:
    line = BudgetLine.objects.order_by("code").first()
    contract = Contract.objects.order_by("reference").first()
    initiative = Initiative.objects.order_by("code").first()
    supplier = Supplier.objects.order_by("pk").first()
    return {
        "code": line.code,
        "line_code": line.code,
        "initiative_code": initiative.code,
        "reference": contract.reference,
        "year": "2015-16",
        "n": 6,
        "period": 6,
        "pk": supplier.pk,
        "supplier_id": supplier.pk,
        "batch_id": 1,
        "initiative_id": initiative.pk,
        "chart": "pipeline",
        "project_code": Project.objects.order_by("code").first().code,
        "measure_code": BenefitMeasure.objects.order_by("code").first().code,
        "month": "2015-06",
        "section": "summary",
        "scenario_id": 1,
        "adjustment_id": 1,
        "label": "2015-16",
        "token_id": 1,
        "claim_id": 1,
        "change_id": 1,
    }

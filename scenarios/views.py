"""Scenario pages: everyone reads them; Finance and Admin make and change them (checked
here and again in `scenarios.services`)."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.locking import StaleVersionError
from contracts.forms import add_errors
from savings.models import Initiative
from scenarios.charts import gap_chart
from scenarios.engine import MEASURES, Base, compute, confidence_weights
from scenarios.forms import AdjustmentForm, PackForm, ScenarioForm
from scenarios.models import Adjustment, Scenario
from scenarios.services import (
    ADD_TO_PACK,
    WRITE_SCENARIOS,
    add_adjustment,
    add_to_pack,
    create_scenario,
    remove_adjustment,
    update_scenario,
)

READ = "scenarios.view_scenario"
BUILT_IN = "confidence-weighted"
MAX_COMPARED = 3


def built_in() -> Scenario:
    """The confidence-weighted scenario: no adjustments, every initiative's forecast
    savings discounted by its delivery confidence. Never stored."""
    return Scenario(
        name="Confidence-weighted",
        description="Every initiative's forecast savings discounted by its delivery "
        "confidence, with the weights below; nothing else changed.",
        weight_by_confidence=True,
    )


def results_of(scenario: Scenario, base: Base | None = None):
    adjustments = (
        list(scenario.adjustments.select_related("contract", "initiative", "line", "year"))
        if scenario.pk
        else []
    )
    weighted = scenario.weight_by_confidence
    return adjustments, compute(adjustments, weight_by_confidence=weighted, base=base)


def weights() -> list[tuple[str, object]]:
    """(confidence, percent) for the page, in the five-point order, best first."""
    found = confidence_weights()
    return [(str(c.label), found.get(c.value)) for c in reversed(Initiative.Confidence)]


@require_safe
@permission_required(READ, raise_exception=True)
def index(request: HttpRequest) -> HttpResponse:
    scenarios = Scenario.objects.select_related("made_by").order_by("name", "pk")
    context = {
        "scenarios": scenarios,
        "built_in": built_in(),
        "built_in_key": BUILT_IN,
        "weights": weights(),
        "can_write": request.user.has_perms(WRITE_SCENARIOS),
    }
    return render(request, "scenarios/index.html", context)


def _detail(request: HttpRequest, scenario: Scenario) -> HttpResponse:
    adjustments, results = results_of(scenario)
    context = {
        "scenario": scenario,
        "adjustments": adjustments,
        "results": results,
        "chart": gap_chart([(scenario.name, results)]),
        "weights": weights(),
        "can_write": request.user.has_perms(WRITE_SCENARIOS) and scenario.pk is not None,
        "pack_form": PackForm(),
        "appendices": scenario.appendices.select_related("report__year") if scenario.pk else [],
    }
    return render(request, "scenarios/detail.html", context)


@require_safe
@permission_required(READ, raise_exception=True)
def detail(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = get_object_or_404(
        Scenario.objects.select_related("made_by", "updated_by"), pk=scenario_id
    )
    return _detail(request, scenario)


@require_safe
@permission_required(READ, raise_exception=True)
def confidence(request: HttpRequest) -> HttpResponse:
    return _detail(request, built_in())


def _chosen(keys: list[str]) -> list[Scenario]:
    ids = [int(key) for key in keys if key.isdigit()]
    stored = Scenario.objects.in_bulk(ids)
    chosen = [
        built_in() if key == BUILT_IN else stored.get(int(key) if key.isdigit() else 0)
        for key in keys
    ]
    if None in chosen:
        raise Http404("No such scenario")
    return chosen


@require_safe
@permission_required(READ, raise_exception=True)
def compare(request: HttpRequest) -> HttpResponse:
    """Two or three scenarios side by side, each against the same live base."""
    keys = list(dict.fromkeys(request.GET.getlist("s")))
    error = ""
    if not 2 <= len(keys) <= MAX_COMPARED:
        error = f"Choose two or three scenarios to compare (you chose {len(keys)})."
        keys = []
    chosen = _chosen(keys)
    base = Base.live() if chosen else None  # one reading of the live figures for all
    compared = [(s, results_of(s, base)[1]) for s in chosen]
    context = {
        "compared": compared,
        "side_by_side": side_by_side(compared),
        "error": error,
        "chart": gap_chart([(s.name, r) for s, r in compared]) if compared else None,
        "scenarios": Scenario.objects.order_by("name", "pk"),
        "built_in_key": BUILT_IN,
        "chosen": keys,
    }
    return render(
        request, "scenarios/compare.html", context, status=400 if error and request.GET else 200
    )


def side_by_side(compared: list) -> list[dict]:
    """Per year, each figure's base then every compared scenario's value."""
    if not compared:
        return []
    years = zip(*(results.years for _, results in compared), strict=True)
    return [
        {
            "label": each[0].year.label,
            "rows": [
                {
                    "key": key,
                    "label": label,
                    "percent": is_percent,
                    "values": [each[0].base[key], *(y.scenario[key] for y in each)],
                }
                for key, label, is_percent in MEASURES
            ],
        }
        for each in years
    ]


def _submit(form: forms.BaseForm, save: Callable[[dict], object]) -> tuple[object, int]:
    """Save a posted, valid form: (what was saved, 200); a stale save gives (None, 409)
    with the typed values offered again; a refusal names its field."""
    if not form.is_bound or not form.is_valid():
        return None, 200
    try:
        return save(form.cleaned_data), 200
    except StaleVersionError as error:
        form.offer_again(error)
        return None, 409
    except ValidationError as error:
        add_errors(form, {field: " ".join(m) for field, m in error.message_dict.items()})
        return None, 200


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(WRITE_SCENARIOS, raise_exception=True)
def new(request: HttpRequest) -> HttpResponse:
    form = ScenarioForm(_posted(request), instance=Scenario())
    saved, status = _submit(form, lambda data: create_scenario(user=request.user, data=data))
    if saved:
        messages.success(request, f"Made the scenario {saved.name}. Now add its adjustments.")
        return redirect(saved)
    return render(request, "scenarios/scenario_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(WRITE_SCENARIOS, raise_exception=True)
def edit(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = get_object_or_404(Scenario, pk=scenario_id)
    form = ScenarioForm(_posted(request), instance=Scenario.objects.get(pk=scenario.pk))
    saved, status = _submit(
        form,
        lambda data: update_scenario(
            scenario=scenario, user=request.user, data=data, expected_version=data["version"]
        ),
    )
    if saved:
        messages.success(request, f"Saved the scenario {saved.name}.")
        return redirect(saved)
    context = {"form": form, "scenario": scenario}
    return render(request, "scenarios/scenario_form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(WRITE_SCENARIOS, raise_exception=True)
def adjustment_new(request: HttpRequest, scenario_id: int) -> HttpResponse:
    scenario = get_object_or_404(Scenario, pk=scenario_id)
    form = AdjustmentForm(
        _posted(request),
        instance=Adjustment(scenario=scenario),
        initial={"version": scenario.version},
    )
    saved, status = _submit(
        form,
        lambda data: add_adjustment(
            scenario=scenario,
            adjustment=form.instance,
            user=request.user,
            expected_version=data["version"],
        ),
    )
    if saved:
        messages.success(request, f"Added: {saved.summary}.")
        return redirect(scenario)
    context = {"form": form, "scenario": scenario}
    return render(request, "scenarios/adjustment_form.html", context, status=status)


@require_POST
@permission_required(WRITE_SCENARIOS, raise_exception=True)
def adjustment_delete(request: HttpRequest, scenario_id: int, adjustment_id: int) -> HttpResponse:
    adjustment = get_object_or_404(
        Adjustment.objects.select_related("scenario"), pk=adjustment_id, scenario_id=scenario_id
    )
    version = request.POST.get("version", "")
    try:
        remove_adjustment(
            adjustment=adjustment,
            user=request.user,
            expected_version=int(version) if version.isdigit() else -1,
        )
    except StaleVersionError as error:
        messages.error(request, str(error).replace("Your values are kept below: c", "C"))
    else:
        messages.success(request, f"Removed: {adjustment.summary}.")
    return redirect(adjustment.scenario)


@require_POST
@permission_required((*WRITE_SCENARIOS, ADD_TO_PACK), raise_exception=True)
def pack(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """Put the scenario's results, as they are now, in a published report's pack."""
    scenario = get_object_or_404(Scenario, pk=scenario_id)
    form = PackForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a published report to put the scenario in.")
        return redirect(scenario)
    report = form.cleaned_data["report"]
    try:
        appendix = add_to_pack(scenario=scenario, report=report, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(scenario)
    messages.success(request, f"Added {scenario.name} to the pack of {report} as an appendix.")
    return redirect(reverse("reports:pack", args=[report.pk]) + f"#appendix-{appendix.pk}")

"""Project pages: the register, one project (its ballooning picture), and the forms to edit
the register (Admin), update a forecast (Finance) and record a re-baseline (Admin)."""

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_http_methods, require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from common.exports import SafeExportMixin, csv_response
from common.locking import StaleVersionError
from projects.charts import cost_history_chart, go_live_history_chart, growth_chart
from projects.figures import project_spend, project_timeline, projects_summary
from projects.filters import ProjectFilter
from projects.forms import ForecastForm, ProjectForm, RebaselineForm
from projects.models import (
    COST_AMBER_PERCENT,
    COST_RED_PERCENT,
    SLIP_AMBER_MONTHS,
    SLIP_RED_MONTHS,
    Project,
)
from projects.services import rebaseline, record_forecast, save_project
from projects.tables import ProjectTable

EDIT_METHODS = ["GET", "HEAD", "POST"]


def as_at_from(request: HttpRequest) -> date | None:
    """`?as_at=2015-09-30`, or None (today) when absent or not a date."""
    try:
        return parse_date(request.GET.get("as_at", ""))
    except ValueError:
        return None


def add_errors(form: Form, error: ValidationError) -> None:
    """A service's refusal on the form: on its field where the form has one."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, errors in error.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


def save_form(
    request: HttpRequest,
    form: Form,
    write: Callable[[dict], object],
    template: str,
    context: dict,
    done: Callable[[object], tuple[str, str]],
) -> HttpResponse:
    """The edit pages' one pattern: on a valid POST call the service; a stale save shows
    the other person's values beside the typed ones (409); a refusal shows on the form;
    success says what was saved (`done` gives the message and the address to go to)."""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = write(form.cleaned_data)
        except StaleVersionError as error:
            form.offer_again(error)
            status = 409
        except ValidationError as error:
            add_errors(form, error)
        else:
            message, url = done(saved)
            messages.success(request, message)
            return redirect(url)
    return render(request, template, {"form": form, **context}, status=status)


def tolerances() -> dict:
    """The tolerance settings, for the pages that state them."""
    return {
        "cost_red": COST_RED_PERCENT,
        "cost_amber": COST_AMBER_PERCENT,
        "slip_red": SLIP_RED_MONTHS,
        "slip_amber": SLIP_AMBER_MONTHS,
    }


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


class ProjectIndexView(SafeExportMixin, SingleTableMixin, FilterView):
    """The register: every project's cost growth and schedule slip against tolerance."""

    template_name = "projects/index.html"
    table_class = ProjectTable
    filterset_class = ProjectFilter
    export_name = "projects"

    def get_queryset(self):
        return Project.objects.with_growth(as_at_from(self.request))

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        as_at = as_at_from(self.request)
        context.update(
            as_at=as_at,
            summary=projects_summary(as_at),
            tolerance=tolerances(),
            chart=growth_chart(
                list(Project.objects.with_growth(as_at).order_by("code")), as_at=as_at
            ),
        )
        return context


@require_safe
def detail(request: HttpRequest, project_code: str) -> HttpResponse:
    as_at = as_at_from(request)
    project = get_object_or_404(
        Project.objects.with_growth(as_at).prefetch_related(
            "lines__category", "contracts__supplier", "initiatives", "benefits"
        ),
        code=project_code,
    )
    timeline = project_timeline(project)
    history = list(project.history.select_related("history_user").order_by("history_date"))
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "as_at": as_at,
            "tolerance": tolerances(),
            "charts": [
                cost_history_chart(project, timeline),
                go_live_history_chart(project, timeline),
            ],
            "forecasts": project.forecasts.select_related("recorded_by").order_by("-as_of", "-pk"),
            "baselines": project.baselines.select_related("recorded_by").order_by(
                "-effective", "-pk"
            ),
            "confidence_changes": confidence_changes(history),
            "spend": project_spend(project),
        },
    )


def confidence_changes(history: list) -> list[dict]:
    """Each change of delivery confidence in a project's history rows (oldest first in,
    newest first out), with the row before it and the reason given."""
    changes = [
        {"record": record, "previous": previous}
        for previous, record in zip([None, *history], history, strict=False)
        if previous is None or previous.confidence != record.confidence
    ]
    return changes[::-1]


@require_safe
def timeline_csv(request: HttpRequest, project_code: str) -> HttpResponse:
    project = get_object_or_404(Project, code=project_code)
    keys = ("date", "kind", "forecast_cost", "forecast_go_live", "baseline_cost")
    keys += ("baseline_go_live", "reason")
    header = ["Date", "Change", "Forecast cost", "Forecast go-live", "Baseline cost"]
    header += ["Baseline go-live", "Reason"]
    rows = [[r[key] for key in keys] for r in project_timeline(project)]
    return csv_response(f"{project.code}-forecast-history.csv", header, rows)


def _edit(request: HttpRequest, project: Project | None) -> HttpResponse:
    saved_code = project.code if project else ""
    form = ProjectForm(_posted(request), instance=project or Project())
    return save_form(
        request,
        form,
        lambda data: save_project(project=project, user=request.user, **form.details()),
        "projects/project_form.html",
        {"saved_code": saved_code},
        lambda saved: (f"Saved project {saved.code}.", saved.get_absolute_url()),
    )


@require_http_methods(EDIT_METHODS)
@permission_required("projects.add_project", raise_exception=True)
def project_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@require_http_methods(EDIT_METHODS)
@permission_required("projects.change_project", raise_exception=True)
def project_edit(request: HttpRequest, project_code: str) -> HttpResponse:
    return _edit(request, get_object_or_404(Project, code=project_code))


@require_http_methods(EDIT_METHODS)
@permission_required("projects.add_projectforecast", raise_exception=True)
def forecast(request: HttpRequest, project_code: str) -> HttpResponse:
    """Finance records a new forecast of cost and go-live, with the reason it moved."""
    project = get_object_or_404(Project, code=project_code)
    form = ForecastForm(_posted(request), project=project)
    return save_form(
        request,
        form,
        lambda data: record_forecast(
            project=project,
            version=data["version"],
            cost=data["forecast_cost"],
            go_live=data["forecast_go_live"],
            as_of=data["as_of"],
            reason=data["reason"],
            user=request.user,
        ),
        "projects/forecast_form.html",
        {"project": project},
        lambda saved: (f"Saved the forecast for {project.code}.", project.get_absolute_url()),
    )


@require_http_methods(EDIT_METHODS)
@permission_required("projects.add_rebaseline", raise_exception=True)
def rebaseline_view(request: HttpRequest, project_code: str) -> HttpResponse:
    """Admin records an approved baseline (the business case's, or a re-baseline)."""
    project = get_object_or_404(Project, code=project_code)
    form = RebaselineForm(_posted(request), project=project)
    return save_form(
        request,
        form,
        lambda data: rebaseline(
            project=project,
            version=data["version"],
            cost=data["baseline_cost"],
            go_live=data["baseline_go_live"],
            effective=data["effective"],
            approver=data["approver"],
            reason=data["reason"],
            user=request.user,
        ),
        "projects/rebaseline_form.html",
        {"project": project},
        lambda saved: (f"Saved the baseline for {project.code}.", project.get_absolute_url()),
    )

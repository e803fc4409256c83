"""Every write: the allowed role succeeds and the stored rows are re-read; the wrong role
is refused and nothing changes; a stale version is refused; reasons are kept."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from common.locking import StaleVersionError
from projects.models import BenefitValue, OfficerCount, Project, ProjectForecast, Rebaseline
from projects.services import (
    FIRST_BASELINE_REASON,
    rebaseline,
    record_benefit_actual,
    record_forecast,
    save_project,
    set_benefit_plan,
    set_officer_count,
)

pytestmark = pytest.mark.django_db


def _forecast(project, user, **overrides):
    kwargs = {
        "project": project,
        "version": project.version,
        "cost": D("12000.00"),
        "go_live": date(2016, 9, 30),
        "as_of": date(2015, 7, 1),
        "reason": "Integration testing failed",
        "user": user,
    }
    return record_forecast(**(kwargs | overrides))


def _register(project: Project, user, **overrides) -> Project:
    kwargs = {
        "project": project,
        "version": project.version,
        "code": project.code,
        "name": project.name,
        "description": project.description,
        "owner": project.owner,
        "stage": project.stage,
        "closed_on": project.closed_on,
        "confidence": project.confidence,
        "source": project.source,
        "lines": project.lines.all(),
        "contracts": project.contracts.all(),
        "initiatives": project.initiatives.all(),
        "reason": "",
        "user": user,
    }
    return save_project(**(kwargs | overrides))


# ------------------------------------------------------------------------------ forecasts


def test_finance_records_a_forecast_kept_with_its_reason(projects, finance_user):
    cc = projects["cc"]
    opened_at = cc.version
    forecast = _forecast(cc, finance_user)

    cc.refresh_from_db()
    assert (cc.forecast_cost, cc.forecast_go_live) == (D("12000.00"), date(2016, 9, 30))
    assert cc.version == opened_at + 1
    stored = ProjectForecast.objects.get(pk=forecast.pk)
    assert stored.reason == "Integration testing failed"
    assert stored.recorded_by == finance_user
    assert list(cc.forecasts.values_list("cost", flat=True)) == [
        D("10000.00"),
        D("10400.00"),
        D("11500.00"),
        D("12000.00"),
    ]
    assert stored.history.get().history_user == finance_user


def test_committee_cannot_record_a_forecast(projects, committee_user):
    with pytest.raises(PermissionDenied):
        _forecast(projects["cc"], committee_user)
    assert ProjectForecast.objects.filter(project=projects["cc"]).count() == 3


def test_a_forecast_needs_a_reason(projects, finance_user):
    with pytest.raises(ValidationError) as error:
        _forecast(projects["cc"], finance_user, reason="  ")
    assert "reason" in error.value.message_dict
    assert projects["cc"].forecasts.count() == 3


def test_a_forecast_cannot_be_dated_before_the_latest_one(projects, finance_user):
    with pytest.raises(ValidationError) as error:
        _forecast(projects["cc"], finance_user, as_of=date(2015, 3, 31))
    assert "1 Apr 2015" in error.value.message_dict["as_of"][0]


def test_a_forecast_cannot_be_dated_in_the_future(projects, finance_user):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError):
        _forecast(projects["cc"], finance_user, as_of=tomorrow)


def test_a_closed_project_takes_no_forecast(projects, finance_user):
    with pytest.raises(ValidationError):
        _forecast(projects["old"], finance_user)


def test_a_stale_forecast_is_refused_and_names_who_saved(projects, finance_user, admin_user):
    cc = projects["cc"]
    opened_at = cc.version
    _forecast(cc, admin_user, reason="Admin's update")
    with pytest.raises(StaleVersionError) as error:
        _forecast(cc, finance_user, version=opened_at, cost=D("99.00"))
    assert error.value.changed_by == "Adam"
    cc.refresh_from_db()
    assert cc.forecast_cost == D("12000.00")
    assert cc.forecasts.count() == 4


# ---------------------------------------------------------------------------- baselines


def test_first_baseline_approves_the_business_case(projects, admin_user):
    bc = projects["bc"]
    baseline = rebaseline(
        project=bc,
        version=bc.version,
        cost=D("8000.00"),
        go_live=date(2016, 3, 31),
        effective=date(2015, 2, 1),
        approver="Management board",
        reason="Business case approved",
        user=admin_user,
    )
    bc.refresh_from_db()
    assert bc.stage == Project.Stage.DELIVERY
    assert (bc.baseline_cost, bc.baseline_go_live) == (D("8000.00"), date(2016, 3, 31))
    assert baseline.is_first
    # The forecast starts at the baseline.
    first = bc.forecasts.get()
    assert (first.cost, first.go_live, first.as_of) == (
        D("8000.00"),
        date(2016, 3, 31),
        date(2015, 2, 1),
    )
    assert first.reason == FIRST_BASELINE_REASON


def test_rebaseline_keeps_the_baseline_it_replaces(projects, admin_user):
    cc = projects["cc"]
    rebaseline(
        project=cc,
        version=cc.version,
        cost=D("11500.00"),
        go_live=date(2016, 6, 30),
        effective=date(2015, 5, 1),
        approver="Management board",
        reason="Scope and integrator change agreed",
        user=admin_user,
    )
    latest = Rebaseline.objects.filter(project=cc).latest()
    assert (latest.previous_cost, latest.previous_go_live) == (D("10000.00"), date(2015, 10, 31))
    assert latest.approver == "Management board"
    cc.refresh_from_db()
    assert cc.baseline_cost == D("11500.00")
    assert cc.forecasts.count() == 3  # a re-baseline leaves the forecast alone
    growth = Project.objects.with_growth(None).get(code="CC")
    assert growth.cost_growth == D("0.00")
    assert growth.original_growth == D("1500.00")  # still visible against the first


def test_finance_cannot_rebaseline(projects, finance_user):
    cc = projects["cc"]
    with pytest.raises(PermissionDenied):
        rebaseline(
            project=cc,
            version=cc.version,
            cost=D("1.00"),
            go_live=date(2016, 1, 1),
            effective=date(2015, 5, 1),
            approver="x",
            reason="x",
            user=finance_user,
        )
    assert cc.baselines.count() == 1


def test_a_rebaseline_needs_reason_and_approver(projects, admin_user):
    cc = projects["cc"]
    with pytest.raises(ValidationError) as error:
        rebaseline(
            project=cc,
            version=cc.version,
            cost=D("1.00"),
            go_live=date(2016, 1, 1),
            effective=date(2015, 5, 1),
            approver=" ",
            reason="",
            user=admin_user,
        )
    assert set(error.value.message_dict) == {"reason", "approver"}


# ---------------------------------------------------------------------------- register


def test_confidence_change_needs_a_reason_kept_in_history(projects, admin_user):
    cc = projects["cc"]
    with pytest.raises(ValidationError):
        _register(cc, admin_user, confidence=Project.Confidence.RED)
    _register(cc, admin_user, confidence=Project.Confidence.RED, reason="Supplier in breach")
    cc.refresh_from_db()
    assert cc.confidence == Project.Confidence.RED
    latest = cc.history.latest("history_date")
    assert latest.history_change_reason == "Supplier in breach"
    assert latest.history_user == admin_user


def test_a_business_case_cannot_move_to_delivery_without_a_baseline(projects, admin_user):
    bc = projects["bc"]
    with pytest.raises(ValidationError) as error:
        _register(bc, admin_user, stage=Project.Stage.DELIVERY)
    assert "stage" in error.value.message_dict
    bc.refresh_from_db()
    assert bc.stage == Project.Stage.BUSINESS_CASE


def test_closing_needs_a_date_and_reopening_clears_it(projects, admin_user):
    cc = projects["cc"]
    with pytest.raises(ValidationError):
        _register(cc, admin_user, stage=Project.Stage.CLOSED)
    _register(cc, admin_user, stage=Project.Stage.CLOSED, closed_on=date(2016, 3, 31))
    cc.refresh_from_db()
    assert cc.closed_on == date(2016, 3, 31)
    _register(cc, admin_user, stage=Project.Stage.DELIVERY, closed_on=date(2016, 3, 31))
    cc.refresh_from_db()
    assert (cc.stage, cc.closed_on) == (Project.Stage.DELIVERY, None)


def test_finance_cannot_edit_the_register(projects, finance_user):
    with pytest.raises(PermissionDenied):
        _register(projects["cc"], finance_user, name="Renamed")
    assert Project.objects.get(code="CC").name == "Command and control"


def test_register_edit_leaves_baseline_and_forecast_alone(projects, admin_user):
    cc = projects["cc"]
    _register(cc, admin_user, name="Command and control replacement")
    cc.refresh_from_db()
    assert cc.name == "Command and control replacement"
    assert (cc.baseline_cost, cc.forecast_cost) == (D("10000.00"), D("11500.00"))


def test_a_stale_register_edit_is_refused(projects, admin_user):
    cc = projects["cc"]
    _register(cc, admin_user, name="First")
    with pytest.raises(StaleVersionError):
        _register(cc, admin_user, name="Second")  # cc still holds the old version
    assert Project.objects.get(code="CC").name == "First"


# ----------------------------------------------------------------------------- benefits


def test_finance_records_an_actual(projects, finance_user):
    row = BenefitValue.objects.get(measure=projects["devices"], month=date(2015, 6, 1))
    record_benefit_actual(
        measure=projects["devices"],
        month=date(2015, 6, 1),
        actual=D("260"),
        note="Borough roll-out",
        version=row.version,
        user=finance_user,
    )
    row.refresh_from_db()
    assert (row.actual, row.planned, row.note) == (D("260.00"), D("300.00"), "Borough roll-out")
    assert row.updated_by == finance_user


def test_finance_records_an_actual_for_a_month_without_a_plan(projects, finance_user):
    record_benefit_actual(
        measure=projects["devices"],
        month=date(2015, 7, 1),
        actual=D("310"),
        note="",
        version=0,
        user=finance_user,
    )
    row = BenefitValue.objects.get(measure=projects["devices"], month=date(2015, 7, 1))
    assert (row.planned, row.actual) == (None, D("310.00"))


def test_committee_cannot_record_an_actual(projects, committee_user):
    with pytest.raises(PermissionDenied):
        record_benefit_actual(
            measure=projects["devices"],
            month=date(2015, 6, 1),
            actual=D("1"),
            note="",
            version=None,
            user=committee_user,
        )
    assert BenefitValue.objects.get(month=date(2015, 6, 1), measure__code="DEVICES").actual is None


def test_finance_cannot_change_a_plan(projects, finance_user):
    with pytest.raises(PermissionDenied):
        set_benefit_plan(
            measure=projects["devices"],
            month=date(2015, 6, 1),
            planned=D("1"),
            reason="x",
            version=None,
            user=finance_user,
        )


def test_revising_a_plan_needs_a_reason_kept_in_history(projects, admin_user):
    row = BenefitValue.objects.get(measure=projects["devices"], month=date(2015, 6, 1))
    with pytest.raises(ValidationError):
        set_benefit_plan(
            measure=projects["devices"],
            month=date(2015, 6, 1),
            planned=D("250"),
            reason="",
            version=row.version,
            user=admin_user,
        )
    set_benefit_plan(
        measure=projects["devices"],
        month=date(2015, 6, 1),
        planned=D("250"),
        reason="Plan revised to fewer devices",
        version=row.version,
        user=admin_user,
    )
    row.refresh_from_db()
    assert row.planned == D("250.00")
    assert row.history.latest("history_date").history_change_reason == (
        "Plan revised to fewer devices"
    )


def test_a_stale_actual_is_refused(projects, finance_user):
    row = BenefitValue.objects.get(measure=projects["devices"], month=date(2015, 4, 1))
    with pytest.raises(StaleVersionError):
        record_benefit_actual(
            measure=projects["devices"],
            month=date(2015, 4, 1),
            actual=D("1"),
            note="",
            version=row.version - 1,
            user=finance_user,
        )
    row.refresh_from_db()
    assert row.actual == D("80.00")


def test_a_benefit_month_in_the_future_has_no_actual(projects, finance_user):
    with pytest.raises(ValidationError):
        record_benefit_actual(
            measure=projects["devices"],
            month=(timezone.localdate() + timedelta(days=40)).replace(day=1),
            actual=D("1"),
            note="",
            version=0,
            user=finance_user,
        )


# ------------------------------------------------------------------------------ officers


def test_admin_sets_officer_numbers_and_finance_cannot(projects, admin_user, finance_user):
    count = OfficerCount.objects.get(year=projects["year"])
    with pytest.raises(PermissionDenied):
        set_officer_count(
            year=projects["year"], officers=1, source="", version=count.version, user=finance_user
        )
    set_officer_count(
        year=projects["year"],
        officers=32000,
        source="Computer Weekly, Feb 2013",
        version=count.version,
        user=admin_user,
    )
    count.refresh_from_db()
    assert (count.officers, count.source) == (32000, "Computer Weekly, Feb 2013")
    with pytest.raises(StaleVersionError):
        set_officer_count(
            year=projects["year"], officers=3, source="", version=count.version - 1, user=admin_user
        )

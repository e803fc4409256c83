"""Optimistic locking in every admin change form (common.admin.HistoryAdmin), shown on
budgets.MonthlyFigure, the versioned model at hand, through admins defined here: the
generic default save, and an admin that saves through a service as app admins do.

tests/world.py: 2014-15 is closed through P2; OUT-01's P4 has budget 1,000.00, no actual.
"""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import transaction
from django.urls import include, path

from budgets.models import BudgetLine, FinancialYear, MonthlyFigure
from common.admin import HistoryAdmin
from common.locking import bump, check_version
from common.roles import ADMIN
from common.sites import RoleAdminSite
from metbudget.urls import urlpatterns as project_urls
from tests.conftest import client_for, make_user

FIELDS = ("line", "year", "period", "budget", "actual", "forecast", "note")


class FigureAdmin(HistoryAdmin):
    """No service: HistoryAdmin's own versioned save."""

    fields = FIELDS

    def get_readonly_fields(self, request, obj=None):
        return ("line", "year", "period") if obj is not None else ()


@transaction.atomic
def record_figure(*, figure: MonthlyFigure, expected_version: int | None, user) -> None:
    """A service as the apps write them (common/locking.py's contract); a new figure has
    no version to check."""
    if figure.pk is not None:
        current = check_version(figure, expected_version)
        figure.version = current.version
        bump(figure)
    figure.updated_by = user
    figure.save()


class ServiceFigureAdmin(FigureAdmin):
    """How an app admin plugs in: its service gets the version the person opened."""

    def save_with_service(self, request, obj, form, change):
        record_figure(figure=obj, expected_version=self.expected_version(form), user=request.user)


plain_site = RoleAdminSite(name="plain")
plain_site.register(MonthlyFigure, FigureAdmin)
service_site = RoleAdminSite(name="service")
service_site.register(MonthlyFigure, ServiceFigureAdmin)
urlpatterns = [
    path("plain/", plain_site.urls),
    path("service/", service_site.urls),
    path("", include(project_urls)),
]
pytestmark = pytest.mark.urls(__name__)


def out_p4() -> MonthlyFigure:
    return MonthlyFigure.objects.get(line__code="OUT-01", year__label="2014-15", period=4)


def typed(actual: str, note: str, version: int) -> dict:
    return {
        "budget": "1000.00",
        "actual": actual,
        "forecast": "",
        "note": note,
        "version": str(version),
    }


@pytest.fixture(params=["plain", "service"])
def change_url(request, world) -> str:
    return f"/{request.param}/budgets/monthlyfigure/{out_p4().pk}/change/"


@pytest.fixture
def alex(db):
    return make_user("alex", ADMIN, is_staff=True)


def test_the_change_form_carries_the_version_opened(change_url, admin_user):
    page = client_for(admin_user).get(change_url).text
    assert '<input type="hidden" name="version" value="1"' in page


def test_a_save_with_the_current_version_is_stored_and_bumps_it(change_url, admin_user):
    response = client_for(admin_user).post(change_url, typed("1234.56", "Extra licences", 1))

    assert response.status_code == 302
    figure = out_p4()
    assert figure.actual == D("1234.56")
    assert figure.note == "Extra licences"
    assert figure.version == 2


def test_a_stale_save_is_refused_with_their_values_and_yours_kept(change_url, admin_user, alex):
    adam = client_for(admin_user)
    assert adam.get(change_url).status_code == 200  # Adam opens the form at version 1
    assert client_for(alex).post(change_url, typed("1100.00", "Alex's note", 1)).status_code == 302

    response = adam.post(change_url, typed("1200.00", "Adam's note", 1))

    assert response.status_code == 409
    page = response.text
    assert "Someone else saved this record after you opened it" in page
    assert "Alex saved it on" in page  # who and when
    assert "<td>£1,100.00</td>" in page  # their saved value
    assert 'value="1200.00"' in page  # Adam's typed values stay in the form
    assert "Adam&#x27;s note" in page
    assert '<input type="hidden" name="version" value="2"' in page  # offered again
    figure = out_p4()
    assert (figure.actual, figure.note, figure.version) == (D("1100.00"), "Alex's note", 2)


def test_saving_again_after_the_conflict_is_a_deliberate_second_decision(
    change_url, admin_user, alex
):
    adam = client_for(admin_user)
    client_for(alex).post(change_url, typed("1100.00", "Alex's note", 1))
    assert adam.post(change_url, typed("1200.00", "Adam's note", 1)).status_code == 409

    response = adam.post(change_url, typed("1200.00", "Adam's note", 2))

    assert response.status_code == 302
    figure = out_p4()
    assert (figure.actual, figure.note, figure.version) == (D("1200.00"), "Adam's note", 3)


def test_a_form_without_its_version_is_refused(change_url, admin_user):
    data = typed("1200.00", "No version", 1)
    del data["version"]
    response = client_for(admin_user).post(change_url, data)

    assert response.status_code == 200
    assert out_p4().actual is None


@pytest.mark.parametrize("site", ["plain", "service"])
def test_the_add_form_needs_no_version_and_starts_at_one(world, admin_user, site):
    year = FinancialYear.objects.create(label="2015-16", start=date(2015, 4, 1))
    line = BudgetLine.objects.get(code="NET-01")
    client = client_for(admin_user)
    assert 'name="version"' not in client.get(f"/{site}/budgets/monthlyfigure/add/").text

    response = client.post(
        f"/{site}/budgets/monthlyfigure/add/",
        {
            "line": line.pk,
            "year": year.pk,
            "period": "1",
            "budget": "500.00",
            "actual": "",
            "forecast": "",
            "note": "",
        },
    )

    assert response.status_code == 302
    figure = MonthlyFigure.objects.get(line=line, year=year, period=1)
    assert (figure.budget, figure.version) == (D("500.00"), 1)


def test_every_admin_form_names_its_inputs_for_screen_readers():
    """No autocomplete widget (its search box and selection have no accessible name), and
    every tabular inline labels its inputs (column headings are not labels)."""
    from django.contrib import admin as django_admin

    from common.admin import LabelledTabularInline

    for model_admin in django_admin.site._registry.values():
        assert not model_admin.autocomplete_fields, type(model_admin).__name__
        for inline in model_admin.inlines:
            assert not inline.autocomplete_fields, inline.__name__
            if issubclass(inline, django_admin.TabularInline):
                assert issubclass(inline, LabelledTabularInline), inline.__name__

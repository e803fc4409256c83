"""The Django admin for savings saves through the services: the same rules, the user in
history, the row's next version, and inline rows too."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from savings.models import Initiative, InitiativeYear, ReductionProgramme, SavingsTarget
from tests.budgets.admin_helpers import admin_form_data


def change_url(obj) -> str:
    return reverse(f"admin:savings_{obj._meta.model_name}_change", args=[obj.pk])


def test_admin_initiative_edit_takes_the_next_version_and_keeps_lines(
    world, admin_client_, admin_user
):
    reneg = world["initiatives"]["reneg"]
    url = change_url(reneg)
    response = admin_client_.post(url, admin_form_data(admin_client_, url, name="Renegotiated"))
    assert response.status_code == 302
    stored = Initiative.objects.get(pk=reneg.pk)
    assert (stored.name, stored.version) == ("Renegotiated", 2)
    assert list(stored.lines.values_list("code", flat=True)) == ["OUT-01"]
    assert stored.history.latest().history_user == admin_user


def test_admin_inline_year_is_saved_through_the_service(world, admin_client_, admin_user):
    """The inline edits the plan and forecast; realised is the claims' and not editable."""
    reneg = world["initiatives"]["reneg"]
    url = change_url(reneg)
    data = admin_form_data(
        admin_client_, url, **{"years-0-forecast": "4500.00", "years-0-realised": "9.00"}
    )
    response = admin_client_.post(url, data)
    assert response.status_code == 302
    row = InitiativeYear.objects.get(initiative=reneg)
    assert (row.forecast, row.realised, row.planned, row.version) == (
        Decimal("4500.00"),
        Decimal("4000.00"),
        Decimal("6000.00"),
        2,
    )
    assert row.history.latest().history_user == admin_user


def test_admin_inline_negative_forecast_saving_is_refused_with_the_models_words(
    world, admin_client_
):
    reneg = world["initiatives"]["reneg"]
    url = change_url(reneg)
    data = admin_form_data(admin_client_, url, **{"years-0-forecast": "-1.00"})
    response = admin_client_.post(url, data)
    assert response.status_code == 200
    assert "A forecast saving cannot be negative." in response.content.decode()
    assert InitiativeYear.objects.get(initiative=reneg).forecast == Decimal("5000.00")


def test_admin_initiative_year_page_saves_through_the_service(world, admin_client_):
    row = InitiativeYear.objects.get(initiative__code="APP-RAT")
    url = change_url(row)
    response = admin_client_.post(
        url, admin_form_data(admin_client_, url, planned="3500.00", note="Re-scoped")
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.planned, row.note, row.version) == (Decimal("3500.00"), "Re-scoped", 2)


def test_admin_target_and_programme_pages_save_through_the_services(world, admin_client_):
    target = world["target"]
    url = change_url(target)
    response = admin_client_.post(url, admin_form_data(admin_client_, url, amount="11000.00"))
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.amount, target.version) == (Decimal("11000.00"), 2)

    programme = world["programme"]
    url = change_url(programme)
    data = admin_form_data(
        admin_client_, url, reduction_target="120000.00", **{"targets-0-amount": "12000.00"}
    )
    response = admin_client_.post(url, data)
    assert response.status_code == 302
    programme = ReductionProgramme.objects.get()
    assert (programme.reduction_target, programme.version) == (Decimal("120000.00"), 2)
    target = SavingsTarget.objects.get(pk=target.pk)
    assert (target.amount, target.version) == (Decimal("12000.00"), 3)


def test_admin_adds_a_target_through_the_service(world, admin_client_, admin_user):
    response = admin_client_.post(
        reverse("admin:savings_savingstarget_add"),
        {
            "programme": world["programme"].pk,
            "year": world["base_year"].pk,
            "amount": "700.00",
            "version": "1",  # the add form's hidden first version
        },
    )
    assert response.status_code == 302
    target = SavingsTarget.objects.get(year=world["base_year"])
    assert (target.amount, target.version) == (Decimal("700.00"), 1)
    assert target.history.get().history_user == admin_user


def test_admin_change_forms_carry_the_version_and_a_stale_save_changes_nothing(world, admin_user):
    """Two admins open the same target; the second save is refused by the service (how
    the admin shows the refusal is common.admin's)."""
    target = world["target"]
    url = change_url(target)
    first = Client(raise_request_exception=False)
    second = Client(raise_request_exception=False)
    for client in (first, second):
        client.force_login(admin_user)
    first_data = admin_form_data(first, url, amount="11000.00")
    second_data = admin_form_data(second, url, amount="9000.00")
    assert first_data["version"] == second_data["version"] == "1"

    assert first.post(url, first_data).status_code == 302
    assert second.post(url, second_data).status_code != 302

    target.refresh_from_db()
    assert (target.amount, target.version) == (Decimal("11000.00"), 2)

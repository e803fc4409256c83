"""Permissions come from the roles in common/roles.py only: a permission granted to one
user, or added to a role's group in the database, gives nothing."""

from decimal import Decimal as D

from django.contrib.auth.models import Group, Permission, User

from budgets.models import MonthlyFigure
from common.roles import ADMIN, COMMITTEE, FINANCE, ROLE_PERMISSIONS, role_permissions
from tests.conftest import client_for

P4 = "/budgets/2014-15/p4/"
CHANGE_FIGURES = "budgets.change_monthlyfigure"


def permission(codename: str) -> Permission:
    return Permission.objects.get(codename=codename)


def fresh(user: User) -> User:
    """The user re-read, without the permission caches of earlier checks."""
    return User.objects.get(pk=user.pk)


def out_p4() -> MonthlyFigure:
    return MonthlyFigure.objects.get(line__code="OUT-01", year__label="2014-15", period=4)


def test_a_permission_granted_to_one_committee_user_gives_nothing(world, committee_user):
    committee_user.user_permissions.add(permission("change_monthlyfigure"))
    figure = out_p4()

    assert not fresh(committee_user).has_perm(CHANGE_FIGURES)
    response = client_for(committee_user).post(
        P4,
        {
            f"actual-{figure.pk}": "5.00",
            f"note-{figure.pk}": "",
            f"version-{figure.pk}": str(figure.version),
        },
    )
    assert response.status_code == 403
    assert out_p4().actual is None
    assert out_p4().version == figure.version


def test_a_permission_added_to_a_roles_group_in_the_database_gives_nothing(committee_user):
    Group.objects.get(name=COMMITTEE).permissions.add(permission("change_monthlyfigure"))
    assert not fresh(committee_user).has_perm(CHANGE_FIGURES)


def test_each_role_has_exactly_the_permissions_roles_py_states(
    committee_user, finance_user, admin_user
):
    for user, role in ((committee_user, COMMITTEE), (finance_user, FINANCE), (admin_user, ADMIN)):
        assert fresh(user).get_all_permissions() == {
            f"{app}.{code}" for app, code in ROLE_PERMISSIONS[role]
        }
    assert fresh(finance_user).has_perm(CHANGE_FIGURES)
    assert not fresh(committee_user).has_perm(CHANGE_FIGURES)


def test_an_inactive_user_has_no_permissions(finance_user):
    finance_user.is_active = False
    finance_user.save()
    assert fresh(finance_user).get_all_permissions() == set()


def test_role_permissions_ignores_names_that_are_not_roles():
    assert role_permissions(["Auditors", COMMITTEE]) == role_permissions([COMMITTEE])
    assert role_permissions([]) == set()


def test_finance_still_records_actuals(world, finance_user):
    figure = out_p4()
    response = client_for(finance_user).post(
        P4,
        {
            f"actual-{figure.pk}": "5.00",
            f"note-{figure.pk}": "",
            f"version-{figure.pk}": str(figure.version),
        },
    )
    assert response.status_code == 302
    assert out_p4().actual == D("5.00")

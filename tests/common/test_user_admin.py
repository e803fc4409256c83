"""The Django admin's user pages: an Admin creates people and gives each exactly one role
from common/roles.py; superuser, staff, per-user permissions and groups cannot be set, not
even by a crafted POST."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied, ValidationError

from common.roles import ADMIN, COMMITTEE, FINANCE, ROLES
from common.users import fingerprint, save_user
from tests.conftest import client_for

ADD = "/admin/auth/user/add/"
NEW_PASSWORD = "granite-otter-meadow-91"


def change_url(user: User) -> str:
    return f"/admin/auth/user/{user.pk}/change/"


def roles_of(user: User) -> set[str]:
    return set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True))


def person(**extra) -> dict:
    return {
        "username": "priya",
        "first_name": "Priya",
        "last_name": "Shah",
        "email": "priya@example.org",
        "is_active": "on",
        "role": FINANCE,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **extra,
    }


def widening(**extra) -> dict:
    """What an Admin might craft to widen a role past roles.py."""
    return {
        "is_superuser": "on",
        "is_staff": "on",
        "user_permissions": [Permission.objects.get(codename="change_monthlyfigure").pk],
        "groups": [Group.objects.get(name=ADMIN).pk, Group.objects.get(name=FINANCE).pk],
        **extra,
    }


def test_admin_creates_a_user_with_names_email_and_one_role(admin_client_):
    response = admin_client_.post(ADD, person())

    assert response.status_code == 302
    priya = User.objects.get(username="priya")
    assert (priya.first_name, priya.last_name, priya.email) == (
        "Priya",
        "Shah",
        "priya@example.org",
    )
    assert priya.is_active
    assert roles_of(priya) == {FINANCE}
    assert not priya.is_staff and not priya.is_superuser
    assert priya.check_password(NEW_PASSWORD)


def test_an_admin_role_makes_the_user_staff_and_another_role_takes_it_away(
    admin_client_, committee_user
):
    form = person(username="carol", role=ADMIN, password1="", password2="")
    form["seen"] = fingerprint(committee_user)
    assert admin_client_.post(change_url(committee_user), form).status_code == 302
    carol = User.objects.get(pk=committee_user.pk)
    assert roles_of(carol) == {ADMIN} and carol.is_staff

    form["role"], form["seen"] = COMMITTEE, fingerprint(carol)
    assert admin_client_.post(change_url(committee_user), form).status_code == 302
    carol = User.objects.get(pk=committee_user.pk)
    assert roles_of(carol) == {COMMITTEE} and not carol.is_staff


def test_a_crafted_add_post_cannot_make_a_superuser_staff_grants_or_extra_groups(admin_client_):
    response = admin_client_.post(ADD, person(role=COMMITTEE, **widening()))

    assert response.status_code == 302
    priya = User.objects.get(username="priya")
    assert roles_of(priya) == {COMMITTEE}
    assert not priya.is_superuser and not priya.is_staff
    assert not priya.user_permissions.exists()
    assert not priya.has_perm("budgets.change_monthlyfigure")


def test_a_crafted_change_post_cannot_widen_a_committee_user(admin_client_, committee_user):
    form = person(username="carol", role=COMMITTEE, password1="", password2="", **widening())
    form["seen"] = fingerprint(committee_user)
    response = admin_client_.post(change_url(committee_user), form)

    assert response.status_code == 302
    carol = User.objects.get(pk=committee_user.pk)
    assert roles_of(carol) == {COMMITTEE}
    assert not carol.is_superuser and not carol.is_staff
    assert not carol.user_permissions.exists()
    assert carol.check_password("correct-horse-battery-staple")  # blank keeps the password
    assert not carol.has_perm("budgets.change_monthlyfigure")


def test_the_user_form_offers_one_role_and_no_superuser_staff_permissions_or_groups(
    admin_client_, committee_user
):
    page = admin_client_.get(change_url(committee_user)).text
    for field in ("is_superuser", "is_staff", "user_permissions", "groups"):
        assert f'name="{field}"' not in page
    assert '<select name="role"' in page
    for role in ROLES:
        assert f'<option value="{role}"' in page
    assert f'<option value="{COMMITTEE}" selected>' in page


def test_groups_are_not_editable_in_the_admin(admin_client_):
    assert admin_client_.get("/admin/auth/group/").status_code == 404
    assert admin_client_.get("/admin/auth/group/add/").status_code == 404


def test_users_are_deactivated_not_deleted(admin_client_, committee_user):
    response = admin_client_.post(f"/admin/auth/user/{committee_user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert User.objects.filter(pk=committee_user.pk).exists()


def test_a_weak_or_mismatched_password_is_refused_and_no_user_is_made(admin_client_):
    weak = admin_client_.post(ADD, person(password1="priya", password2="priya"))
    differ = admin_client_.post(ADD, person(password2=NEW_PASSWORD + "x"))

    assert weak.status_code == 200 and "too short" in weak.text
    assert differ.status_code == 200 and "The two passwords differ." in differ.text
    assert not User.objects.filter(username="priya").exists()


def test_an_admin_cannot_take_away_their_own_admin_role(admin_client_, admin_user):
    form = person(username="adam", role=FINANCE, password1="", password2="")
    form["seen"] = fingerprint(admin_user)
    response = admin_client_.post(change_url(admin_user), form)

    assert response.status_code == 200
    assert "ask another Admin" in response.text
    assert roles_of(admin_user) == {ADMIN}


@pytest.mark.parametrize("role_fixture", ["committee_user", "finance_user"])
def test_only_an_admin_may_save_a_user_through_the_service(request, role_fixture):
    actor = request.getfixturevalue(role_fixture)
    with pytest.raises(PermissionDenied):
        save_user(actor=actor, user=User(username="mallory"), role=ADMIN, password=NEW_PASSWORD)
    assert not User.objects.filter(username="mallory").exists()


def test_the_service_refuses_a_role_that_roles_py_does_not_name(admin_user):
    Group.objects.create(name="Auditors")
    with pytest.raises(ValidationError):
        save_user(actor=admin_user, user=User(username="mallory"), role="Auditors")
    assert not User.objects.filter(username="mallory").exists()


def test_a_finance_user_with_a_staff_flag_cannot_reach_the_user_pages(finance_user):
    finance_user.is_staff = True
    finance_user.save()
    client = client_for(finance_user)
    response = client.post(ADD, person(role=ADMIN))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert not User.objects.filter(username="priya").exists()


def test_a_stale_save_of_a_person_is_refused_with_their_values_and_keeps_yours(
    admin_client_, committee_user
):
    opened = admin_client_.get(change_url(committee_user))
    seen = opened.context["adminform"].form["seen"].value()
    # Another Admin changes Carol's email meanwhile.
    committee_user.email = "carol.new@example.org"
    committee_user.save()

    mine = person(username="carol", role=COMMITTEE, password1="", password2="", seen=seen)
    mine["email"] = "carol.mine@example.org"
    refused = admin_client_.post(change_url(committee_user), mine)

    assert refused.status_code == 200
    assert "Someone else changed this person" in refused.text
    assert "carol.new@example.org" in refused.text  # their value, named
    assert 'value="carol.mine@example.org"' in refused.text  # yours, kept
    assert User.objects.get(pk=committee_user.pk).email == "carol.new@example.org"

    # Saving again, now against what is stored, is a deliberate second decision.
    mine["seen"] = refused.context["adminform"].form.data["seen"]
    assert admin_client_.post(change_url(committee_user), mine).status_code == 302
    assert User.objects.get(pk=committee_user.pk).email == "carol.mine@example.org"

"""/accounts/profile/: every signed-in person reads who they are and chooses their own digest,
with optimistic locking; nobody reaches anyone else's choices."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from common.locking import StaleVersionError
from common.models import NotificationPreference
from common.services import record_digest_sent, save_notification_preferences
from tests.conftest import client_for

URL = "/accounts/profile/"


def choices(**overrides) -> dict:
    data = {
        "report_published": "on",
        "decisions_due": "on",
        "decision_window_months": "9",
        "version": "0",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def stored(user) -> NotificationPreference:
    return NotificationPreference.objects.get(user=user)


@pytest.mark.parametrize("role_fixture", ["committee_user", "finance_user", "admin_user"])
def test_every_role_reads_and_saves_their_own_preferences(request, role_fixture):
    user = request.getfixturevalue(role_fixture)
    client = client_for(user)
    assert client.get(URL).status_code == 200

    response = client.post(URL, choices())

    assert response.status_code == 302
    preference = stored(user)
    assert preference.report_published is True
    assert preference.decisions_due is True
    assert preference.rag_changes is False
    assert preference.decision_window_months == 9
    assert preference.version == 1


def test_page_shows_name_role_and_email_as_an_admin_set_them(finance_user):
    finance_user.email = "fiona@example.org"
    finance_user.save()

    page = client_for(finance_user).get(URL).content.decode()

    assert "Fiona" in page
    assert "Finance" in page
    assert "fiona@example.org" in page
    assert 'name="email"' not in page  # read-only: Admins set emails


def test_a_person_who_never_chose_sees_the_defaults(committee_user):
    form = client_for(committee_user).get(URL).context["form"]

    assert form["report_published"].value() is True
    assert form["decisions_due"].value() is False
    assert form["decision_window_months"].value() == 6
    assert form["version"].value() == 0
    assert not NotificationPreference.objects.exists()  # reading stores nothing


def test_without_an_email_the_page_says_no_digest_can_arrive(committee_user):
    page = client_for(committee_user).get(URL).content.decode()
    assert 'data-testid="no-email"' in page


def test_committee_is_not_offered_the_close_reminder_and_cannot_post_it(committee_user):
    client = client_for(committee_user)
    assert "ready_to_close" not in client.get(URL).context["form"].fields

    client.post(URL, choices(ready_to_close="on"))

    assert stored(committee_user).ready_to_close is False


def test_finance_may_ask_for_the_close_reminder(finance_user):
    client_for(finance_user).post(URL, choices(ready_to_close="on"))
    assert stored(finance_user).ready_to_close is True


def test_a_crafted_post_cannot_change_another_persons_preferences(committee_user, finance_user):
    theirs = NotificationPreference.objects.create(user=finance_user, rag_changes=True)

    client_for(committee_user).post(
        URL, choices(user=str(finance_user.pk), id=str(theirs.pk), rag_changes=None)
    )

    theirs.refresh_from_db()
    assert theirs.rag_changes is True
    assert theirs.version == 1
    assert stored(committee_user).decision_window_months == 9  # only their own changed


@pytest.mark.parametrize("window", ["0", "25", "six", ""])
def test_a_window_outside_1_to_24_months_is_refused(finance_user, window):
    response = client_for(finance_user).post(URL, choices(decision_window_months=window))

    assert response.status_code == 200
    assert "decision_window_months" in response.context["form"].errors
    assert not NotificationPreference.objects.exists()


def test_unticking_everything_is_kept(finance_user):
    client_for(finance_user).post(URL, choices(report_published=None, decisions_due=None))

    preference = stored(finance_user)
    assert not preference.wants_anything


def test_a_stale_save_is_refused_with_409_and_offers_the_typed_values(finance_user):
    client = client_for(finance_user)
    client.post(URL, choices(decision_window_months="12"))  # another tab: version 0 -> 1

    response = client.post(URL, choices(decision_window_months="3", rag_changes="on"))

    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record" in page
    assert response.context["form"]["version"].value() == "1"
    assert response.context["form"]["decision_window_months"].value() == "3"
    preference = stored(finance_user)
    assert preference.decision_window_months == 12
    assert preference.rag_changes is False

    again = client.post(URL, choices(decision_window_months="3", version="1"))
    assert again.status_code == 302
    assert stored(finance_user).decision_window_months == 3


def test_a_digest_going_out_does_not_make_the_open_form_stale(finance_user):
    client = client_for(finance_user)
    form_version = client.get(URL).context["form"]["version"].value()
    record_digest_sent(user=finance_user, sent_at=timezone.now())

    response = client.post(URL, choices(version=str(form_version)))

    assert response.status_code == 302
    preference = stored(finance_user)
    assert preference.decision_window_months == 9
    assert preference.last_sent_at is not None


def test_saving_keeps_the_time_of_the_last_digest(finance_user):
    sent = timezone.now()
    record_digest_sent(user=finance_user, sent_at=sent)

    client_for(finance_user).post(URL, choices())

    assert stored(finance_user).last_sent_at == sent


def test_the_service_refuses_anyone_but_the_person(admin_user, finance_user):
    with pytest.raises(PermissionDenied):
        save_notification_preferences(
            actor=admin_user, user=finance_user, choices={"rag_changes": True}, expected_version=0
        )
    assert not NotificationPreference.objects.exists()


def test_the_service_refuses_a_field_that_is_not_a_preference(finance_user):
    with pytest.raises(ValueError, match="last_sent_at"):
        save_notification_preferences(
            actor=finance_user,
            user=finance_user,
            choices={"last_sent_at": None},
            expected_version=0,
        )


def test_the_service_checks_the_window(finance_user):
    with pytest.raises(ValidationError):
        save_notification_preferences(
            actor=finance_user,
            user=finance_user,
            choices={"decision_window_months": 30},
            expected_version=0,
        )


def test_the_service_refuses_a_stale_version(finance_user):
    NotificationPreference.objects.create(user=finance_user, version=3)
    with pytest.raises(StaleVersionError):
        save_notification_preferences(
            actor=finance_user, user=finance_user, choices={"rag_changes": True}, expected_version=2
        )
    assert stored(finance_user).rag_changes is False


def test_the_header_links_the_persons_name_to_their_profile(committee_user):
    page = client_for(committee_user).get("/history/").content.decode()
    assert f'href="{URL}"' in page

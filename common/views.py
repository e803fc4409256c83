from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from common.forms import NotificationPreferenceForm
from common.locking import StaleVersionError
from common.models import NotificationPreference
from common.roles import role_of
from common.services import save_notification_preferences


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 `ok` when the database answers a query, 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


@require_http_methods(["GET", "HEAD", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own page: who they are (as an Admin set it) and what their
    daily digest tells them. Anyone signed in may change their own choices, and only theirs."""
    user = request.user
    role = role_of(user)
    preference = NotificationPreference.objects.for_user(user)
    form = NotificationPreferenceForm(
        request.POST if request.method == "POST" else None, instance=preference, role=role
    )
    status = 200
    if form.is_bound and form.is_valid():
        choices = {name: form.cleaned_data[name] for name in form.fields if name != "version"}
        try:
            save_notification_preferences(
                actor=user,
                user=user,
                choices=choices,
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError as error:
            form.offer_again(error)
            status = 409
        else:
            messages.success(request, "Saved your notification preferences.")
            return redirect("profile")
    context = {"form": form, "role": role, "preference": preference}
    return render(request, "registration/profile.html", context, status=status)

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.forms import ApiTokenForm, NotificationPreferenceForm
from common.locking import StaleVersionError
from common.models import ApiToken, NotificationPreference
from common.roles import role_of
from common.services import create_api_token, revoke_api_token, save_notification_preferences


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
    return _render_profile(request, form=form, role=role, preference=preference, status=status)


def _render_profile(request: HttpRequest, *, status: int = 200, **context) -> HttpResponse:
    """The profile page with its digest form and the person's API tokens; `context` may
    replace either form, or carry a token just made (shown this once)."""
    user = request.user
    if "form" not in context:
        preference = NotificationPreference.objects.for_user(user)
        context["form"] = NotificationPreferenceForm(instance=preference, role=role_of(user))
        context["preference"] = preference
    context.setdefault("role", role_of(user))
    context.setdefault("token_form", ApiTokenForm())
    context["tokens"] = list(ApiToken.objects.filter(user=user))
    return render(request, "registration/profile.html", context, status=status)


@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    """Make a personal API token; the page shows its text this once and never again."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _render_profile(request, token_form=form)
    token, text = create_api_token(
        actor=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at
    )
    return _render_profile(request, new_token=token, new_token_text=text)


@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the person's own tokens (another person's is not found)."""
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    revoke_api_token(actor=request.user, token=token)
    messages.success(request, f"Revoked the API token “{token.name}”: it no longer works.")
    return redirect("profile")

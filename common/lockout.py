"""Sign-in lockout (django-axes), counted so that guessing cannot lock out everyone.

Failures are counted per username *and* address (`AXES_LOCKOUT_PARAMETERS`): five wrong
passwords for one username from one address lock that username there only, so invented
usernames from an office's shared address do not lock out the real people behind it, and
an attacker elsewhere cannot lock a real user out of their own desk. One address's failures
for any usernames are limited separately, at the much higher `AXES_IP_FAILURE_LIMIT`, which
axes cannot express with its single limit: `LockoutHandler` adds it.

Behind a proxy (`BEHIND_PROXY`), every request arrives from the proxy's address; the
client's is the one the outermost of the `PROXY_COUNT` proxies saw, which the proxies write
into X-Forwarded-For (`client_address`).
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind `PROXY_COUNT` trusted proxies the
    PROXY_COUNT-th address from the right of X-Forwarded-For (each proxy appends the address
    it received the request from; anything further left was written by the client and is not
    trusted). A request without enough entries did not come through the proxies: its own
    REMOTE_ADDR is the best there is."""
    remote = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "PROXY_COUNT", 0)
    if not count:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's address, for any usernames, within the cool-off."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler, plus the per-address limit: an address past
    `AXES_IP_FAILURE_LIMIT` failures counts as locked for every username."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if address_failures(request) >= settings.AXES_IP_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

"""Rate limits: each token has its own allowance, and each person's browser session its
own. The rates are settings (API_TOKEN_RATE, API_SESSION_RATE), read at each request."""

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from api.authentication import token_of


class PerTokenThrottle(SimpleRateThrottle):
    """`api_token` per token, `api_session` per signed-in person without a token. Counts
    live in the default cache: per process unless a shared cache is configured."""

    def allow_request(self, request: Request, view) -> bool:
        self.scope = "api_token" if token_of(request) else "api_session"
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def __init__(self):  # the rate depends on the request: chosen in allow_request
        pass

    def get_rate(self) -> str:
        return settings.API_THROTTLE_RATES[self.scope]

    def get_cache_key(self, request: Request, view) -> str | None:
        token = token_of(request)
        if token is not None:
            return self.cache_format % {"scope": self.scope, "ident": token.pk}
        if request.user and request.user.is_authenticated:
            return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
        return None

"""Responses to signed-in people carry private figures: keep them out of shared caches and
out of the browser's back-button history after sign-out."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreForSignedInMiddleware:
    """`Cache-Control: no-store, private` on every response to a signed-in person. Static
    files never get here (whitenoise answers them earlier, with their own long caching);
    anonymous responses (the sign-in page, /healthz) are left as their views made them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response

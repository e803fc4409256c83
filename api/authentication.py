"""Who is calling: a personal API token (`Authorization: Bearer mb_…`), or the browser's
session (with its CSRF check, as DRF's SessionAuthentication does)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from common.models import ApiToken
from common.services import token_for

KEYWORD = "Bearer"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """A token made on the profile page. A wrong, revoked or expired token is refused
    (401) rather than treated as anonymous, so that a caller learns its token is dead."""

    def authenticate(self, request: Request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() != KEYWORD.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the header as: Bearer <token>.")
        token = token_for(parts[1].decode(errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed("Unknown, revoked or expired API token.")
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{KEYWORD} realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes the token (drf-spectacular finds it by its target)."""

    target_class = ApiTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from your profile page: mb_<prefix>_<secret>.",
        }


def token_of(request: Request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None

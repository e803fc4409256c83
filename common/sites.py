"""The Django admin site: open to the Admin role only.

Apart from `common/admin.py` so that the site can be built (which Django does before it
imports any app's admin module) without importing the admin classes that replace
`django.contrib.auth`'s own.
"""

from django.contrib import admin
from django.http import HttpRequest

from common.roles import ADMIN, role_of


class RoleAdminSite(admin.AdminSite):
    """The Django admin, open only to the Admin role (staff flag alone is not enough)."""

    site_header = "metbudget administration"
    site_title = "metbudget admin"
    index_title = "Registers, budget lines, targets and users"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and user.is_staff and role_of(user) == ADMIN

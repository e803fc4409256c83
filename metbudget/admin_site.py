from django.contrib import admin
from django.http import HttpRequest

from metbudget.roles import ADMIN, role_of


class RoleAdminSite(admin.AdminSite):
    """The Django admin, open only to the Admin role (staff flag alone is not enough)."""

    site_header = "metbudget administration"
    site_title = "metbudget admin"
    index_title = "Registers, budget lines, targets and users"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and user.is_staff and role_of(user) == ADMIN

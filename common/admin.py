from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from common.roles import ADMIN, role_of


class RoleAdminSite(admin.AdminSite):
    """The Django admin, open only to the Admin role (staff flag alone is not enough)."""

    site_header = "metbudget administration"
    site_title = "metbudget admin"
    index_title = "Registers, budget lines, targets and users"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return user.is_active and user.is_staff and role_of(user) == ADMIN


class HistoryAdmin(SimpleHistoryAdmin):
    """Admin for a model with history: its History page lists who changed what and when,
    old -> new. Reverting from history is off, because a revert saves an old copy of the
    whole row past the model's own checks (period locks, append-only changes, read-only
    fields such as a year's closed_through)."""

    def revert_disabled(self, request: HttpRequest, obj=None) -> bool:
        return True

    def history_form_view(self, request: HttpRequest, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("Reverting from history is not allowed; edit the record.")
        return super().history_form_view(request, object_id, version_id, extra_context)

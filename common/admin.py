"""The admin's shared parts: `HistoryAdmin` for models with history, and the user admin
that replaces django.contrib.auth's (the admin site itself is in common/sites.py)."""

from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from simple_history.admin import SimpleHistoryAdmin

from common.forms import UserForm
from common.roles import role_of
from common.users import save_user


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


# Roles come from common/roles.py only: groups are not edited here, and users get exactly
# one role through UserAdmin below.
admin.site.unregister(Group)
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    """Admins create people, set their names, email, active flag and one role. Superuser,
    staff (it follows the role), per-user permissions and groups are not offered, and users
    are deactivated rather than deleted, so that their history keeps its names."""

    form = UserForm
    fieldsets = (
        (None, {"fields": ("username", "password1", "password2")}),
        ("Person", {"fields": ("first_name", "last_name", "email")}),
        ("Access", {"fields": ("role", "is_active")}),
    )
    list_display = ("username", "full_name", "email", "role", "is_active", "last_login")
    list_filter = ("is_active", "groups")
    search_fields = ("username", "first_name", "last_name", "email")
    ordering = ("username",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple:
        return ("last_login", "date_joined") if obj is not None else ()

    def get_fieldsets(self, request: HttpRequest, obj=None):
        if obj is None:
            return self.fieldsets
        return (*self.fieldsets, ("Dates", {"fields": ("last_login", "date_joined")}))

    def get_form(self, request: HttpRequest, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    @method_decorator(sensitive_post_parameters("password1", "password2"))
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: User, form: UserForm, change: bool) -> None:
        save_user(
            actor=request.user,
            user=obj,
            role=form.cleaned_data["role"],
            password=form.cleaned_data.get("password1") or None,
        )

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        """Nothing: the form has no relations, and save_user set the role's group."""

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.display(description="name")
    def full_name(self, user: User) -> str:
        return user.get_full_name()

    @admin.display(description="role")
    def role(self, user: User) -> str:
        return role_of(user) or "—"

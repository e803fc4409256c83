"""Authentication and permissions: a person may do what their role may, and no more."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import QuerySet

from common.roles import role_permissions


class RoleBackend(ModelBackend):
    """Django's model backend with permissions taken from the person's roles as
    `common.roles.ROLE_PERMISSIONS` states them. A permission granted to one user, or added
    to a role's group in the database, counts for nothing: who may change what is written
    in one place, and reviewed there."""

    def _get_user_permissions(self, user_obj) -> QuerySet[Permission]:
        return Permission.objects.none()

    def get_group_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return super().get_group_permissions(user_obj, obj)
        if not hasattr(user_obj, "_role_perm_cache"):
            roles = user_obj.groups.values_list("name", flat=True)
            user_obj._role_perm_cache = role_permissions(roles)
        return user_obj._role_perm_cache

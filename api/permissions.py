"""The role table (common/roles.py) governs the API as it governs the pages: reading a
resource needs its model's view permission, writing the permissions the view names."""

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request


def read_permissions(view) -> tuple[str, ...]:
    """The view's own `read_permissions`, else the view permission of its queryset's model."""
    declared = getattr(view, "read_permissions", None)
    if declared is not None:
        return tuple(declared)
    meta = view.get_queryset().model._meta
    return (f"{meta.app_label}.view_{meta.model_name}",)


class RolePermission(BasePermission):
    """Deny by default: a signed-in caller (token or session) with the permissions the
    method needs. A write needs the view's `write_permissions`; a view that names none
    takes no writes. A method the view does not have is let through to its 405."""

    message = "Your role does not allow this."

    def has_permission(self, request: Request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if not hasattr(view, request.method.lower()):
            return True
        if request.method in SAFE_METHODS:
            return user.has_perms(read_permissions(view))
        needed = getattr(view, "write_permissions", None)
        return bool(needed) and user.has_perms(needed)

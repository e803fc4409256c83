from django.utils.functional import SimpleLazyObject

from metbudget.models import DemoDataset
from metbudget.roles import ADMIN, role_of


def site(request) -> dict:
    """Who is logged in, their role, and the demo banner's text when demo data is loaded."""
    user = getattr(request, "user", None)
    role = SimpleLazyObject(lambda: role_of(user) if user is not None else None)
    return {
        "current_role": role,
        "is_admin_role": SimpleLazyObject(lambda: role == ADMIN),
        "demo_banner": SimpleLazyObject(
            lambda: DemoDataset.objects.values_list("banner", flat=True).first() or ""
        ),
    }

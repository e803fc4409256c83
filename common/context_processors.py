from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Subquery
from django.utils.functional import SimpleLazyObject

from common.models import DemoDataset
from common.roles import ADMIN, COMMITTEE, FINANCE, ROLES


def _role_and_banner(user) -> tuple[str | None, str]:
    """The user's role (as `roles.role_of` gives it) and the demo banner, in one query: every
    page shows both, so they are read together."""
    banner = DemoDataset.objects.order_by("pk").values("banner")[:1]
    if user is None or not user.is_authenticated:
        return None, DemoDataset.objects.values_list("banner", flat=True).first() or ""
    held = {role: Exists(Group.objects.filter(user=OuterRef("pk"), name=role)) for role in ROLES}
    row = get_user_model().objects.filter(pk=user.pk).values(banner=Subquery(banner), **held)
    row = row.first() or {}
    if user.is_superuser:
        role = ADMIN
    else:
        role = next((r for r in (ADMIN, FINANCE, COMMITTEE) if row.get(r)), None)
    return role, row.get("banner") or ""


def site(request) -> dict:
    """Who is logged in, their role, and the demo banner's text when demo data is loaded."""
    user = getattr(request, "user", None)
    facts = SimpleLazyObject(lambda: _role_and_banner(user))
    role = SimpleLazyObject(lambda: facts[0])
    return {
        "current_role": role,
        "is_admin_role": SimpleLazyObject(lambda: role == ADMIN),
        "demo_banner": SimpleLazyObject(lambda: facts[1]),
    }

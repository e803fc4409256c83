"""The three roles, as Django groups with model permissions.

`ROLE_PERMISSIONS` is the single statement of who may change what; a data migration
applies it (so a new database always has the groups) and `sync_roles` re-applies it.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

COMMITTEE = "Committee"
FINANCE = "Finance"
ADMIN = "Admin"
ROLES = (COMMITTEE, FINANCE, ADMIN)

_MODELS = {
    "contracts": ("supplier", "contract", "contractchange"),
    "budgets": ("financialyear", "category", "budgetline", "monthlyfigure", "importbatch"),
    "savings": ("reductionprogramme", "savingstarget", "initiative", "initiativeyear"),
}

# Everyone may view everything.
_VIEW_ALL = [(app, f"view_{model}") for app, models in _MODELS.items() for model in models]

# Finance records monthly figures, imports and realised savings.
_FINANCE_WRITES = [
    ("budgets", "add_monthlyfigure"),
    ("budgets", "change_monthlyfigure"),
    ("budgets", "add_importbatch"),
    ("savings", "change_initiativeyear"),
]

# Admin keeps the register, lines, targets and initiatives, closes periods, manages users.
_ADMIN_WRITES = [
    (app, f"{action}_{model}")
    for app, models in _MODELS.items()
    for model in models
    if model not in {"monthlyfigure", "importbatch"}
    for action in ("add", "change", "delete")
    # A contract's changes are its history: they are appended, never edited or deleted.
    if not (model == "contractchange" and action != "add")
] + [
    ("budgets", "close_period"),
    ("auth", "view_user"),
    ("auth", "add_user"),
    ("auth", "change_user"),
    ("auth", "view_group"),
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
]

ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    COMMITTEE: _VIEW_ALL,
    FINANCE: _VIEW_ALL + _FINANCE_WRITES,
    ADMIN: _VIEW_ALL + _FINANCE_WRITES + _ADMIN_WRITES,
}


def apply_role_permissions(group_model, permission_model) -> None:
    """Create the groups and give each exactly the permissions listed above."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        wanted = [
            permission_model.objects.get(content_type__app_label=app, codename=code)
            for app, code in perms
        ]
        group.permissions.set(wanted)


def role_permissions(roles: Iterable[str]) -> set[str]:
    """The "app.codename" permissions the given roles hold, as `ROLE_PERMISSIONS` states
    them; a name that is not a role holds none."""
    return {f"{app}.{code}" for role in roles for app, code in ROLE_PERMISSIONS.get(role, ())}


def role_of(user: AbstractBaseUser | AnonymousUser) -> str | None:
    """The highest role the user holds, for display; superusers count as Admin."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return ADMIN
    names = {group.name for group in user.groups.all()}
    for role in (ADMIN, FINANCE, COMMITTEE):
        if role in names:
            return role
    return None

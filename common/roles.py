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
    "budgets": (
        "financialyear",
        "category",
        "budgetline",
        "monthlyfigure",
        "importbatch",
        "budgetchange",
        "budgetchangeline",
    ),
    "savings": (
        "reductionprogramme",
        "savingstarget",
        "initiative",
        "initiativeyear",
        "savingsclaim",
    ),
    "projects": (
        "project",
        "projectforecast",
        "rebaseline",
        "benefitmeasure",
        "benefitvalue",
        "officercount",
    ),
    "scenarios": ("scenario", "adjustment", "packappendix"),
}

# Records that are history: appended, never edited or deleted.
_APPEND_ONLY = {"contractchange", "projectforecast", "rebaseline", "savingsclaim"}
# An approved budget changes only by a recorded budget change, which is history too.
_APPEND_ONLY |= {"budgetchange", "budgetchangeline"}

# Everyone may view everything, published reports and their commentary included (which no
# one edits as a register, so they are not in _MODELS).
_VIEW_ALL = [(app, f"view_{model}") for app, models in _MODELS.items() for model in models] + [
    ("reports", "view_publishedreport"),
    ("reports", "view_commentary"),
]

# Finance records monthly figures, imports, realised savings, project forecasts (each with
# its reason), benefit actuals and the commentary of a published report.
_FINANCE_WRITES = [
    ("budgets", "add_monthlyfigure"),
    ("budgets", "change_monthlyfigure"),
    ("budgets", "add_importbatch"),
    ("savings", "change_initiativeyear"),
    ("savings", "add_savingsclaim"),
    ("projects", "add_projectforecast"),
    ("projects", "add_benefitvalue"),
    ("projects", "change_benefitvalue"),
    ("reports", "add_commentary"),
    ("reports", "change_commentary"),
    ("scenarios", "add_scenario"),
    ("scenarios", "change_scenario"),
    ("scenarios", "add_adjustment"),
    ("scenarios", "delete_adjustment"),
    ("scenarios", "add_packappendix"),
]

# Admin keeps the registers, lines, targets, initiatives, projects (and their re-baselines),
# benefit measures and their plans, and officer numbers; closes periods; manages users.
# Setting a year's budget is the Admin's alone (Finance records against it): creating the
# next year from the previous one (budgets.add_financialyear), and its grid and budget
# imports while it is a draft (budgets.change_budgetline with change_monthlyfigure).
_ADMIN_WRITES = [
    (app, f"{action}_{model}")
    for app, models in _MODELS.items()
    for model in models
    if model not in {"monthlyfigure", "importbatch", "benefitvalue"}
    for action in ("add", "change", "delete")
    if not (model in _APPEND_ONLY and action != "add")
] + [
    ("budgets", "close_period"),
    ("savings", "validate_savingsclaim"),  # never their own claim: savings.services
    # Admin approves a year's budget and records its changes (budgets/revisions.py):
    # Finance enters what was spent, not what may be spent.
    ("budgets", "approve_budget"),
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
    """Create the groups and give each exactly the permissions listed above.

    An app whose first migration has not run yet has no permissions: its share is left to
    the sync after `migrate` (common.apps). A permission missing from an app that has
    them is a mistake in the table above, and fails loudly.
    """
    known = {
        (p.content_type.app_label, p.codename): p
        for p in permission_model.objects.select_related("content_type")
    }
    migrated = {app for app, _ in known}
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        unknown = [f"{a}.{c}" for a, c in perms if a in migrated and (a, c) not in known]
        if unknown:
            raise permission_model.DoesNotExist(f"{role}: no permission {', '.join(unknown)}")
        group.permissions.set([known[perm] for perm in perms if perm in known])


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

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs) -> None:
    """Re-apply the role permissions after every migrate (and every test flush), so a
    permission added by a new model reaches its roles without a hand-written step."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    from metbudget.roles import apply_role_permissions

    # post_migrate is sent once per app; permissions exist for all of them after the last.
    if sender is list(apps.get_app_configs())[-1]:
        apply_role_permissions(Group, Permission)


class MetbudgetConfig(AppConfig):
    default = True
    name = "metbudget"
    verbose_name = "metbudget"

    def ready(self) -> None:
        post_migrate.connect(_sync_roles, dispatch_uid="metbudget_sync_roles")


class MetbudgetAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "metbudget.admin_site.RoleAdminSite"

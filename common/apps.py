from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs) -> None:
    """Re-apply the role permissions after every migrate (and every test flush), so a
    permission added by a new model reaches its roles without a hand-written step."""
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    from common.roles import apply_role_permissions

    # post_migrate is sent once per app that has models; permissions exist for all of them
    # after the last such app.
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender is with_models[-1]:
        apply_role_permissions(Group, Permission)


class CommonConfig(AppConfig):
    default = True
    name = "common"
    verbose_name = "common"

    def ready(self) -> None:
        post_migrate.connect(_sync_roles, dispatch_uid="common_sync_roles")
        from common.tables import install_cached_signature

        install_cached_signature()


class RoleAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "common.sites.RoleAdminSite"

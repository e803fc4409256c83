"""Create the Committee, Finance and Admin groups with their permissions.

Permissions are normally created after migrations finish; they are created here first so
that a new database has complete roles as soon as `migrate` returns.
"""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

from common.roles import apply_role_permissions


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    apply_role_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("metbudget", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("axes", "0009_add_session_hash"),
        ("contracts", "0001_initial"),
        ("budgets", "0001_initial"),
        ("savings", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

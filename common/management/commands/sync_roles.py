from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand

from common.roles import ROLE_PERMISSIONS, apply_role_permissions


class Command(BaseCommand):
    help = "Re-apply the role permissions in metbudget/roles.py to the three groups."

    def handle(self, *args, **options):
        apply_role_permissions(Group, Permission)
        for role, perms in ROLE_PERMISSIONS.items():
            self.stdout.write(f"{role}: {len(perms)} permissions")

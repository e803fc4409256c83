"""`manage.py seed_demo`: load the Met demo dataset (demo/seed/) and the demo users.

Records are created only where missing, keyed on natural keys, so `make run` can run it on
every start: a second run writes nothing, and what a user changed in the demo stays.
"""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import models

from demo.seed.approval import approve_demo_budgets
from demo.seed.claims import load_claims
from demo.seed.load import load_demo
from demo.seed.projects import load_projects
from demo.seed.reports import publish_demo_reports
from demo.seed.users import DEMO_USERS, check_demo_password, ensure_demo_users

URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        "Load the Met demo dataset and one demo user per role (finance, committee, admin). "
        "Safe to run again: it only creates what is missing. The users' password is "
        "DEMO_PASSWORD if set, otherwise a random one printed when they are first created."
    )

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or None
        if password is not None:
            check_demo_password(password)
        created = load_demo()
        if created:
            summary = ", ".join(_count(model, n) for model, n in created.items())
            self.stdout.write(f"Demo data loaded: {summary}.")
        else:
            self.stdout.write("Demo data already loaded; nothing changed.")
        new_password, new_users = ensure_demo_users(password=password)
        users = get_user_model().objects.in_bulk(["admin", "finance"], field_name="username")
        # Approved before any report is published, as a year's budget is before it starts.
        if approvals := approve_demo_budgets(admin=users["admin"]):
            self.stdout.write(f"Budgets approved and changes recorded: {approvals}.")
        claims = load_claims(finance=users["finance"], admin=users["admin"])
        if claims:
            self.stdout.write(f"Savings claims made: {claims}.")
        load_projects(user=users["admin"])
        reports = publish_demo_reports(admin=users["admin"], finance=users["finance"])
        if reports:
            self.stdout.write(f"Published {reports} demo report{'s' if reports != 1 else ''}.")
        self.stdout.write(f"\nmetbudget demo: {URL}")
        names = ", ".join(f"{username} ({role})" for username, role in DEMO_USERS)
        self.stdout.write(f"Log in as {names}.")
        if password is not None:
            self.stdout.write("Password: the one in DEMO_PASSWORD.")
        elif new_users:
            who = "all three" if len(new_users) == len(DEMO_USERS) else ", ".join(new_users)
            self.stdout.write(
                f"Password for {who}: {new_password}\n"
                "It is shown only this once; set DEMO_PASSWORD to choose your own."
            )
        else:
            self.stdout.write(
                "The demo users already exist: their password was shown when they were "
                "first created (or is DEMO_PASSWORD if it was set then)."
            )


def _count(model: type[models.Model], n: int) -> str:
    return f"{n} {model._meta.verbose_name if n == 1 else model._meta.verbose_name_plural}"

"""`manage.py seed_demo`: load the Met demo dataset (metbudget/demo.py) and the demo users.

Records are created only where missing, keyed on natural keys, so `make run` can run it on
every start: a second run writes nothing, and what a user changed in the demo stays.
Monthly figures go in with simple_history's `bulk_create_with_history`, so the audit trail
is complete from the first row (a plain bulk_create would leave them without history) at
the cost of one more insert per batch.
"""

import os
import secrets
from collections import Counter
from decimal import Decimal

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from simple_history.utils import bulk_create_with_history

from budgets.models import BudgetLine, Category, FinancialYear, MonthlyFigure
from common.models import DemoDataset
from common.roles import ADMIN
from contracts.models import Contract, ContractChange, Supplier
from demo.data import (
    BASELINE,
    CATEGORIES,
    CONTRACT_CHANGES,
    CONTRACTS,
    DEMO_USERS,
    FIRST,
    INITIATIVES,
    LINES,
    PROGRAMME,
    PROGRAMME_NAME,
    SECOND,
    SUBCONTRACTS,
    SUPPLIERS,
    TARGETS,
    YEARS,
    figure_rows,
    m,
)
from savings.models import Initiative, InitiativeYear, ReductionProgramme, SavingsTarget

CHANGE_REASON = "Demo data loaded by seed_demo"
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
            _check_password(password)
        created = load_demo()
        if created:
            summary = ", ".join(_count(model, n) for model, n in created.items())
            self.stdout.write(f"Demo data loaded: {summary}.")
        else:
            self.stdout.write("Demo data already loaded; nothing changed.")
        new_password, new_users = ensure_demo_users(password=password)
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


def _check_password(password: str) -> None:
    """Refuse a DEMO_PASSWORD the site's password validators would refuse."""
    for username, _role in DEMO_USERS:
        try:
            password_validation.validate_password(password, User(username=username))
        except ValidationError as error:
            raise CommandError(
                f"DEMO_PASSWORD is not acceptable for user {username!r}: "
                + " ".join(error.messages)
            ) from None


@transaction.atomic
def ensure_demo_users(*, password: str | None) -> tuple[str | None, list[str]]:
    """Create the missing demo users, each in its role's group (admin is also staff).

    New users get `password`, or when it is None one random password shared by them. With
    `password` given, existing demo users whose password differs are given it. Returns the
    password set on new users (None when there were none) and their usernames, so the
    password can be shown once.
    """
    groups = {
        group.name: group for group in Group.objects.filter(name__in=dict(DEMO_USERS).values())
    }
    missing_roles = set(dict(DEMO_USERS).values()) - set(groups)
    if missing_roles:
        raise CommandError(
            f"Role group(s) {', '.join(sorted(missing_roles))} missing: run `manage.py migrate`."
        )
    existing = {user.username: user for user in User.objects.filter(username__in=dict(DEMO_USERS))}
    new_password, new_users = None, []
    if len(existing) < len(DEMO_USERS):
        new_password = password or secrets.token_urlsafe(12)
        encoded = make_password(new_password)  # one hash for all: hashing is slow on purpose
    for username, role in DEMO_USERS:
        user = existing.get(username)
        if user is None:
            user = User.objects.create(
                username=username,
                password=encoded,
                first_name=username.title(),
                last_name="(demo)",
                is_staff=role == ADMIN,
            )
            new_users.append(username)
        else:
            if password is not None and not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            if role == ADMIN and not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        user.groups.add(groups[role])
    return new_password, new_users


class _Loader:
    """Creates what is missing, keyed on natural keys, and counts what it created."""

    def __init__(self) -> None:
        self.created: Counter[type[models.Model]] = Counter()

    def ensure(self, model, lookup: dict, defaults: dict | None = None):
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **(defaults or {}))
            obj._change_reason = CHANGE_REASON
            obj.save()
            self.created[model] += 1
        return obj


@transaction.atomic
def load_demo() -> Counter[type[models.Model]]:
    """Create whatever part of the demo dataset is missing, keyed on natural keys (labels,
    names, references, codes); leave what exists as it is, so that running it again
    changes nothing and keeps what a user changed while trying the demo. Returns how many
    records of each model were created (none when the dataset was complete)."""
    loader = _Loader()
    years = {
        y.label: loader.ensure(
            FinancialYear,
            {"label": y.label},
            {"start": y.start, "closed_through": y.closed_through},
        )
        for y in YEARS
    }
    categories = {
        name: loader.ensure(Category, {"name": name}, {"kind": kind, "order": order})
        for order, (name, kind) in enumerate(CATEGORIES, start=1)
    }
    suppliers = {
        name: loader.ensure(Supplier, {"name": name}, {"notes": notes})
        for name, notes in SUPPLIERS.items()
    }
    contracts = {
        c.reference: loader.ensure(
            Contract,
            {"reference": c.reference},
            {
                "title": c.title,
                "supplier": suppliers[c.supplier],
                "description": c.description,
                "start_date": c.start,
                "end_date": c.end,
                "notice_months": c.notice_months,
                "annual_value": c.annual_value,
                "total_value": c.total_value,
                "status": c.status,
                "owner": c.owner,
                "source": c.source,
            },
        )
        for c in CONTRACTS + SUBCONTRACTS
    }
    for change in CONTRACT_CHANGES:
        loader.ensure(
            ContractChange,
            {
                "contract": contracts[change.reference],
                "kind": change.kind,
                "effective_date": change.effective,
            },
            {
                "old_end_date": change.old_end,
                "new_end_date": change.new_end,
                "value_change": change.value_change,
                "expected_annual_saving": change.expected_annual_saving,
                "note": change.note,
                "source": change.source,
            },
        )
    lines = {
        line.code: loader.ensure(
            BudgetLine,
            {"code": line.code},
            {
                "name": line.name,
                "category": categories[line.category],
                "contract": contracts[line.contract] if line.contract else None,
                "owner": line.owner,
            },
        )
        for line in LINES
    }
    _load_figures(loader, lines, years)
    _load_savings(loader, years, contracts, lines)
    loader.ensure(DemoDataset, {})  # the banner
    return loader.created


def _load_figures(loader: _Loader, lines: dict, years: dict) -> None:
    """Bulk-create the missing monthly figures with their history rows, in a few queries."""
    existing = set(
        MonthlyFigure.objects.filter(line__in=lines.values(), year__in=years.values()).values_list(
            "line_id", "year_id", "period"
        )
    )
    missing = [
        MonthlyFigure(
            line=lines[row["line"]],
            year=years[row["year"]],
            period=row["period"],
            budget=row["budget"],
            actual=row["actual"],
            forecast=row["forecast"],
            note=row["note"],
        )
        for row in figure_rows()
        if (lines[row["line"]].pk, years[row["year"]].pk, row["period"]) not in existing
    ]
    if missing:
        bulk_create_with_history(
            missing, MonthlyFigure, batch_size=500, default_change_reason=CHANGE_REASON
        )
        loader.created[MonthlyFigure] += len(missing)


def _money(value: str | None) -> Decimal | None:
    return None if value is None else m(value)


def _load_savings(loader: _Loader, years: dict, contracts: dict, lines: dict) -> None:
    programme = loader.ensure(
        ReductionProgramme,
        {"name": PROGRAMME_NAME},
        {
            **PROGRAMME,
            "first_year": years[FIRST],
            "last_year": years[SECOND],
            "baseline_year": years[BASELINE],
        },
    )
    for label, (amount, source) in TARGETS.items():
        loader.ensure(
            SavingsTarget,
            {"programme": programme, "year": years[label]},
            {"amount": amount, "source": source},
        )
    for spec in INITIATIVES:
        initiative = Initiative.objects.filter(code=spec.code).first()
        if initiative is None:
            initiative = loader.ensure(
                Initiative,
                {"code": spec.code},
                {
                    "name": spec.name,
                    "description": spec.description,
                    "owner": spec.owner,
                    "lever": spec.lever,
                    "stage": spec.stage,
                    "confidence": spec.confidence,
                    "cashable": spec.cashable,
                    "contract": contracts[spec.contract] if spec.contract else None,
                },
            )
            initiative.lines.set([lines[code] for code in spec.lines])
        for label, (planned, forecast, realised) in spec.years.items():
            loader.ensure(
                InitiativeYear,
                {"initiative": initiative, "year": years[label]},
                {
                    "planned": m(planned),
                    "forecast": _money(forecast),
                    "realised": _money(realised),
                },
            )

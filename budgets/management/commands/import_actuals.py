"""manage.py import_actuals PATH --user USERNAME [--dry-run]: the web import, from a shell.

Exit status 0 when the file was applied (or, with --dry-run, when it has no problems);
1 when it has problems, each printed as `row N, column C: reason`, or was refused.
Nothing is written unless the whole file is valid and --dry-run is absent.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from budgets.importing import (
    IMPORT_PERMISSIONS,
    ImportRefused,
    apply_import,
    describe_batch,
    describe_notes_needed,
    parse_file,
    validate,
)
from budgets.services import PeriodLockedError
from common.money import format_money


class Command(BaseCommand):
    help = "Import monthly actuals from a CSV or XLSX file (figure rows or ledger rows)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="the .csv or .xlsx file")
        parser.add_argument("--user", required=True, help="the Finance user recorded as author")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and show the changes only"
        )

    def handle(self, *args, path: str, user: str, dry_run: bool, **options) -> None:
        account = self._user(user)
        file = Path(path)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}", returncode=1) from None
        parsed = parse_file(file.name, data)
        plan = validate(parsed)
        if plan.errors:
            for problem in plan.errors:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{file.name} has {len(plan.errors)} problems; nothing was written.", returncode=1
            )
        self.stdout.write(
            f"{file.name}: {plan.row_count} {plan.file_format} rows; "
            f"{len(plan.changes)} figures change ({plan.new_count} new), "
            f"{plan.unchanged} already as in the file; file total {format_money(plan.total)}."
        )
        for year in plan.year_totals:
            self.stdout.write(
                f"{year.label} actuals, all lines: {format_money(year.before)} -> "
                f"{format_money(year.after)}"
            )
        if warning := describe_notes_needed(plan):
            self.stdout.write(self.style.WARNING(f"Warning: {warning}"))
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            batch = apply_import(plan=plan, user=account, filename=file.name, sha256=parsed.sha256)
        except (ImportRefused, PeriodLockedError) as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(self.style.SUCCESS(describe_batch(batch)))

    def _user(self, username: str):
        try:
            account = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"There is no user {username!r}.", returncode=1) from None
        if not account.is_active or not all(account.has_perm(p) for p in IMPORT_PERMISSIONS):
            raise CommandError(
                f"{username} may not import actuals (Finance permissions needed).", returncode=1
            )
        return account

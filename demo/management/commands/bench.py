import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.bench.load import LoadOptions
from demo.bench.report import markdown
from demo.bench.run import Options, run


class Command(BaseCommand):
    help = (
        "Build a synthetic dataset in a scratch database (never the configured one), then "
        "time every page, the database's floor, the import and the dashboard in Chromium. "
        "Prints a markdown table; --out writes the JSON report."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = Options()
        parser.add_argument("--lines", type=int, default=defaults.lines)
        parser.add_argument("--years", type=int, default=defaults.years)
        parser.add_argument("--contracts", type=int, default=defaults.contracts)
        parser.add_argument("--initiatives", type=int, default=defaults.initiatives)
        parser.add_argument(
            "--requests", type=int, default=defaults.requests, help="timed requests per page"
        )
        parser.add_argument(
            "--import-rows", type=int, default=defaults.import_rows, help="ledger rows"
        )
        parser.add_argument("--out", help="write the JSON report to this file")
        parser.add_argument(
            "--no-browser", action="store_true", help="skip the Chromium measurement"
        )
        parser.add_argument(
            "--import-only",
            action="store_true",
            help="generate the data, then time only the import and its floor",
        )
        parser.add_argument(
            "--pages",
            action="store_true",
            help="time only the pages and the floor (no load, scenario, browser or import)",
        )
        load = LoadOptions()
        parser.add_argument(
            "--load-clients",
            type=int,
            default=load.clients,
            help="signed-in clients at once against gunicorn (0 skips the load test)",
        )
        parser.add_argument(
            "--load-seconds", type=float, default=load.seconds, help="how long the load lasts"
        )
        parser.add_argument(
            "--load-workers",
            type=int,
            default=load.workers,
            help="gunicorn workers (default 2 x CPUs + 1)",
        )

    def handle(self, *args, **options) -> None:
        for name in ("lines", "years", "contracts", "initiatives", "requests", "import_rows"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1")
        if options["load_clients"] < 0 or options["load_workers"] < 0:
            raise CommandError("--load-clients and --load-workers cannot be negative")
        if options["load_seconds"] <= 0:
            raise CommandError("--load-seconds must be more than 0")
        report = run(
            Options(
                lines=options["lines"],
                years=options["years"],
                contracts=options["contracts"],
                initiatives=options["initiatives"],
                requests=options["requests"],
                import_rows=options["import_rows"],
                browser=not options["no_browser"],
                import_only=options["import_only"],
                pages_only=options["pages"],
                load=LoadOptions(
                    clients=options["load_clients"],
                    seconds=options["load_seconds"],
                    workers=options["load_workers"],
                ),
            ),
            log=self.progress if options["verbosity"] >= 1 else lambda message: None,
        )
        if options["out"]:
            with open(options["out"], "w", encoding="utf-8") as out:
                json.dump(report, out, indent=2, default=str)
                out.write("\n")
        self.stdout.write(markdown(report))

    def progress(self, message: str) -> None:
        """Progress goes to stderr, so stdout is only the table."""
        self.stderr.write(message, style_func=lambda text: text)

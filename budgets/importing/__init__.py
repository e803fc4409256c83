"""Import monthly actuals from a CSV or XLSX file: read, check every row, plan, then write once.

Two formats, told apart by their header (names match case-, space- and underscore-
insensitively; other columns are ignored and listed in the preview):

- figure rows: `line_code, year, period, actual[, forecast][, note][, committed]`. `year` is
  a label such as 2014-15; `period` is 1-12 or P1-P12. An empty cell leaves that value as
  it is, so a file may carry only forecasts, notes or commitments. A (line, year, period)
  appears once. A `budget` value is refused (an approved year's budget changes only
  through a recorded budget change).
- ledger rows: `line_code, date, amount`. Each date falls in a period of the financial year
  (April to March) holding it; the amounts of a line's period are added up and the sum
  REPLACES that period's actual (the ledger is the whole record of the period's spend).

The parts: `read` (file -> text cells), `rules` (row-numbered problems), `plan` (old -> new,
the preview), `apply` (the one transaction that writes) and `pending` (an upload waiting
for its confirmation). The web views, the `import_actuals` command and the benchmark use:

    parsed = parse_file(name, data)          # bytes in, ParsedImport out; never raises
    plan = validate(parsed)                  # ImportPlan: errors, or the changes to make
    batch = apply_import(plan=plan, user=user, filename=name, sha256=parsed.sha256)
"""

from budgets.importing.apply import (
    IMPORT_PERMISSIONS,
    AlreadyImportedError,
    ImportRefused,
    StaleImportError,
    apply_import,
    describe_batch,
    may_import,
)
from budgets.importing.plan import ImportPlan, describe_notes_needed, validate
from budgets.importing.read import FIGURE_COLUMNS, ImportProblem, ParsedImport, parse_file

__all__ = [
    "FIGURE_COLUMNS",
    "IMPORT_PERMISSIONS",
    "AlreadyImportedError",
    "ImportPlan",
    "ImportProblem",
    "ImportRefused",
    "ParsedImport",
    "StaleImportError",
    "apply_import",
    "describe_batch",
    "describe_notes_needed",
    "may_import",
    "parse_file",
    "validate",
]

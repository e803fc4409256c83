"""Assurance checks on savings claims, shown on the initiative page and in the pre-close
checklist: each returns plain rows (what, detail, url) for a year, or for one initiative.

- double counts: two initiatives claiming (claims not rejected) against the same budget
  line in the same year;
- realised beyond the spend reduction: an initiative's realised (validated) saving in a
  year larger than the fall in its linked lines' outturn from its baseline year to that
  year (each as at its last closed period);
- claims without evidence (no file and no link), not rejected;
- claims awaiting validation for more than `CLAIM_STALE_DAYS` days.
"""

from django.db.models import Count, Q

from budgets.models import FinancialYear, MonthlyFigure
from common.money import format_money
from savings.claims import CLAIM_STALE_DAYS, SavingsClaim
from savings.models import Initiative, InitiativeYear


def _claims(year: FinancialYear | None, initiative: Initiative | None):
    claims = SavingsClaim.objects.select_related("initiative", "year", "line")
    if year is not None:
        claims = claims.filter(year=year)
    if initiative is not None:
        claims = claims.filter(initiative=initiative)
    return claims


def double_counts(
    year: FinancialYear | None = None, initiative: Initiative | None = None
) -> list[dict]:
    """One row per (budget line, year) claimed against by more than one initiative."""
    shared = (
        SavingsClaim.objects.counted()
        .filter(line__isnull=False)
        .filter(Q(year=year) if year is not None else Q())
        .values("line_id", "year_id")
        .annotate(initiatives=Count("initiative", distinct=True))
        .filter(initiatives__gt=1)
    )
    pairs = {(row["line_id"], row["year_id"]) for row in shared}
    claims = SavingsClaim.objects.counted().select_related("initiative", "year", "line")
    found: dict[tuple[int, int], list[SavingsClaim]] = {}
    for claim in claims.filter(line_id__in={line for line, _ in pairs}).order_by(
        "initiative__code", "pk"
    ):
        if (claim.line_id, claim.year_id) in pairs:
            found.setdefault((claim.line_id, claim.year_id), []).append(claim)
    rows = []
    for group in found.values():
        codes = sorted({c.initiative.code for c in group})
        if initiative is not None and initiative.code not in codes:
            continue
        first = group[0]
        rows.append(
            {
                "what": f"{first.line.code} {first.line.name}, {first.year.label}",
                "detail": f"Possible double count: claimed by {' and '.join(codes)}",
                "url": first.initiative.get_absolute_url(),
            }
        )
    return rows


def lines_outturn(initiative: Initiative, year: FinancialYear):
    """The outturn of the initiative's budget lines in `year`, as at its last closed
    period (the baseline the demo states, and the spend the reduction check compares)."""
    figures = MonthlyFigure.objects.for_year(year).filter(line__initiatives=initiative)
    return figures.totals(year.closed_through)["outturn"]


def beyond_reduction(
    year: FinancialYear | None = None, initiative: Initiative | None = None
) -> list[dict]:
    """Cashable initiative-years whose realised saving exceeds the fall in their lines'
    outturn since the initiative's baseline year (initiatives with a baseline year and
    lines)."""
    # Non-cashable savings (officer time) take nothing off spend: they are not compared.
    rows = InitiativeYear.objects.filter(
        realised__isnull=False,
        initiative__baseline_year__isnull=False,
        initiative__cashable=True,
    ).select_related("initiative__baseline_year", "year")
    if year is not None:
        rows = rows.filter(year=year)
    if initiative is not None:
        rows = rows.filter(initiative=initiative)
    found = []
    for row in rows.order_by("initiative__code", "year__start"):
        item = row.initiative
        if not item.lines.exists():
            continue
        reduction = lines_outturn(item, item.baseline_year) - lines_outturn(item, row.year)
        if row.realised > reduction:
            found.append(
                {
                    "what": f"{item.code} {item.name}, {row.year.label}",
                    "detail": _beyond_words(row.realised, reduction, item.baseline_year),
                    "url": item.get_absolute_url(),
                }
            )
    return found


def _beyond_words(realised, reduction, baseline_year: FinancialYear) -> str:
    since = f"since {baseline_year.label}"
    if reduction < 0:
        change = f"its budget lines' outturn rose by {format_money(-reduction)} {since}"
    else:
        change = f"its budget lines' outturn fell by only {format_money(reduction)} {since}"
    return f"Realised {format_money(realised)} is more than the spend reduction: {change}"


def _claim_row(claim: SavingsClaim, detail: str) -> dict:
    return {
        "what": f"{claim.initiative.code}: claim of {format_money(claim.amount)}, "
        f"{claim.year.label} P{claim.period}",
        "detail": detail,
        "url": claim.initiative.get_absolute_url(),
    }


def without_evidence(
    year: FinancialYear | None = None, initiative: Initiative | None = None
) -> list[dict]:
    """Claims not rejected that have neither an evidence file nor a link."""
    claims = _claims(year, initiative).without_evidence()
    return [_claim_row(c, "No evidence file or link") for c in claims]


def awaiting_too_long(
    year: FinancialYear | None = None, initiative: Initiative | None = None
) -> list[dict]:
    """Claims awaiting validation for more than CLAIM_STALE_DAYS days."""
    claims = _claims(year, initiative).awaiting_since(CLAIM_STALE_DAYS)
    return [
        _claim_row(
            c, f"Awaiting validation since {c.made_at:%d %b %Y}, over {CLAIM_STALE_DAYS} days"
        )
        for c in claims
    ]


CHECKS = (
    (
        "double_count",
        "Possible double counts: two initiatives claiming one budget line",
        double_counts,
    ),
    ("beyond_reduction", "Realised savings beyond the fall in the lines' spend", beyond_reduction),
    ("claims_without_evidence", "Savings claims without evidence", without_evidence),
    (
        "claims_awaiting",
        f"Savings claims awaiting validation over {CLAIM_STALE_DAYS} days",
        awaiting_too_long,
    ),
)


def assurance_checks(
    year: FinancialYear | None = None, initiative: Initiative | None = None
) -> list[dict]:
    """Every check: key, label and its rows."""
    return [
        {"key": key, "label": label, "rows": check(year, initiative)}
        for key, label, check in CHECKS
    ]

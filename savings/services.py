"""Writes to savings: each one transaction that checks the user's permission, records the
user in history and takes the row's next version. The app's views and the Django admin
call these; nothing else saves a savings row.

`expected_version` is the version the person saw (`common.locking`): a row changed since is
refused with `StaleVersionError`. None skips the comparison (a caller that read the row in
this transaction, or a script).
"""

import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone

from budgets.models import BudgetLine, FinancialYear
from budgets.setting import create_next_year
from common.locking import StaleVersionError, bump, check_version, last_change
from common.money import ZERO
from savings.claims import SavingsClaim
from savings.evidence import KINDS, check_evidence
from savings.models import Initiative, InitiativeYear, ReductionProgramme, SavingsTarget

RECORD_SAVINGS = "savings.change_initiativeyear"
MAKE_CLAIM = "savings.add_savingsclaim"
VALIDATE_CLAIM = "savings.validate_savingsclaim"
FIRST_VERSION = 1
CONFIDENCE_REASON_NEEDED = "Give a one-line reason for changing the delivery confidence."


def _require(user: AbstractBaseUser, *perms: str, refusal: str) -> None:
    if not user.has_perms(perms):
        raise PermissionDenied(refusal)


def check_confidence_reason(*, before: str | None, after: str, reason: str) -> None:
    """A change of delivery confidence needs a one-line reason, which the history keeps.
    `before` is None for a new initiative (its first assessment needs none)."""
    if before is not None and before != after and not reason.strip():
        raise ValidationError({"change_reason": CONFIDENCE_REASON_NEEDED})


def _take_version(instance: models.Model, expected_version: int | None) -> models.Model | None:
    """Lock a stored row, refuse it if stale, and give `instance` the row's next version.
    A new row keeps its first version. Returns the stored row as it was (None if new)."""
    if instance.pk is None:
        instance.version = FIRST_VERSION
        return None
    current = check_version(instance, expected_version)
    instance.version = current.version
    bump(instance)
    return current


def _save(instance: models.Model, user: AbstractBaseUser, reason: str = "", **kwargs) -> None:
    """Save after the model's own rules (its check constraints: no negative saving or
    target), so that every path is refused with the same words before the database would."""
    instance.validate_constraints()
    instance._history_user = user
    instance._change_reason = reason.strip() or None
    instance.save(**kwargs)


@transaction.atomic
def record_savings(
    *,
    initiative_year: InitiativeYear,
    forecast: Decimal | None,
    note: str,
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> InitiativeYear:
    """Record an initiative-year's latest forecast (empty = as planned) and note. Realised
    savings are not typed: they are claims (`make_claim`), realised once validated."""
    _require(user, RECORD_SAVINGS, refusal="Only Finance can record savings.")
    row = check_version(initiative_year, expected_version)
    row.forecast, row.note = forecast, note
    bump(row)
    _save(row, user, update_fields=["forecast", "note", "version"])
    return row


@transaction.atomic
def save_initiative_year(
    *,
    initiative_year: InitiativeYear,
    planned: Decimal,
    forecast: Decimal | None,
    note: str,
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> InitiativeYear:
    """Create or edit an initiative-year's plan, forecast and note (the Django admin's
    form). Planning is part of the initiative, so it needs the right to change those. Its
    realised and claimed totals are the claims' (`make_claim`, `decide_claim`)."""
    new = initiative_year.pk is None
    _require(
        user,
        "savings.change_initiative",
        "savings.add_initiativeyear" if new else "savings.change_initiativeyear",
        refusal="Only administrators can plan an initiative's savings.",
    )
    _take_version(initiative_year, expected_version)
    row = initiative_year
    row.planned, row.forecast, row.note = planned, forecast, note
    _save(
        row,
        user,
        update_fields=None if row.pk is None else ["planned", "forecast", "note", "version"],
    )
    return row


def _plan_years(initiative: Initiative, planned: dict[FinancialYear, Decimal | None], user) -> None:
    """Write the planned amounts that changed; only `planned` is written, so a realised
    saving recorded at the same moment is kept."""
    existing = {row.year_id: row for row in initiative.years.select_for_update()}
    for year, amount in planned.items():
        row = existing.get(year.pk)
        if row is None and amount is None:
            continue  # an empty amount plans nothing for a year without a row
        if row is None:
            _save(InitiativeYear(initiative=initiative, year=year, planned=amount), user)
        elif row.planned != (amount or ZERO):
            row.planned = amount or ZERO
            bump(row)
            _save(row, user, update_fields=["planned", "version"])


@transaction.atomic
def save_initiative(
    *,
    initiative: Initiative,
    lines: Iterable[BudgetLine],
    planned: dict[FinancialYear, Decimal | None],
    reason: str,
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> Initiative:
    """Create or update an initiative, its budget lines and its planned savings per year.

    A change of delivery confidence needs a reason (`check_confidence_reason`), stored as
    the history row's change reason. An empty planned amount creates no row for a new
    year and means £0.00 for a year that already has one (its realised savings stay).
    """
    perms = ["savings.add_initiative" if initiative.pk is None else "savings.change_initiative"]
    if planned:
        perms += ["savings.add_initiativeyear", "savings.change_initiativeyear"]
    _require(user, *perms, refusal="Only administrators can add or edit initiatives.")
    before = _take_version(initiative, expected_version)
    check_confidence_reason(
        before=before.confidence if before else None, after=initiative.confidence, reason=reason
    )
    _save(initiative, user, reason)
    initiative.lines.set(lines)
    _plan_years(initiative, planned, user)
    return initiative


@transaction.atomic
def change_confidence(
    *,
    initiative: Initiative,
    confidence: str,
    reason: str,
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> Initiative:
    """Move an initiative's delivery confidence, with the reason kept in its history."""
    _require(
        user, "savings.change_initiative", refusal="Only administrators can change confidence."
    )
    row = check_version(initiative, expected_version)
    if confidence not in Initiative.Confidence.values:
        raise ValidationError({"confidence": f"“{confidence}” is not a delivery confidence."})
    check_confidence_reason(before=row.confidence, after=confidence, reason=reason)
    row.confidence = confidence
    bump(row)
    _save(row, user, reason, update_fields=["confidence", "version"])
    return row


@transaction.atomic
def set_target(
    *,
    target: SavingsTarget,
    amount: Decimal,
    source: str,
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> SavingsTarget:
    """Set a programme's savings target for a year: `target` is the stored one, or a new
    SavingsTarget(programme=..., year=...) when the year has none. A target someone else
    created for the year meanwhile (expected version 0 or a new `target`) is refused as
    stale rather than duplicated."""
    _require(
        user,
        "savings.add_savingstarget" if target.pk is None else "savings.change_savingstarget",
        refusal="Only administrators can set savings targets.",
    )
    if target.pk is None:
        _refuse_if_created_meanwhile(target)
    _take_version(target, expected_version)
    target.amount, target.source = amount, source
    _save(target, user)
    return target


def _refuse_if_created_meanwhile(target: SavingsTarget) -> None:
    # The lock on the programme row orders two people adding the same year's target.
    ReductionProgramme.objects.select_for_update().get(pk=target.programme_id)
    other = SavingsTarget.objects.filter(programme=target.programme_id, year=target.year_id)
    current = other.first()
    if current is not None:
        raise StaleVersionError(current, *last_change(current))


@transaction.atomic
def save_programme(
    *, programme: ReductionProgramme, user: AbstractBaseUser, expected_version: int | None = None
) -> ReductionProgramme:
    """Create or edit the reduction programme (its budget, reduction, years and baseline)."""
    _require(
        user,
        "savings.add_reductionprogramme"
        if programme.pk is None
        else "savings.change_reductionprogramme",
        refusal="Only administrators can edit the reduction programme.",
    )
    _take_version(programme, expected_version)
    _save(programme, user)
    return programme


@transaction.atomic
def create_year(
    *,
    previous: FinancialYear,
    lines: Iterable[BudgetLine],
    copy_budgets: bool,
    target: Decimal | None,
    target_source: str,
    user: AbstractBaseUser,
) -> FinancialYear:
    """The year after `previous` as a draft (`budgets.setting.create_next_year`: its lines'
    figures) and, when `target` is given, the programme's savings target for it: carried
    from `previous` or set anew. All or nothing; Admin only."""
    year = create_next_year(previous=previous, lines=lines, copy_budgets=copy_budgets, user=user)
    if target is not None:
        programme = ReductionProgramme.objects.for_year(previous)
        if programme is None:
            raise ValidationError({"target": "There is no reduction programme to set it for."})
        set_target(
            target=SavingsTarget(programme=programme, year=year),
            amount=target,
            source=target_source,
            user=user,
        )
    return year


# Savings claims --------------------------------------------------------------------------


def _store_evidence(upload: UploadedFile, kind: str) -> str:
    """Save a checked file through the default storage under a name of our own (never the
    uploaded one), and return its stored name."""
    return default_storage.save(f"evidence/{uuid.uuid4().hex}{KINDS[kind][1][0]}", upload)


def _refresh_totals(initiative_id: int, year_id: int, user: AbstractBaseUser) -> InitiativeYear:
    """Set the initiative-year's realised and claimed to its claims' sums. Its version is
    kept: the totals are derived, so a forecast being edited meanwhile is not stale."""
    row = InitiativeYear.objects.select_for_update().get(
        initiative_id=initiative_id, year_id=year_id
    )
    totals = SavingsClaim.objects.filter(initiative_id=initiative_id, year_id=year_id).totals()
    row.realised, row.claimed = totals["realised"], totals["claimed"]
    _save(row, user, update_fields=["realised", "claimed"])
    return row


def _check_claim(claim: SavingsClaim) -> None:
    if claim.line_id is not None and not claim.initiative.lines.filter(pk=claim.line_id).exists():
        raise ValidationError(
            {"line": f"{claim.line} is not one of {claim.initiative.code}'s budget lines."}
        )
    claim.full_clean(exclude=["evidence", "made_by"])


@transaction.atomic
def make_claim(
    *,
    initiative_year: InitiativeYear,
    amount: Decimal,
    period: int,
    line: BudgetLine | None = None,
    note: str = "",
    evidence: UploadedFile | None = None,
    evidence_link: str = "",
    user: AbstractBaseUser,
) -> SavingsClaim:
    """Claim a realised saving for an initiative-year, with its evidence (a file checked
    by content, a link, or both). It counts as claimed, not realised, until validated.
    Nothing is stored, file included, unless the whole claim is accepted."""
    _require(user, MAKE_CLAIM, refusal="Only Finance and administrators can claim savings.")
    claim = SavingsClaim(
        initiative=initiative_year.initiative,
        year=initiative_year.year,
        period=period,
        line=line,
        amount=amount,
        note=note,
        evidence_link=evidence_link,
        made_by=user,
        made_at=timezone.now(),
        version=FIRST_VERSION,
    )
    _check_claim(claim)
    kind = None
    if evidence is not None:
        try:
            kind = check_evidence(evidence)
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from error
    if kind is not None:
        claim.evidence.name = _store_evidence(evidence, kind)
        claim.evidence_kind, claim.evidence_name = kind, evidence.name[-200:]
    try:
        _save(claim, user)
        _refresh_totals(claim.initiative_id, claim.year_id, user)
    except Exception:
        if claim.evidence:  # nothing half-written: no file without its claim
            default_storage.delete(claim.evidence.name)
        raise
    return claim


CLAIM_DECISIONS = (SavingsClaim.Status.VALIDATED, SavingsClaim.Status.REJECTED)


@transaction.atomic
def decide_claim(
    *,
    claim: SavingsClaim,
    decision: str,
    reason: str = "",
    user: AbstractBaseUser,
    expected_version: int | None = None,
) -> SavingsClaim:
    """Validate or reject (with a reason) a claim awaiting validation. Four eyes: only an
    Admin who did not make the claim decides it."""
    _require(user, VALIDATE_CLAIM, refusal="Only administrators validate savings claims.")
    row = check_version(claim, expected_version)
    if row.made_by_id == user.pk:
        raise PermissionDenied(
            "You made this claim: another administrator must validate or reject it."
        )
    if row.status != SavingsClaim.Status.CLAIMED:
        raise ValidationError(f"This claim was already {row.get_status_display().lower()}.")
    if decision not in CLAIM_DECISIONS:
        raise ValidationError({"decision": "Choose to validate or to reject the claim."})
    if decision == SavingsClaim.Status.REJECTED and not reason.strip():
        raise ValidationError({"reason": "Give the reason for rejecting the claim."})
    row.status, row.decided_by, row.decided_at = decision, user, timezone.now()
    row.rejection_reason = reason.strip() if decision == SavingsClaim.Status.REJECTED else ""
    bump(row)
    # The rejection's reason is kept whole on the claim; history says what was decided.
    _save(row, user, row.get_status_display())
    _refresh_totals(row.initiative_id, row.year_id, user)
    return row

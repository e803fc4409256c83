"""Savings claims: realised savings as claims with evidence, validated by a second person.

How claims relate to the realised figure: an initiative-year's `realised` is the sum of its
validated claims (None until one is) and its `claimed` the sum of its claims awaiting
validation. Both are stored on `InitiativeYear`, written only by the claim services in the
claim's own transaction, so that every figure (the pipeline, the savings page, the
dashboard, the published report and the pack) keeps reading them through the one
`InitiativeYearQuerySet`; `realised_from_claims` is the fresh aggregate tests compare them
with. A rejected claim counts nowhere.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from simple_history.models import HistoricalRecords

from budgets.models import BudgetLine, FinancialYear
from common.money import MoneyField, money_sum
from savings.models import Initiative

# A claim awaiting validation longer than this is flagged.
CLAIM_STALE_DAYS = 60


class SavingsClaimQuerySet(models.QuerySet):
    def counted(self) -> "SavingsClaimQuerySet":
        """Claims that count: validated or awaiting validation (not rejected)."""
        return self.exclude(status=SavingsClaim.Status.REJECTED)

    def without_evidence(self) -> "SavingsClaimQuerySet":
        """Counted claims with neither an evidence file nor a link."""
        return self.counted().filter(evidence="", evidence_link="")

    def awaiting_since(self, days: int = CLAIM_STALE_DAYS) -> "SavingsClaimQuerySet":
        """Claims still awaiting validation that were made more than `days` days ago."""
        cutoff = timezone.now() - timedelta(days=days)
        return self.filter(status=SavingsClaim.Status.CLAIMED, made_at__lt=cutoff)

    def totals(self) -> dict:
        """realised (sum of validated claims, None when there is none) and claimed (sum
        awaiting validation) of these claims. One query."""
        validated = Q(status=SavingsClaim.Status.VALIDATED)
        sums = self.aggregate(
            total_realised=Sum("amount", filter=validated),
            total_claimed=money_sum(Sum("amount", filter=Q(status=SavingsClaim.Status.CLAIMED))),
        )
        return {"realised": sums["total_realised"], "claimed": sums["total_claimed"]}


class SavingsClaim(models.Model):
    """A claim that an initiative saved `amount` in a year (to the end of `period`), with
    its evidence. It counts as realised once an Admin who did not make it validates it."""

    class Status(models.TextChoices):
        CLAIMED = "claimed", "Awaiting validation"
        VALIDATED = "validated", "Validated"
        REJECTED = "rejected", "Rejected"

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="claims")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="+")
    period = models.PositiveSmallIntegerField(help_text="P1 = April … P12 = March.")
    line = models.ForeignKey(
        BudgetLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="savings_claims",
        help_text="The budget line the saving comes off, for the double-count check.",
    )
    amount = MoneyField()
    note = models.TextField(blank=True)
    evidence = models.FileField(upload_to="evidence/", blank=True, max_length=200)
    evidence_kind = models.CharField(max_length=8, blank=True)  # as checked by content
    evidence_name = models.CharField(max_length=200, blank=True)  # the name uploaded
    evidence_link = models.URLField(blank=True, max_length=500)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,  # only claims carried over from before claims were kept
        on_delete=models.PROTECT,
        related_name="+",
    )
    made_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()
    objects = SavingsClaimQuerySet.as_manager()

    class Meta:
        ordering = ["year__start", "initiative__code", "period", "pk"]
        permissions = [("validate_savingsclaim", "Can validate or reject a savings claim")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="claim_amount_positive",
                violation_error_message="A claimed saving must be more than £0.00.",
            ),
            models.CheckConstraint(
                condition=Q(period__gte=1) & Q(period__lte=12),
                name="claim_period_in_year",
                violation_error_message="A period is between P1 and P12.",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="claim_rejection_has_reason",
                violation_error_message="A rejected claim needs its reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"Claim {self.pk} {self.initiative.code} {self.year.label} P{self.period}"

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence) or bool(self.evidence_link)


def realised_from_claims(initiative_id: int, year_id: int) -> dict:
    """The fresh aggregate of one initiative-year's claims (realised, claimed): what the
    stored `InitiativeYear.realised` and `claimed` must equal."""
    return SavingsClaim.objects.filter(initiative_id=initiative_id, year_id=year_id).totals()

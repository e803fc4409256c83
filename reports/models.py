from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from budgets.models import FinancialYear
from common import snapshot


class PublishedReportQuerySet(models.QuerySet):
    def latest_first(self) -> "PublishedReportQuerySet":
        """Newest period first; within a period, the newest version first."""
        return self.order_by("-year__start", "-period", "-version")

    def current(self) -> "PublishedReportQuerySet":
        """Only the latest version of each (year, period): what the committee reads now."""
        newer = PublishedReport.objects.filter(
            year=models.OuterRef("year"),
            period=models.OuterRef("period"),
            version__gt=models.OuterRef("version"),
        )
        return self.exclude(models.Exists(newer))

    def before(self, report: "PublishedReport") -> "PublishedReportQuerySet":
        """Reports published for an earlier period (any year), latest first."""
        earlier = models.Q(year__start__lt=report.year.start) | models.Q(
            year=report.year, period__lt=report.period
        )
        return self.current().filter(earlier).latest_first()


class PublishedReport(models.Model):
    """What the committee read for a closed period: the report's structure, stored once as
    canonical JSON (`common.snapshot`) and never recomputed. Reopening and closing again
    publishes a new version; older versions stay."""

    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="reports")
    period = models.PositiveSmallIntegerField()
    version = models.PositiveIntegerField(default=1)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    close_reason = models.TextField(
        blank=True, help_text="Why the period was closed with checklist items outstanding."
    )
    payload = models.TextField(editable=False)

    objects = PublishedReportQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["year", "period", "version"], name="one_report_per_period_version"
            ),
            models.CheckConstraint(
                condition=models.Q(period__gte=1, period__lte=12), name="report_period_1_12"
            ),
        ]
        ordering = ["-year__start", "-period", "-version"]

    def __str__(self) -> str:
        return f"{self.year.label} P{self.period} report, version {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report", args=[self.pk])

    @property
    def data(self) -> dict:
        """The stored structure, with its Decimals and dates."""
        if not hasattr(self, "_data"):
            self._data = snapshot.loads(self.payload)
        return self._data


class Commentary(models.Model):
    """Finance's words on one section of one report version: plain paragraphs."""

    class Section(models.TextChoices):
        SUMMARY = "summary", "Summary"
        SPEND = "spend", "Spend against budget"
        SAVINGS = "savings", "Savings"
        CONTRACTS = "contracts", "Contracts"
        RISKS = "risks", "Risks and actions"

    report = models.ForeignKey(PublishedReport, on_delete=models.CASCADE, related_name="commentary")
    section = models.CharField(max_length=20, choices=Section.choices)
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "section"], name="one_commentary_per_section")
        ]
        ordering = ["report", "section"]
        verbose_name_plural = "commentary"

    def __str__(self) -> str:
        return f"{self.report}: {self.get_section_display()}"

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.text.split("\n\n") if p.strip()]

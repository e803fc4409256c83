"""Imported files: applied batches and uploads waiting for confirmation."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from common.money import ZERO, MoneyField


class ImportBatch(models.Model):
    """One applied import file. Its sha256 is unique, so a file cannot be applied twice."""

    sha256 = models.CharField(max_length=64, unique=True)
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=10, help_text="figures or ledger")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(auto_now_add=True)
    row_count = models.PositiveIntegerField(default=0)
    figure_count = models.PositiveIntegerField(default=0)
    total = MoneyField(default=ZERO)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-applied_at"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"{self.filename} ({self.applied_at:%d %b %Y %H:%M})"


class PendingImportQuerySet(models.QuerySet):
    def expired(self, now: datetime | None = None) -> "PendingImportQuerySet":
        """Uploads whose time to be confirmed has run out."""
        return self.filter(expires_at__lte=now or timezone.now())


class PendingImport(models.Model):
    """An uploaded file waiting for its owner to confirm the preview, or, for a file that
    was refused, its problems waiting to be downloaded as CSV. One per person; it expires
    (see `budgets.importing.pending`)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    data = models.BinaryField(blank=True, help_text="The file as uploaded; empty if refused.")
    versions = models.JSONField(
        default=dict, blank=True, help_text="Each figure's version when the preview was shown."
    )
    problems = models.JSONField(
        default=list, blank=True, help_text="[row, column, reason] of a refused file."
    )

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.owner}, until {self.expires_at:%d %b %Y %H:%M})"

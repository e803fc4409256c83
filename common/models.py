from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

# How far ahead a person may ask to hear about contract decisions, in months.
MIN_WINDOW_MONTHS, MAX_WINDOW_MONTHS = 1, 24


class DemoDataset(models.Model):
    """Present when `seed_demo` has loaded the demo data; every page then says so."""

    loaded_at = models.DateTimeField(auto_now=True)
    banner = models.CharField(
        max_length=200,
        default="Demo data: targets and contracts from public reports; "
        "monthly figures are illustrative",
    )

    class Meta:
        # The table was created under the project package; the model moved to `common`.
        db_table = "metbudget_demodataset"

    def __str__(self) -> str:
        return self.banner


class NotificationPreferenceQuerySet(models.QuerySet):
    def for_user(self, user) -> "NotificationPreference":
        """The user's stored preferences, or the defaults (unsaved) when they never chose."""
        return self.filter(user=user).first() or NotificationPreference(user=user, version=0)


class NotificationPreference(models.Model):
    """What one person wants in their daily digest (`manage.py send_digest`).

    A person without a row has the defaults: told when a report is published (what every
    reader of the committee's reports wants to know, and at most once a month), and nothing
    else until they ask for it. `version` counts the person's own saves; the digest writing
    `last_sent_at` is bookkeeping and leaves it alone, so an open profile form never turns
    stale because a digest went out.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    report_published = models.BooleanField(
        "A report is published", default=True, help_text="With a link to the report."
    )
    ready_to_close = models.BooleanField(
        "A period is ready to close",
        default=False,
        help_text="When a period has ended and is not closed yet, with the checklist's "
        "outstanding items (Finance and Admin).",
    )
    decisions_due = models.BooleanField(
        "Contract decisions come due",
        default=False,
        help_text="Contracts whose last day to give notice falls within your window.",
    )
    decision_window_months = models.PositiveSmallIntegerField(
        "Decision window (months)",
        default=6,
        validators=[MinValueValidator(MIN_WINDOW_MONTHS), MaxValueValidator(MAX_WINDOW_MONTHS)],
        help_text=f"How far ahead to look for contract decisions: {MIN_WINDOW_MONTHS} to "
        f"{MAX_WINDOW_MONTHS} months.",
    )
    rag_changes = models.BooleanField(
        "RAG ratings change",
        default=False,
        help_text="Red, amber or green ratings that moved between the two latest reports.",
    )
    last_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["last_sent_at"])
    objects = NotificationPreferenceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    decision_window_months__gte=MIN_WINDOW_MONTHS,
                    decision_window_months__lte=MAX_WINDOW_MONTHS,
                ),
                name="preference_window_1_24_months",
                violation_error_message="The decision window is 1 to 24 months.",
            ),
        ]

    def __str__(self) -> str:
        return f"Notification preferences of {self.user}"

    @property
    def wants_anything(self) -> bool:
        return any(
            (self.report_published, self.ready_to_close, self.decisions_due, self.rag_changes)
        )


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now=None) -> "ApiTokenQuerySet":
        """Tokens that still let their owner in: not revoked, not expired, owner active."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal token for the JSON API. Only a hash of its secret is kept: the whole
    token (`mb_<prefix>_<secret>`) is shown once, when it is made, and the prefix finds the
    row again. It acts as its owner, with its owner's role, until it expires or is revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. Power BI.")
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False, help_text="sha256 of the secret")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires.")
    revoked_at = models.DateTimeField(null=True, blank=True)

    # last_used_at moves with every request: bookkeeping, not a change anyone made.
    history = HistoricalRecords(excluded_fields=["last_used_at"])
    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired

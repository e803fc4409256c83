from django.db import models


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

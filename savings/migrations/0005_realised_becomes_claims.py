"""Realised savings typed before claims were kept become one validated claim each, carried
over without evidence (the checklist lists them), so that every initiative-year's realised
is the sum of its validated claims from now on."""

from django.db import migrations
from django.utils import timezone

CARRIED_OVER = (
    "Realised saving recorded before claims were kept; carried over as validated, "
    "without evidence."
)


def carry_over(apps, schema_editor):
    InitiativeYear = apps.get_model("savings", "InitiativeYear")
    SavingsClaim = apps.get_model("savings", "SavingsClaim")
    now = timezone.now()
    rows = InitiativeYear.objects.filter(realised__gt=0).select_related("year")
    for row in rows:
        if SavingsClaim.objects.filter(initiative_id=row.initiative_id, year_id=row.year_id).exists():
            continue
        SavingsClaim.objects.create(
            initiative_id=row.initiative_id,
            year_id=row.year_id,
            period=max(row.year.closed_through, 1),
            amount=row.realised,
            note=CARRIED_OVER,
            made_at=now,
            status="validated",
            decided_at=now,
        )


class Migration(migrations.Migration):
    dependencies = [("savings", "0004_savings_claims")]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]

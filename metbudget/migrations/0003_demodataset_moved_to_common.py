from django.db import migrations


class Migration(migrations.Migration):
    """DemoDataset now belongs to `common`; the table itself is kept (see common 0001)."""

    dependencies = [
        ("metbudget", "0002_roles"),
        ("common", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="DemoDataset")],
            database_operations=[],
        ),
    ]

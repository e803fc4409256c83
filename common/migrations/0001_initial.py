from django.db import migrations, models


class Migration(migrations.Migration):
    """DemoDataset moved here from the project package; its table stays where it is."""

    initial = True

    dependencies = [("metbudget", "0001_initial")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DemoDataset",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("loaded_at", models.DateTimeField(auto_now=True)),
                        (
                            "banner",
                            models.CharField(
                                default="Demo data: targets and contracts from public reports; "
                                "monthly figures are illustrative",
                                max_length=200,
                            ),
                        ),
                    ],
                    options={"db_table": "metbudget_demodataset"},
                ),
            ],
            database_operations=[],
        ),
    ]

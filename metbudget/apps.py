from django.apps import AppConfig


class MetbudgetConfig(AppConfig):
    """The project itself: settings, URLs and the migration that creates the roles."""

    name = "metbudget"
    verbose_name = "metbudget"

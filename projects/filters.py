import django_filters

from budgets.models import Rag
from projects.models import Project


class ProjectFilter(django_filters.FilterSet):
    """Filters for the project register, over `Project.objects.with_growth(...)`."""

    stage = django_filters.ChoiceFilter(choices=Project.Stage.choices, empty_label="Any")
    confidence = django_filters.ChoiceFilter(
        choices=Project.Confidence.choices, empty_label="Any", label="Delivery confidence"
    )
    rag = django_filters.ChoiceFilter(
        choices=Rag.choices, empty_label="Any", label="Cost or schedule RAG"
    )

    class Meta:
        model = Project
        fields = ["stage", "confidence"]

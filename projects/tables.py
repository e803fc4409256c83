import django_tables2 as tables
from django.db.models import Case, IntegerField, Value, When
from django.utils.formats import date_format

from budgets.models import Rag
from common.money import format_percent
from common.rag import rag_word
from common.tables import MoneyColumn
from common.templatetags.common import rag
from projects.models import Project

COL = {"th": {"scope": "col"}}
NUM = {"th": {"scope": "col", "class": "num"}, "td": {"class": "num"}}
DATE_FORMAT = "j M Y"


def _order_by_rank(queryset, field: str, values, is_descending: bool):
    """Sort by the order `values` are given in (Red first), not alphabetically."""
    rank = Case(
        *[When(**{field: value}, then=Value(i)) for i, value in enumerate(values)],
        default=Value(len(values)),
        output_field=IntegerField(),
    )
    key = f"{field}_rank"
    ordered = queryset.annotate(**{key: rank}).order_by(f"-{key}" if is_descending else key, "code")
    return ordered, True


RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN)


class RagColumn(tables.Column):
    """A RAG as its word and shape on the page, its word in exports; red sorts first."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", COL)
        kwargs.setdefault("empty_values", ())
        super().__init__(*args, **kwargs)

    def render(self, value):
        return rag(value) if value else "—"

    def value(self, value):
        return rag_word(value) if value else ""

    def order(self, queryset, is_descending: bool):
        return _order_by_rank(queryset, self.accessor, RAG_ORDER, is_descending)


class ProjectTable(tables.Table):
    """One row per project, as `Project.objects.with_growth(as_at)` annotates it."""

    code = tables.Column(linkify=lambda record: record.get_absolute_url(), attrs=COL)
    name = tables.Column(attrs=COL)
    # In exports; the page keeps to the figures (the project's page names its owner).
    owner = tables.Column(verbose_name="Senior responsible owner", attrs=COL, visible=False)
    stage = tables.Column(attrs=COL)
    confidence = tables.Column(verbose_name="Delivery confidence", attrs=COL)
    base_cost = MoneyColumn(verbose_name="Baseline cost", attrs=NUM)
    fc_cost = MoneyColumn(verbose_name="Forecast cost", attrs=NUM)
    cost_growth = MoneyColumn(verbose_name="Cost growth", attrs=NUM)
    cost_growth_pct = tables.Column(
        verbose_name="Growth %", attrs=NUM, orderable=False, empty_values=()
    )
    cost_rag = RagColumn(verbose_name="Cost RAG")
    base_go_live = tables.DateColumn(DATE_FORMAT, verbose_name="Baseline go-live", attrs=COL)
    fc_go_live = tables.DateColumn(DATE_FORMAT, verbose_name="Forecast go-live", attrs=COL)
    slip_months = tables.Column(verbose_name="Slip (months)", attrs=NUM)
    schedule_rag = RagColumn(verbose_name="Schedule RAG")

    class Meta:
        model = Project
        fields = ()
        sequence = (
            "code",
            "name",
            "owner",
            "stage",
            "confidence",
            "base_cost",
            "fc_cost",
            "cost_growth",
            "cost_growth_pct",
            "cost_rag",
            "base_go_live",
            "fc_go_live",
            "slip_months",
            "schedule_rag",
        )
        order_by = ("code",)
        attrs = {"class": "data-table wide-table"}
        empty_text = "No projects match these filters."
        per_page = 50

    def render_stage(self, record) -> str:
        if record.stage == Project.Stage.CLOSED and record.closed_on:
            return f"Closed {date_format(record.closed_on)}"
        return record.get_stage_display()

    def value_stage(self, record) -> str:
        return record.get_stage_display()

    def render_confidence(self, record) -> str:
        return rag(record.confidence)

    def value_confidence(self, record) -> str:
        return record.get_confidence_display()

    def order_confidence(self, queryset, is_descending: bool):
        return _order_by_rank(queryset, "confidence", Project.Confidence.values, is_descending)

    def render_cost_growth_pct(self, record) -> str:
        return format_percent(record.cost_growth_pct)

    def value_cost_growth_pct(self, record):
        return record.cost_growth_pct

    def render_slip_months(self, value) -> str:
        return f"{value:+d}" if value else "0"

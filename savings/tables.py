import django_tables2 as tables
from django.db.models import Case, IntegerField, Value, When
from django.utils.html import format_html

from common.money import PENNY, format_money
from common.tables import MoneyColumn, PagedTotalsMixin
from common.templatetags.common import rag
from savings.models import Initiative

COL = {"th": {"scope": "col"}}
NUM = {"th": {"scope": "col", "class": "num"}, "td": {"class": "num"}, "tf": {"class": "num"}}


def _order_by_choices(queryset, field: str, choices, is_descending: bool):
    """Sort by the order the choices are declared in (Red first), not alphabetically."""
    rank = Case(
        *[When(**{field: value}, then=Value(i)) for i, value in enumerate(choices.values)],
        default=Value(len(choices.values)),
        output_field=IntegerField(),
    )
    key = f"{field}_rank"
    ordered = queryset.annotate(**{key: rank}).order_by(f"-{key}" if is_descending else key, "code")
    return ordered, True


class InitiativeTable(PagedTotalsMixin, tables.Table):
    """One row per initiative, with the selected year's savings (see with_year)."""

    row_noun = "initiatives"
    total_word = "Cash total"  # year_totals counts cashable initiatives
    code = tables.Column(
        linkify=lambda record: record.get_absolute_url(),
        attrs=COL,
        footer=lambda table: table.total_label(),
    )
    name = tables.Column(attrs=COL)
    lever = tables.Column(attrs=COL)
    stage = tables.Column(attrs=COL)
    confidence = tables.Column(verbose_name="Confidence", attrs=COL)
    # Shown as a tag beside the name; a column of its own in exports.
    cashable = tables.BooleanColumn(
        attrs=COL, yesno="Cashable,Non-cashable", verbose_name="Cash or not", visible=False
    )
    contract = tables.Column(
        accessor="contract__reference", verbose_name="Contract", attrs=COL, default="—"
    )
    planned = MoneyColumn(verbose_name="Planned", total_key="planned")
    forecast = MoneyColumn(verbose_name="Forecast", total_key="forecast")
    realised = MoneyColumn(verbose_name="Realised (validated)", total_key="realised")
    claimed = MoneyColumn(verbose_name="Claimed, awaiting validation", total_key="claimed")

    class Meta:
        model = Initiative
        fields = ()
        sequence = (
            "code",
            "name",
            "lever",
            "stage",
            "confidence",
            "cashable",
            "contract",
            "planned",
            "forecast",
            "realised",
            "claimed",
        )
        order_by = ("code",)
        attrs = {"class": "data-table wide-table"}
        empty_text = "No initiatives match these filters."
        per_page = 50

    def __init__(self, *args, totals: dict | None = None, **kwargs):
        self.totals = totals or {}
        super().__init__(*args, **kwargs)

    def order_confidence(self, queryset, is_descending: bool):
        return _order_by_choices(queryset, "confidence", Initiative.Confidence, is_descending)

    def order_stage(self, queryset, is_descending: bool):
        return _order_by_choices(queryset, "stage", Initiative.Stage, is_descending)

    def render_confidence(self, record) -> str:
        return rag(record.confidence)

    def value_confidence(self, record) -> str:
        return record.get_confidence_display()

    def render_name(self, record) -> str:
        if not record.cashable:
            return format_html('{} <span class="tag">Non-cashable</span>', record.name)
        return record.name

    def value_name(self, record) -> str:
        return record.name

    def value_cashable(self, record) -> str:
        return "Cashable" if record.cashable else "Non-cashable"

    def render_stage(self, record) -> str:
        if record.stage == Initiative.Stage.ABANDONED:
            return format_html('<span class="tag">{}</span>', record.get_stage_display())
        return record.get_stage_display()

    def value_stage(self, record) -> str:
        return record.get_stage_display()

    def render_realised(self, record) -> str:
        if record.over_plan:
            return format_html(
                '{} <span class="tag">above plan</span>', format_money(record.realised)
            )
        return format_money(record.realised)

    def value_realised(self, record):
        return None if record.realised is None else record.realised.quantize(PENNY)

"""top_suppliers: a supplier list that stays the same size whatever the number of suppliers."""

from decimal import Decimal as D

from budgets.models import OTHER_SUPPLIERS, top_suppliers
from reports.charts import NO_SUPPLIER, supplier_chart

# Two years of £100.00 each. 2014-15: suppliers 1..5 spend 30, 25, 20, 10, 5 and £10.00 is
# on no contract. 2015-16: supplier 5 is the largest (40), then 1 (30), 2 (20), and £10.00 on
# no contract.
SPEND = {
    "2014-15": {1: "30", 2: "25", 3: "20", 4: "10", 5: "5", None: "10"},
    "2015-16": {5: "40", 1: "30", 2: "20", None: "10"},
}


def rows() -> list[dict]:
    return [
        {
            "year_label": year,
            "year_start": year[:4],
            "supplier_id": supplier,
            "supplier": f"S{supplier}" if supplier else None,
            "actual": D(amount),
            "outturn": D(amount),
            "technology_actual": D("100.00"),
            "technology_outturn": D("100.00"),
            "share": D(amount).quantize(D("0.1")),
            "outturn_share": D(amount).quantize(D("0.1")),
        }
        for year, spend in SPEND.items()
        for supplier, amount in spend.items()
    ]


def summary(result: list[dict]) -> list[tuple]:
    return [
        (r["year_label"], r["supplier"], r["outturn"], r["outturn_share"], r.get("others"))
        for r in result
    ]


def test_the_selected_years_largest_are_named_and_the_rest_make_one_row_per_year():
    result = top_suppliers(rows(), year_label="2014-15", named=2)
    assert summary(result) == [
        ("2014-15", "S1", D("30"), D("30.0"), None),
        ("2014-15", "S2", D("25"), D("25.0"), None),
        ("2014-15", None, D("10"), D("10.0"), None),
        # 20 + 10 + 5 of £100.00
        ("2014-15", OTHER_SUPPLIERS, D("35.00"), D("35.0"), 3),
        ("2015-16", "S1", D("30"), D("30.0"), None),
        ("2015-16", "S2", D("20"), D("20.0"), None),
        ("2015-16", None, D("10"), D("10.0"), None),
        ("2015-16", OTHER_SUPPLIERS, D("40.00"), D("40.0"), 1),
    ]


def test_naming_follows_the_selected_year():
    result = top_suppliers(rows(), year_label="2015-16", named=2)
    named = {r["supplier_id"] for r in result if r["supplier_id"] is not None}
    assert named == {5, 1}
    other = [r for r in result if r["supplier"] == OTHER_SUPPLIERS]
    # 2014-15: S2, S3, S4 (25 + 20 + 10); 2015-16: S2 (20).
    assert [(r["year_label"], r["outturn"], r["others"]) for r in other] == [
        ("2014-15", D("55.00"), 3),
        ("2015-16", D("20.00"), 1),
    ]


def test_a_year_without_named_spend_ranks_by_every_year():
    result = top_suppliers(rows(), year_label="2016-17", named=1)
    # S1 has the most across both years (60); S5 has 45.
    assert {r["supplier"] for r in result} == {"S1", None, OTHER_SUPPLIERS}


def test_nothing_is_grouped_when_few_suppliers():
    assert top_suppliers(rows(), year_label="2014-15", named=6) == rows()


def test_the_supplier_chart_has_the_named_suppliers_other_and_no_contract_only():
    many = [
        {**r, "supplier_id": r["supplier_id"] + 10 * n, "supplier": f"{r['supplier']}-{n}"}
        for n in range(20)
        for r in rows()
        if r["supplier_id"] is not None
    ] + [r for r in rows() if r["supplier_id"] is None]
    largest = {"name": "S1-0", "outturn": D("30"), "total": D("100.00"), "share": D("30.0")}
    totals = [{"year_label": y, "outturn": D("100.00")} for y in SPEND]
    chart = supplier_chart(many, totals, largest=largest, year_label="2014-15")
    names = [trace["name"] for trace in chart.figure_json["data"]]
    assert len(names) == 8 and names[0] == "S1-0 (largest)"
    assert names[-2:] == [OTHER_SUPPLIERS, NO_SUPPLIER]
    assert len(chart.rows) == 16  # per year: six named, other suppliers, no contract
    assert ("2014-15", f"{OTHER_SUPPLIERS} (94)") in [row[:2] for row in chart.rows]

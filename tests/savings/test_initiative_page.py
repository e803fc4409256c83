from decimal import Decimal

from savings.models import Initiative


def test_initiative_page_shows_details_years_and_links(world, committee_client):
    response = committee_client.get("/savings/initiatives/CAP-RENEG/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "CAP-RENEG: Renegotiate" in html
    assert "Renegotiate" in html and "Approved" in html
    assert '<span class="rag rag-amber">Amber</span>' in html
    assert "CAP-2005: Outsourced IT services" in html
    assert "OUT-01 Capgemini service" in html
    years = list(response.context["years"])
    assert [(y.year.label, y.planned, y.forecast, y.realised) for y in years] == [
        ("2014-15", Decimal("6000.00"), Decimal("5000.00"), Decimal("4000.00"))
    ]
    # Committee may read but not record or edit.
    assert "Record savings" not in html
    assert "Edit initiative" not in html


def test_finance_sees_record_link_and_admin_sees_edit_link(world, finance_client, admin_client_):
    assert (
        "Update forecast" in finance_client.get("/savings/initiatives/CAP-RENEG/").content.decode()
    )
    html = admin_client_.get("/savings/initiatives/CAP-RENEG/").content.decode()
    assert "/savings/initiatives/CAP-RENEG/edit/" in html


def test_abandoned_and_non_cashable_initiatives_say_so(world, committee_client):
    html = committee_client.get("/savings/initiatives/OLD-X/").content.decode()
    assert "Abandoned: its planned savings no longer count as identified." in html
    html = committee_client.get("/savings/initiatives/MOBILE/").content.decode()
    assert "Non-cashable: its savings are shown apart" in html


def test_confidence_history_lists_each_change_with_reason(world, committee_client):
    reneg = world["initiatives"]["reneg"]
    reneg.confidence = Initiative.Confidence.RED
    reneg._change_reason = "Supplier rejected the revised terms"
    reneg.save()
    reneg.stage = Initiative.Stage.IN_DELIVERY  # not a confidence change
    reneg.save()
    response = committee_client.get("/savings/initiatives/CAP-RENEG/")
    changes = response.context["confidence_changes"]
    assert [(c["record"].confidence, c["record"].history_change_reason) for c in changes] == [
        ("red", "Supplier rejected the revised terms"),
        ("amber", None),
    ]
    assert "Supplier rejected the revised terms" in response.content.decode()


def test_unknown_initiative_is_not_found(world, committee_client):
    assert committee_client.get("/savings/initiatives/NOPE/").status_code == 404

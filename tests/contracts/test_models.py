"""Contract decision dates and the register's database constraints."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from contracts.models import Contract, ContractChange, Supplier

pytestmark = pytest.mark.django_db


def _contract(supplier: Supplier, reference: str, end: date, notice: int, **extra) -> Contract:
    return Contract.objects.create(
        reference=reference,
        title=reference,
        supplier=supplier,
        start_date=date(2010, 4, 1),
        end_date=end,
        notice_months=notice,
        **extra,
    )


def test_decision_date_is_end_date_less_notice(world):
    assert world["contracts"]["cap"].decision_date == date(2015, 6, 30)  # 31 Dec less 6 months
    assert world["contracts"]["bt"].decision_date == date(2016, 3, 31)  # 31 Mar less 12


def test_decision_date_clamps_to_the_end_of_a_shorter_month(world):
    contract = _contract(world["suppliers"]["bt"], "SHORT", date(2015, 8, 31), 6)
    assert contract.decision_date == date(2015, 2, 28)


def _due(cutoff: date) -> list[str]:
    return list(
        Contract.objects.decision_due_by(cutoff)
        .order_by("reference")
        .values_list("reference", flat=True)
    )


def test_decision_due_by_includes_a_contract_on_its_decision_date(world):
    assert _due(date(2015, 6, 29)) == []
    assert _due(date(2015, 6, 30)) == ["CAP-2005"]
    assert _due(date(2016, 3, 30)) == ["CAP-2005"]
    assert _due(date(2016, 3, 31)) == ["BT-NET", "CAP-2005"]


def test_decision_due_by_on_a_clamped_month_end(world):
    supplier = world["suppliers"]["bt"]
    _contract(supplier, "AUG-END", date(2015, 8, 31), 6)  # decision 28 Feb 2015
    _contract(supplier, "FEB-END", date(2015, 2, 28), 1)  # decision 28 Jan 2015
    _contract(supplier, "NO-NOTICE", date(2015, 1, 31), 0)  # decision 31 Jan 2015

    assert _due(date(2015, 1, 27)) == []
    assert _due(date(2015, 1, 28)) == ["FEB-END"]
    assert _due(date(2015, 1, 31)) == ["FEB-END", "NO-NOTICE"]
    assert _due(date(2015, 2, 27)) == ["FEB-END", "NO-NOTICE"]
    assert _due(date(2015, 2, 28)) == ["AUG-END", "FEB-END", "NO-NOTICE"]


def test_decision_due_by_leaves_out_expired_and_terminated_contracts(world):
    cap = world["contracts"]["cap"]
    cap.status = Contract.Status.TERMINATED
    cap.save()
    _contract(world["suppliers"]["bt"], "OLD", date(2012, 3, 31), 3, status=Contract.Status.EXPIRED)

    assert _due(date(2016, 3, 31)) == ["BT-NET"]


def test_decision_due_by_is_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        _due(date(2016, 3, 31))


# Constraints: the database itself refuses bad rows, whatever the write path.


def _refused(**fields) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.create(**fields)


def _valid_contract(world, **overrides) -> dict:
    fields = {
        "reference": "NEW-1",
        "title": "New",
        "supplier": world["suppliers"]["bt"],
        "start_date": date(2015, 4, 1),
        "end_date": date(2016, 3, 31),
    }
    return {**fields, **overrides}


def test_valid_contract_is_accepted(world):
    Contract.objects.create(**_valid_contract(world))
    assert Contract.objects.filter(reference="NEW-1").exists()


def test_contract_reference_is_unique(world):
    _refused(**_valid_contract(world, reference="CAP-2005"))


def test_contract_cannot_end_before_it_starts(world):
    _refused(**_valid_contract(world, end_date=date(2015, 3, 31)))


def test_contract_may_end_the_day_it_starts(world):
    created = Contract.objects.create(**_valid_contract(world, end_date=date(2015, 4, 1)))
    stored = Contract.objects.get(pk=created.pk)
    assert (stored.start_date, stored.end_date) == (date(2015, 4, 1), date(2015, 4, 1))
    assert stored.rule_errors() == {}  # the rule agrees with the database: a day is allowed
    stored.end_date = date(2015, 3, 31)
    assert set(stored.rule_errors()) == {"end_date"}  # and a day earlier is not


# The rules, stated once on the model (`Contract.rule_errors`) and backed by the constraints.


def test_rules_name_each_broken_rule_by_its_field(world):
    contract = Contract(
        **_valid_contract(
            world, end_date=date(2015, 3, 31), notice_months=61, annual_value=D("-1.00")
        )
    )
    assert contract.rule_errors() == {
        "end_date": "The end date (31 Mar 2015) cannot be before the start date (1 Apr 2015).",
        "notice_months": "The notice period must be between 0 and 60 months.",
        "annual_value": "The annual value cannot be negative.",
    }


def test_notice_limit_is_one_constant_in_the_rule_and_the_constraint(world):
    contract = Contract(**_valid_contract(world, notice_months=Contract.MAX_NOTICE_MONTHS))
    assert contract.rule_errors() == {}
    contract.save()
    contract.notice_months = Contract.MAX_NOTICE_MONTHS + 1
    assert "notice_months" in contract.rule_errors()
    constraint = next(
        c for c in Contract._meta.constraints if c.name == "contract_notice_at_most_60_months"
    )
    assert constraint.condition == Q(notice_months__lte=Contract.MAX_NOTICE_MONTHS)


def test_full_clean_shows_the_rule_not_a_generic_range_message(world):
    contract = Contract(**_valid_contract(world, notice_months=-1))
    with pytest.raises(ValidationError) as error:
        contract.full_clean()
    assert error.value.message_dict["notice_months"] == [
        "The notice period must be between 0 and 60 months."
    ]


@pytest.mark.parametrize("field", ["annual_value", "total_value"])
def test_contract_values_cannot_be_negative(world, field):
    _refused(**_valid_contract(world, **{field: D("-0.01")}))


def test_contract_notice_is_at_most_60_months(world):
    _refused(**_valid_contract(world, notice_months=61))


def test_supplier_name_is_unique(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Supplier.objects.create(name="Capgemini")


def test_contract_change_saving_cannot_be_negative(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        ContractChange.objects.create(
            contract=world["contracts"]["cap"],
            effective_date=date(2014, 4, 1),
            kind=ContractChange.Kind.RENEGOTIATION,
            expected_annual_saving=D("-1.00"),
        )


def test_contract_change_value_may_be_negative(world):
    change = ContractChange.objects.create(
        contract=world["contracts"]["cap"],
        effective_date=date(2014, 4, 1),
        kind=ContractChange.Kind.RENEGOTIATION,
        value_change=D("-5000.00"),
    )
    change.refresh_from_db()
    assert change.value_change == D("-5000.00")

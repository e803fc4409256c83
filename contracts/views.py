"""The Admin's edits in the app: "Edit contract" and "Record a change". The pages that show
a contract's spend and savings read budgets and savings, so they live in reports
(reports/contract_pages.py) under the same `contracts:` URL names."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from common.locking import StaleVersionError
from contracts.forms import ContractChangeForm, ContractForm, add_errors
from contracts.models import Contract, ContractChange
from contracts.services import record_change, update_contract


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("contracts.change_contract", raise_exception=True)
def contract_edit(request: HttpRequest, reference: str) -> HttpResponse:
    contract = get_object_or_404(Contract, reference=reference)
    # The form writes typed values into its instance while validating: give it a copy.
    form = ContractForm(request.POST or None, instance=copy(contract))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            saved = update_contract(
                contract=contract,
                data=form.cleaned_data,
                user=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError as error:
            form.offer_again(error)
            status = 409
        except ValidationError as error:
            add_errors(form, {field: " ".join(m) for field, m in error.message_dict.items()})
        else:
            messages.success(request, f"Saved the changes to {saved.reference}.")
            return redirect(saved)
    context = {"contract": contract, "form": form}
    return render(request, "contracts/contract_form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(
    ("contracts.add_contractchange", "contracts.change_contract"), raise_exception=True
)
def change_new(request: HttpRequest, reference: str) -> HttpResponse:
    contract = get_object_or_404(Contract, reference=reference)
    form = ContractChangeForm(request.POST or None, instance=ContractChange(contract=contract))
    if request.method == "POST" and form.is_valid():
        try:
            change = record_change(contract=contract, user=request.user, **form.change())
        except ValidationError as error:
            add_errors(form, {field: " ".join(m) for field, m in error.message_dict.items()})
        else:
            messages.success(request, f"Recorded the {change.get_kind_display().lower()}.")
            return redirect(contract)
    return render(request, "contracts/change_form.html", {"contract": contract, "form": form})

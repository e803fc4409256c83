"""The pre-close checklist page: Finance and Admin read it; Admin closes the period from
it, which publishes the period's report."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views import View

from budgets.models import PERIODS, FinancialYear
from common.locking import StaleVersionError
from reports.checklist import checklist_for
from reports.forms import CloseForm
from reports.models import PublishedReport
from reports.services import CloseRefusedError, ReasonRequiredError, close_and_publish

REVIEW = "budgets.change_monthlyfigure"  # Finance and Admin, who prepare a close
CLOSE = "budgets.close_period"  # Admin


class ChecklistView(View):
    """GET: the checklist of one period. POST (Admin): close it and publish its report."""

    def setup(self, request: HttpRequest, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self.year = get_object_or_404(FinancialYear, label=kwargs["year"])
        self.period = kwargs["n"]
        if self.period not in PERIODS:
            raise Http404("A period is P1 to P12.")

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm(REVIEW):
            raise PermissionDenied("Only Finance and administrators see the pre-close checklist.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, **kwargs) -> HttpResponse:
        return self.show(CloseForm(initial={"version": self.year.version}))

    def post(self, request: HttpRequest, **kwargs) -> HttpResponse:
        if not request.user.has_perm(CLOSE):
            raise PermissionDenied("Only administrators can close periods.")
        form = CloseForm(request.POST)
        if not form.is_valid():
            return self.show(form)
        try:
            report = close_and_publish(
                year=self.year,
                through=self.period,
                user=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except StaleVersionError as error:
            self.year.refresh_from_db()
            form.offer_again(error)
            return self.show(form, status=409)
        except ReasonRequiredError as error:
            form.add_error("reason", str(error))
            return self.show(form)
        except CloseRefusedError as error:
            self.year.refresh_from_db()
            form.add_error(None, str(error))
            return self.show(form, status=409)
        messages.success(
            request,
            f"P{self.period} {self.year.label} is closed and its report is published "
            f"(version {report.version}).",
        )
        return redirect(report)

    def show(self, form: CloseForm, status: int = 200) -> HttpResponse:
        checklist = checklist_for(self.year, self.period)
        attrs = form.fields["reason"].widget.attrs
        # The hint and error ids of templates/includes/field.html.
        described = ["id_reason-hint", *(["id_reason-error"] if form.errors.get("reason") else [])]
        attrs["aria-describedby"] = " ".join(described)
        if checklist.outstanding:
            attrs["required"] = True
        else:
            attrs.pop("required", None)
        context = {
            "checklist": checklist,
            "year": self.year,
            "period": self.period,
            "form": form,
            "can_close": self.request.user.has_perm(CLOSE)
            and self.period == checklist.next_to_close,
            "reports": PublishedReport.objects.filter(
                year=self.year, period=self.period
            ).latest_first(),
        }
        return render(self.request, "reports/checklist.html", context, status=status)


# Under /reports/, in the namespace "reports".
checklist_urlpatterns = [
    path("<str:year>/p<int:n>/checklist/", ChecklistView.as_view(), name="checklist"),
]

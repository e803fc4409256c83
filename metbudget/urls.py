from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from common.forms import LoginForm
from common.views import create_token, healthz, profile, revoke_token
from contracts import urls as contract_edits
from projects.urls import benefit_urlpatterns
from reports.urls import contract_urlpatterns, report_urlpatterns

# The contract pages: those that show spend and savings live in reports, the Admin's edits
# in contracts; one `contracts:` namespace holds both.
contract_urls = [*contract_urlpatterns, *contract_edits.urlpatterns]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/profile/", profile, name="profile"),
    path("accounts/profile/tokens/", create_token, name="profile_token_new"),
    path(
        "accounts/profile/tokens/<int:token_id>/revoke/", revoke_token, name="profile_token_revoke"
    ),
    path("admin/", admin.site.urls),
    path("contracts/", include((contract_urls, contract_edits.app_name))),
    path("budgets/", include("budgets.urls")),
    path("savings/", include("savings.urls")),
    path("projects/", include("projects.urls")),
    path("benefits/", include((benefit_urlpatterns, "benefits"))),
    path("reports/", include((report_urlpatterns, "reports"))),
    path("scenarios/", include("scenarios.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("reports.urls")),
]

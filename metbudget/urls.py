from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from common.forms import LoginForm
from common.views import healthz, profile
from projects.urls import benefit_urlpatterns
from reports.urls import report_urlpatterns

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
    path("admin/", admin.site.urls),
    path("contracts/", include("contracts.urls")),
    path("budgets/", include("budgets.urls")),
    path("savings/", include("savings.urls")),
    path("projects/", include("projects.urls")),
    path("benefits/", include((benefit_urlpatterns, "benefits"))),
    path("reports/", include((report_urlpatterns, "reports"))),
    path("", include("reports.urls")),
]

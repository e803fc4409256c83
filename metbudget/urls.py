from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from metbudget import history, views
from metbudget.forms import LoginForm

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("charts/<str:chart>.csv", views.chart_csv, name="chart_csv"),
    path("history/", history.history, name="history"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("contracts/", include("contracts.urls")),
    path("budgets/", include("budgets.urls")),
    path("savings/", include("savings.urls")),
]

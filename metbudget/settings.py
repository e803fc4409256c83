"""Settings for metbudget: one module, driven by the environment.

Every value that differs between a laptop and production comes from an environment
variable; a bad value stops startup with a message that names the variable.
"""

import os
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_decimal(name: str, default: str) -> Decimal:
    value = os.environ.get(name) or default
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None


def env_port(name: str, default: int) -> int:
    port = env_int(name, default)
    if not 1 <= port <= 65535:
        raise ImproperlyConfigured(f"{name} must be a port number from 1 to 65535, not {port}")
    return port


def env_sender(name: str, default: str) -> str:
    """An email sender: `address@host` or `Name <address@host>`."""
    value = os.environ.get(name) or default
    try:
        validate_email(parseaddr(value)[1])
    except ValidationError:
        raise ImproperlyConfigured(
            f"{name} must be an email address (or Name <address>), not {value!r}"
        ) from None
    return value


def env_rate(name: str, default: str) -> str:
    """A request rate as DRF writes it: a whole number, a slash and second, minute, hour or
    day (e.g. 600/minute)."""
    value = (os.environ.get(name) or default).strip()
    count, _, unit = value.partition("/")
    if not count.isdigit() or unit not in {"second", "minute", "hour", "day"}:
        raise ImproperlyConfigured(f"{name} must look like 600/minute, not {value!r}")
    return value


def env_site_url(name: str, default: str) -> str:
    """The site's own address for links in emails: scheme and host (and port), no slash."""
    value = (os.environ.get(name) or default).rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query:
        raise ImproperlyConfigured(f"{name} must look like https://host, not {value!r}")
    return value


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random string, "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-true"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "common.apps.RoleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "common",
    "contracts",
    "budgets",
    "savings",
    "projects",
    "reports",
    "scenarios",
    "demo",
    "api",
    "metbudget",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages and exports gzipped (static files come precompressed, gzip and brotli, from
    # whitenoise above). BREACH is mitigated by Django's random padding of every gzipped
    # response and its per-response masking of the CSRF token.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "common.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "metbudget.urls"
WSGI_APPLICATION = "metbudget.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "common.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
POSTGRESQL_ENGINES = {"django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis"}
if DATABASES["default"]["ENGINE"] in POSTGRESQL_ENGINES:
    # PostgreSQL compiles a query to machine code (JIT) once its estimated cost passes
    # jit_above_cost. Every query here runs in milliseconds, and the estimate counts
    # subqueries that never run (a stored total's fallback), so compiling costs more than
    # it saves. At 2,000 lines, after a close with next month's actuals in: the
    # dashboard's SQL 67 ms with it, 40 without; the register's export 463 ms, 19 without.
    # A pooler that refuses startup parameters needs `ALTER DATABASE … SET jit = off`.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# axes first, so a locked-out sign-in is refused before any password is checked; then the
# model backend with permissions from the roles in common/roles.py only.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "common.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in lockout (common/lockout.py): AXES_FAILURE_LIMIT failures for one username from
# one address lock that username at that address; AXES_IP_FAILURE_LIMIT failures from one
# address, whatever the usernames, lock the address. An admin can unlock early.
AXES_HANDLER = "common.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 50)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The client's address (REMOTE_ADDR, or X-Forwarded-For behind PROXY_COUNT proxies).
AXES_CLIENT_IP_CALLABLE = "common.lockout.client_address"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False
# The en-GB locale's own formats would show "12:18 p.m."; ours are in metbudget/formats/.
FORMAT_MODULE_PATH = ["metbudget.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": os.environ.get(
            "STATICFILES_BACKEND",
            "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

# Security: the same headers everywhere; transport-only ones when not DEBUG.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("COOKIES_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a proxy, trust what the proxies say about the scheme and the client's address.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
PROXY_COUNT = env_int("PROXY_COUNT", 1) if BEHIND_PROXY else 0
if BEHIND_PROXY:
    if PROXY_COUNT < 1:
        raise ImproperlyConfigured(f"PROXY_COUNT must be at least 1, not {PROXY_COUNT}")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # plotly.js injects no <style> element: its rules are linked as static/css/plotly.css
        # (see templates/includes/chart_scripts.html), so no inline style is allowed at all.
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
# Rows under the header one import takes, checked before the file is parsed.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_UPLOAD_BYTES + 1024
# Savings evidence files: kept through the default storage under MEDIA_ROOT, outside the
# static files, and served only by the evidence view to signed-in users.
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media"))
EVIDENCE_MAX_UPLOAD_BYTES = env_int("EVIDENCE_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)

# A variance note is required when |actual - budget| exceeds both of these.
VARIANCE_NOTE_PERCENT = env_decimal("VARIANCE_NOTE_PERCENT", "10")
VARIANCE_NOTE_AMOUNT = env_decimal("VARIANCE_NOTE_AMOUNT", "50000")

# The body whose budget this is: named on published reports and the committee pack.
ORGANISATION_NAME = os.environ.get("ORGANISATION_NAME", "")

# Major projects: cost growth (forecast over baseline whole-life cost) above RED percent is
# red, above AMBER amber; schedule slip (go-live, in calendar months) above RED months is
# red, above AMBER amber. A project is as bad as the worse of the two.
PROJECT_COST_RED_PERCENT = env_decimal("PROJECT_COST_RED_PERCENT", "10")
PROJECT_COST_AMBER_PERCENT = env_decimal("PROJECT_COST_AMBER_PERCENT", "5")
PROJECT_SLIP_RED_MONTHS = env_int("PROJECT_SLIP_RED_MONTHS", 3)
PROJECT_SLIP_AMBER_MONTHS = env_int("PROJECT_SLIP_AMBER_MONTHS", 1)

# Officer time released, as full-time officers "back on the beat": one FTE is a week of
# OFFICER_WEEKLY_HOURS less OFFICER_ABSTRACTION_PERCENT (leave, training, sickness, court).
OFFICER_WEEKLY_HOURS = env_decimal("OFFICER_WEEKLY_HOURS", "40")
OFFICER_ABSTRACTION_PERCENT = env_decimal("OFFICER_ABSTRACTION_PERCENT", "20")

# Email (the daily digest, `manage.py send_digest`): printed to the console in development,
# sent by SMTP otherwise. SITE_URL starts every link in an email.
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_port("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
if bool(EMAIL_HOST_USER) != bool(EMAIL_HOST_PASSWORD):
    raise ImproperlyConfigured("Set both EMAIL_HOST_USER and EMAIL_HOST_PASSWORD, or neither")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_sender("DEFAULT_FROM_EMAIL", "metbudget <metbudget@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SITE_URL = env_site_url("SITE_URL", "http://127.0.0.1:8000")

DJANGO_TABLES2_TEMPLATE = "common/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "data-table"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs each step of every PDF at INFO: keep its warnings only.
    "loggers": {"axes": {"level": "ERROR"}, "weasyprint": {"level": "WARNING"}},
}

# The confidence-weighted scenario: the share of each initiative's forecast savings counted,
# by its delivery confidence (percent; `SCENARIO_WEIGHT_<CONFIDENCE>` overrides each).
SCENARIO_CONFIDENCE_WEIGHTS = {
    confidence: env_decimal(f"SCENARIO_WEIGHT_{confidence.upper()}", default)
    for confidence, default in (
        ("green", "100"),
        ("amber_green", "90"),
        ("amber", "70"),
        ("amber_red", "50"),
        ("red", "30"),
    )
}

# The JSON API (api/): personal tokens or the browser's session; the role table decides
# what each may do; money as decimal strings; a rate per token (and per session).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.RolePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_THROTTLE_RATES = {
    "api_token": env_rate("API_TOKEN_RATE", "600/minute"),
    "api_session": env_rate("API_SESSION_RATE", "600/minute"),
}
# The most figures one write request may carry.
API_BATCH_MAX_FIGURES = env_int("API_BATCH_MAX_FIGURES", 5000)
SPECTACULAR_SETTINGS = {
    "TITLE": "metbudget API",
    "DESCRIPTION": "The technology budget, savings, contracts and projects as JSON. Money is "
    'a decimal string in pounds ("1234.56"), never a float.',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}

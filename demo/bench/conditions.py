"""The settings the benchmark measures under, in its own process and in the gunicorn
workers of the load test (`demo.bench.wsgi`)."""

from django.conf import settings

# As production runs (DEBUG off) over plain HTTP: the test client's host and the loopback
# addresses are allowed, nothing redirects to https, cookies work over http, and static
# files need no collectstatic manifest.
BENCH_SETTINGS = {
    "DEBUG": False,
    "ALLOWED_HOSTS": ["testserver", "localhost", "127.0.0.1"],
    "SECURE_SSL_REDIRECT": False,
    "SECURE_HSTS_SECONDS": 0,
    "SESSION_COOKIE_SECURE": False,
    "CSRF_COOKIE_SECURE": False,
    "STORAGES": {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
}

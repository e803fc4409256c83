"""The application the load test's gunicorn serves: the project's own, under the bench's
settings, on the scratch database named by BENCH_DATABASE_NAME (never the configured one)."""

import os

import django
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.test.utils import override_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metbudget.settings")
django.setup(set_prefix=False)
settings.DATABASES["default"]["NAME"] = os.environ["BENCH_DATABASE_NAME"]

from demo.bench.conditions import BENCH_SETTINGS  # noqa: E402 - needs the settings set up

override_settings(**BENCH_SETTINGS).enable()
application = get_wsgi_application()

from common.startup import settle  # noqa: E402 - as metbudget/wsgi.py does

settle()

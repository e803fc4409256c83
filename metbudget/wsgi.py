import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "metbudget.settings")
application = get_wsgi_application()

from common.startup import settle  # noqa: E402 - needs the settings set up

settle()

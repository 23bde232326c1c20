"""WSGI entry point for gunicorn: `gunicorn alliance_site.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance_site.settings.production")

application = get_wsgi_application()

"""WSGI entry point for gunicorn: `gunicorn alliance_site.wsgi`."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance_site.settings.production")

application = get_wsgi_application()

# Django, Wagtail and their imports leave about 180,000 long-lived objects; a full garbage collection walks
# them all (about 100 ms here) and comes every so often in whichever request allocates the most, e.g. a
# round's results. Moving what exists after start-up out of the collector's reach removes that pause.
gc.freeze()

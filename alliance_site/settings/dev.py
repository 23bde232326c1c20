"""Development on one machine: SQLite, the database cache, e-mail printed to the console."""

import os

from alliance_site.settings.base import *  # noqa: F403

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver", *ALLOWED_HOSTS]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# whitenoise serves static files straight from the apps' folders in development: no collectstatic needed.
STATIC_ROOT = None
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The demo accounts sign in with the password alone; CQO_REQUIRE_SECOND_FACTOR=1 asks staff, regulators and
# administrators for an authenticator code as production does (README, "Demo accounts").
CQO_REQUIRE_SECOND_FACTOR = os.environ.get("CQO_REQUIRE_SECOND_FACTOR", "") == "1"

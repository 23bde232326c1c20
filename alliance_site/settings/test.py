"""Tests: fast hashing, mail kept in memory, no static manifest needed."""

from alliance_site.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / ".pytest_media"  # noqa: F405
PRIVATE_MEDIA_ROOT = BASE_DIR / ".pytest_private_media"  # noqa: F405
# The rate limits are tested on purpose; elsewhere they must not trip over the suite's many sign-ins.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Mail is sent in the request, into the outbox, whatever TASKS_BACKEND the machine has; tests of the queue
# configure it themselves.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

"""Settings shared by every environment.

Everything that differs between machines comes from environment variables (see README, "Configuration"),
so the same code runs on a laptop with SQLite and on several nodes with PostgreSQL and Redis.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "alliance_site",
    "cases",
    "cases.competitions",
    "forums",
    "events",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rules.apps.AutodiscoverRulesConfig",  # each app's rules.py: who may do what (alliance_site.accounts.access)
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks",
    "django_tasks_db",  # the queue's table, so TASKS_BACKEND=database needs no other change (see TASKS)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.forms",  # Django's widget templates, for FORM_RENDERER below (it renders through TEMPLATES)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "alliance_site.common.headers.ContentSecurityPolicyMiddleware",  # after WhiteNoise: static files need no policy
    "django.contrib.sessions.middleware.SessionMiddleware",
    # reads only the session: sees every response after it
    "alliance_site.common.headers.private_cache_for_signed_in_users",
    "django.middleware.locale.LocaleMiddleware",
    "alliance_site.common.middleware.reject_null_characters",  # after Locale: the 400 speaks the visitor's language
    "alliance_site.common.middleware.RefuseImpossibleIds",  # its process_view runs first: no view sees an id of 2^63
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "alliance_site.accounts.second_factor.require_second_factor",  # after auth, messages and allauth's request context
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "alliance_site.common.submit_once.SubmitOnceMiddleware",  # last: it runs the view itself, after every process_view
]

ROOT_URLCONF = "alliance_site.urls"
WSGI_APPLICATION = "alliance_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alliance_site.common.context_processors.site_navigation",
            ],
            # {% submission_token %} belongs in every form that does something, like {% csrf_token %}.
            "builtins": ["alliance_site.templatetags.submit_once"],
        },
    },
]
# {{ form.x.as_field_group }} renders templates/includes/field_group.html: the site's one field markup.
FORM_RENDERER = "alliance_site.common.form_renderer.SiteFormRenderer"

# Database: SQLite on one machine, PostgreSQL (DATABASE_URL) beyond it.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite under a web server: a transaction takes the write lock when it begins (IMMEDIATE), so concurrent
    # writers wait their turn, for up to `timeout` seconds, instead of failing with "database is locked" when a
    # read turns into a write; WAL lets readers go on while one writes. Both apply to a database file only.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every node). Otherwise a table in the site's database, shared by
# every worker of the machine: allauth's login limits, sessions (cached_db) and the role and menu caches must not
# be counted or kept per process. The table is made by `migrate` (alliance_site/migrations/0011_cache_table);
# its atomic `add` (an INSERT on the key) is the lock allauth's rate limits count under. Entries are culled only
# past MAX_ENTRIES, high enough that sign-in attempts cannot push someone's rate-limit count out.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TABLE = "cqo_cache"
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cqo",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }

# The named permissions of the apps' rules.py first; the model permissions of the admin from the database.
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "alliance_site.accounts.backends.CQOAuthenticationBackend",
]
# Sessions read from the cache and written through to the database: no query per request once in Redis, one read
# by primary key in the database cache.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "members:me"

# Accounts (django-allauth): e-mail is the login, and it must be confirmed before the account is used.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[首席质量官平台] "
ACCOUNT_USER_DISPLAY = "alliance_site.accounts.roles.own_name"
# Links in allauth's mail on the public address (WAGTAILADMIN_BASE_URL), not the request's host.
ACCOUNT_ADAPTER = "alliance_site.accounts.adapter.AccountAdapter"
# allauth's defaults, written out so the limits are visible and tunable in one place.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}

# Internationalisation: Chinese first, English second; the visitor switches with the language form.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_URL = "/static/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# Uploads not everyone may see live here, outside MEDIA_ROOT, so a web server serving MEDIA_ROOT cannot reach
# them; alliance_site.files serves them through a view that checks who asks.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private_media"))
# The only upload folders that are public: Wagtail's images and their renditions (random names for the
# images members upload). Every other folder is private by default.
PUBLIC_MEDIA_FOLDERS = ("original_images", "images")
# Who sends a private file once the view admits the request: "django" (streamed), "nginx" (X-Accel-Redirect to
# PRIVATE_MEDIA_INTERNAL_URL, an `internal` location aliased to PRIVATE_MEDIA_ROOT) or "sendfile" (X-Sendfile).
PRIVATE_MEDIA_SERVER = os.environ.get("PRIVATE_MEDIA_SERVER", "django")
PRIVATE_MEDIA_INTERNAL_URL = os.environ.get("PRIVATE_MEDIA_INTERNAL_URL", "/_private_media/")

STORAGES = {
    "default": {"BACKEND": "alliance_site.files.storage.SiteMediaStorage"},
    "public_media": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private_media": {"BACKEND": "alliance_site.files.storage.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# E-mail: console in development; SMTP in production, configured by EMAIL_* variables.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "首席质量官平台 <noreply@cqo.example.cn>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work (e-mail, enqueued after commit): run at once in the request by default (`make run`, the tests);
# TASKS_BACKEND=database queues it in the database (django-tasks-db) for `manage.py db_worker` processes.
TASKS_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "") or "immediate"
if TASKS_BACKEND not in TASKS_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(TASKS_BACKENDS)}, not {TASKS_BACKEND!r}.")
TASKS = {"default": {"BACKEND": TASKS_BACKENDS[TASKS_BACKEND]}}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Wagtail
WAGTAIL_SITE_NAME = _("CQO Alliance platform")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No Gravatar: it would send a hash of every admin user's e-mail address to a third party (and is blocked by
# the Content-Security-Policy); Wagtail shows its default avatar instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Content-Security-Policy (alliance_site.common.headers): the site's own files only, no inline script or style, no
# plugins, no framing. Media on another host (S3) adds its origin through CSP_MEDIA_ORIGINS.
CSP_MEDIA_ORIGINS = env_list("CSP_MEDIA_ORIGINS")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *CSP_MEDIA_ORIGINS],
        "media-src": [SELF, *CSP_MEDIA_ORIGINS],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# The Wagtail admin (Wagtail 8, seen in Chromium): date choosers, inline panels and choosers start from inline
# <script> elements and the rich-text editor writes <style> elements, so both are allowed as elements; inline
# event handlers and style attributes stay refused (none is needed but Jcrop's touch detection on the image
# focal-point page, which is refused harmlessly), and so does eval.
CSP_ADMIN = {
    "script-src": [SELF, UNSAFE_INLINE],
    "script-src-attr": [NONE],
    "style-src": [SELF, UNSAFE_INLINE],
    "style-src-attr": [NONE],
}
# Directives replaced under a path prefix (the longest prefix wins), each one an exception that a page was seen
# to need in the browser (tests/browser/test_content_security_policy.py).
CSP_EXCEPTIONS_BY_PATH = {
    # allauth shows the TOTP secret's QR code as a data: image.
    "/accounts/2fa/": {"img-src": [SELF, "data:", *CSP_MEDIA_ORIGINS]},
    "/cms/": CSP_ADMIN,
    # The multiple uploader shows each chosen image from a blob: URL before sending it.
    "/cms/images/multiple/": {**CSP_ADMIN, "img-src": [SELF, "blob:", *CSP_MEDIA_ORIGINS]},
}

# Policy targets (三、工作目标) shown on the dashboard.
CQO_TARGET_ACTIVE = 1000
# Profile photos and appointment letters members upload on the site.
CQO_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
# How many different CQOs' contact details a member may ask for in 24 hours (the talent pool is not a list
# to harvest); staff are not limited.
CQO_CONTACT_REVEALS_PER_DAY = 20

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# The Wagtail admin signs in through allauth too, so one login page and one set of rate limits guard both;
# admin_sign_in tells a signed-in user without admin access why, instead of bouncing them between the two.
WAGTAILADMIN_LOGIN_URL = "admin_sign_in"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
# Passwords and e-mail addresses change only on allauth's pages (rate-limited, the new address confirmed);
# the admin's account page links there (alliance_site.wagtail_hooks).
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False

# Two-factor sign-in (alliance_site.accounts.second_factor): secretariat staff, regulators, administrators and anyone
# with admin access need a code from an authenticator app (TOTP, with one-time recovery codes for a lost
# phone). WebAuthn stays off: it needs JavaScript, and the site loads none. Off in development (settings/dev.py).
CQO_REQUIRE_SECOND_FACTOR = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "首席质量官平台"
MFA_FORMS = {"activate_totp": "alliance_site.accounts.second_factor.ActivateTOTPForm"}

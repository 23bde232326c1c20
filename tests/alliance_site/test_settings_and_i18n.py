"""Migrations in step with the models, production settings that pass `check --deploy`, and the language switch."""

import io
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from tests import markup

from .helpers import text

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "alliance_site.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "cqo.example.cn",
    "WAGTAILADMIN_BASE_URL": "https://cqo.example.cn",
}
# Variables of the machine running the tests that would change what is checked.
LOCAL_VARIABLES = [
    "DJANGO_SETTINGS_MODULE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "WAGTAILADMIN_BASE_URL",
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "REDIS_URL",
    "TASKS_BACKEND",
    "DB_CONN_MAX_AGE",
    "CSRF_TRUSTED_ORIGINS",
    "EMAIL_USE_TLS",
    "EMAIL_PORT",
    "CSP_MEDIA_ORIGINS",
    "LOG_LEVEL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_PRIVATE_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
]


@pytest.mark.django_db
def test_migrations_are_in_step_with_the_models():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:  # raised when a migration is missing
        pytest.fail(f"makemigrations --check exited with {exit_.code}:\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()


def manage(*args, **env_changes):
    """Run manage.py in a fresh interpreter with the production settings; `None` removes a variable."""
    env = {key: value for key, value in os.environ.items() if key not in LOCAL_VARIABLES}
    env.update(PRODUCTION_ENV)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deployment_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "named"),
    [
        ("SECRET_KEY", None, "SECRET_KEY"),
        ("SECRET_KEY", "", "SECRET_KEY"),
        ("SECRET_KEY", "too-short-to-be-a-real-secret", "SECRET_KEY"),
        ("ALLOWED_HOSTS", None, "ALLOWED_HOSTS"),
        ("WAGTAILADMIN_BASE_URL", None, "WAGTAILADMIN_BASE_URL"),
    ],
)
def test_production_settings_refuse_to_start_without_their_variables(variable, value, named):
    result = manage("check", **{variable: value})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr


# The language switch -------------------------------------------------------------------------------------


def html_lang(response):
    return markup.one(response, "html")["lang"]


def language_selected(response):
    """The language the language switcher shows as chosen."""
    return markup.one(response, "select#language-select[name=language] option[selected]")["value"]


def switch_language(client, language, next_url="/"):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url})


def test_the_site_is_in_simplified_chinese_by_default(client, db):
    response = client.get("/")

    assert response.status_code == 200
    assert html_lang(response) == "zh-hans"
    assert language_selected(response) == "zh-hans"


def test_a_visitor_switches_to_english_and_it_sticks(client, db):
    response = switch_language(client, "en", next_url="/dashboard/")

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    home = client.get("/")
    assert html_lang(home) == "en"
    assert "Shanxi Chief Quality Officer Platform" in text(home)
    assert language_selected(home) == "en"
    assert html_lang(client.get("/dashboard/")) == "en"


def test_a_visitor_switches_back_to_chinese(client, db):
    switch_language(client, "en")
    switch_language(client, "zh-hans")

    assert html_lang(client.get("/")) == "zh-hans"


def test_an_unoffered_language_is_ignored(client, db):
    switch_language(client, "fr")

    assert html_lang(client.get("/")) == "zh-hans"


def test_a_signed_in_member_switches_language_too(client_for, member):
    client = client_for(member)

    switch_language(client, "en")

    assert html_lang(client.get("/members/me/", follow=True)) == "en"


def settings_of(module, **env_changes):
    """CACHES, SESSION_ENGINE and the media storages (the default, public and private) of a settings module, read
    in a fresh interpreter."""
    env = {key: value for key, value in os.environ.items() if key not in LOCAL_VARIABLES}
    env.update(PRODUCTION_ENV)
    env.update(env_changes)
    show = (
        f"import {module} as s; print(s.CACHES['default']['BACKEND']); print(s.SESSION_ENGINE); "
        "print(s.STORAGES['default']['BACKEND']); print(s.STORAGES['public_media']['BACKEND']); "
        "print(s.STORAGES['private_media']['BACKEND'])"
    )
    result = run_python(show, env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def run_python(code, env):
    command = [sys.executable, "-c", code]
    return subprocess.run(command, cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60)


def test_one_machine_needs_no_redis_or_object_storage():
    # The cache is a table of the site's database, shared by every worker (tests/alliance_site/test_shared_cache.py).
    assert settings_of("alliance_site.settings.dev") == [
        "django.core.cache.backends.db.DatabaseCache",
        "django.contrib.sessions.backends.cached_db",
        "alliance_site.files.storage.SiteMediaStorage",
        "django.core.files.storage.FileSystemStorage",
        "alliance_site.files.storage.PrivateFileSystemStorage",
    ]


def test_redis_and_s3_are_used_when_configured():
    configured = settings_of(
        "alliance_site.settings.production",
        REDIS_URL="redis://127.0.0.1:6379/0",
        AWS_STORAGE_BUCKET_NAME="cqo-media",
        AWS_PRIVATE_STORAGE_BUCKET_NAME="cqo-private",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    assert configured == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
        "alliance_site.files.storage.SiteMediaStorage",
        "storages.backends.s3.S3Storage",
        "alliance_site.files.s3.PrivateS3Storage",
    ]


def tasks_backend_of(module, **env_changes):
    env = {key: value for key, value in os.environ.items() if key not in LOCAL_VARIABLES}
    env.update(PRODUCTION_ENV, **env_changes)
    result = run_python(f"import {module} as s; print(s.TASKS['default']['BACKEND'])", env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.parametrize("module", ["alliance_site.settings.production", "alliance_site.settings.dev"])
def test_background_work_runs_at_once_unless_a_queue_is_configured(module):
    assert tasks_backend_of(module) == "django_tasks.backends.immediate.ImmediateBackend"
    assert tasks_backend_of(module, TASKS_BACKEND="database") == "django_tasks_db.DatabaseBackend"


def test_production_settings_with_the_task_queue_start_and_pass_the_deployment_checks():
    """TASKS_BACKEND=database named django-tasks' old database backend, gone since 0.12: the site did not start."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", TASKS_BACKEND="database")
    assert result.returncode == 0, result.stdout + result.stderr

    result = manage("db_worker", "--help", TASKS_BACKEND="database")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "--batch" in result.stdout


def test_an_unknown_task_backend_is_refused_by_name():
    result = manage("check", TASKS_BACKEND="celery")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "TASKS_BACKEND" in result.stderr


def test_s3_without_a_private_bucket_is_refused():
    """Private files must never land in the public bucket: production refuses to start without a private one."""
    env = {key: value for key, value in os.environ.items() if key not in LOCAL_VARIABLES}
    env.update(PRODUCTION_ENV, AWS_STORAGE_BUCKET_NAME="cqo-media")
    result = run_python("import alliance_site.settings.production", env)
    assert result.returncode != 0
    assert "AWS_PRIVATE_STORAGE_BUCKET_NAME" in result.stderr


# Each variable of the README's configuration table that no other test or the smoke test starts for real, with
# the expression it must set in the production settings, as that expression's repr.
DOCUMENTED_VARIABLES = [
    ({"DB_CONN_MAX_AGE": "60"}, "s.DATABASES['default']['CONN_MAX_AGE']", "60"),
    (
        {"CSRF_TRUSTED_ORIGINS": "https://cqo.example.cn, https://www.cqo.example.cn"},
        "s.CSRF_TRUSTED_ORIGINS",
        "['https://cqo.example.cn', 'https://www.cqo.example.cn']",
    ),
    ({"EMAIL_USE_TLS": "1", "EMAIL_PORT": "587"}, "(s.EMAIL_USE_TLS, s.EMAIL_PORT)", "(True, 587)"),
    ({"EMAIL_USE_TLS": ""}, "s.EMAIL_USE_TLS", "False"),
    (
        {"CSP_MEDIA_ORIGINS": "https://media.cqo.example.cn"},
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']",
        "[\"'self'\", 'https://media.cqo.example.cn']",
    ),
    (
        {"SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0"},
        "(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)",
        "(False, 0)",
    ),
    ({}, "(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)", "(True, 31536000)"),
    (
        {
            "AWS_STORAGE_BUCKET_NAME": "cqo-media",
            "AWS_PRIVATE_STORAGE_BUCKET_NAME": "cqo-private",
            "AWS_S3_ENDPOINT_URL": "https://oss-cn-taiyuan.example.cn",
        },
        "[s.STORAGES[n]['OPTIONS']['endpoint_url'] for n in ('public_media', 'private_media')]",
        "['https://oss-cn-taiyuan.example.cn', 'https://oss-cn-taiyuan.example.cn']",
    ),
    ({"LOG_LEVEL": "DEBUG"}, "s.LOGGING['root']['level']", "'DEBUG'"),
    ({}, "s.LOGGING['root']['level']", "'INFO'"),
]


@pytest.mark.parametrize(("variables", "expression", "expected"), DOCUMENTED_VARIABLES)
def test_each_documented_variable_sets_its_setting_in_production(variables, expression, expected):
    env = {key: value for key, value in os.environ.items() if key not in LOCAL_VARIABLES}
    env.update(PRODUCTION_ENV, **variables)
    result = run_python(f"import alliance_site.settings.production as s; print(repr({expression}))", env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected

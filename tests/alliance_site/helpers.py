"""Small helpers the core site's tests share (fixtures live in conftest.py)."""

import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils.html import escape
from PIL import Image
from wagtail.models import ModelLogEntry

# Ask for English pages when a test reads a message, so it does not depend on the state of the catalogues.
ENGLISH = {"accept-language": "en"}


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def png_bytes(width=8, height=8, *, noisy=False):
    """A real PNG image; `noisy` makes it large, since noise does not compress."""
    if noisy:
        image = Image.frombytes("RGB", (width, height), random.Random(width).randbytes(width * height * 3))
    else:
        image = Image.new("RGB", (width, height), "white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def upload(name, content=b"%PDF-1.4 test appointment letter\n", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def log_entries(instance, action):
    return ModelLogEntry.objects.for_instance(instance).filter(action=action)


def login_url(next_url):
    return f"{reverse('account_login')}?next={next_url}"


def text(response):
    return response.content.decode()


VALID_CODE = "91350100M000100Y43"


def profile_form_data(county, /, **overrides):
    """What a member fills in on the profile form for a CQO of a new enterprise; `None` leaves a field out."""
    data = {
        "credit_code": VALID_CODE,
        "enterprise_name": "泽州新材料有限公司",
        "county": county.pk,
        "industry": "C",
        "enterprise_size": "medium",
        "real_name": "王质量",
        "position": "副总经理",
        "is_senior_executive": "on",
        "appointed_by": "general_manager",
        "years_in_quality": "8",
        "title": "intermediate",
        "education": "bachelor",
        "expertise": "六西格玛, QC小组",
        "visibility": "members",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def form_errors_shown(response, form_key="form"):
    """Every error of the form in the context, checked to appear on the page; returns {field: [messages]}."""
    errors = response.context[form_key].errors
    page = text(response)
    for messages in errors.values():
        for message in messages:
            assert escape(message) in page, message
    return errors


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that refuses everything: `settings.EMAIL_BACKEND = FAILING_EMAIL_BACKEND`."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


FAILING_EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"


def one_line(header):
    return "\n" not in header and "\r" not in header


def database_url():
    """The test database as a DATABASE_URL for a server or worker started as another process (with the
    `concurrent_db` fixture, which makes SQLite's a file and commits what the test writes)."""
    from urllib.parse import quote

    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"

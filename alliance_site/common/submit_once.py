"""A double click does a thing once.

Every form of the site that does something carries a one-time token (`{% submission_token %}`, next to
`{% csrf_token %}`; a test checks that no form is without it). The first request with a token claims it — a row
with a unique token, committed before the view runs — and records where the view's success led. A second
request with the same token, whether it arrives while the first is still running or later, does nothing: it
waits for the first to finish and is sent where the first one went, with a message saying so. A request that
did not succeed (a form with errors, a refusal, an error) lets the token go, so the same form may be sent
again. Views stay as they are; some also hold their own guard (a unique registration per person and event).
"""

import re
import time
import uuid
from datetime import timedelta

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance_site.common.models import Submission

FIELD = "submission_token"
TOKEN = re.compile(r"[0-9a-f]{32}")
KEPT_FOR = timedelta(days=1)
# How long a second click waits for the first to finish before it is told to look again.
WAIT_FOR_FIRST_SECONDS = 10
POLL_SECONDS = 0.1


def new_token():
    return uuid.uuid4().hex


def claim(token, user):
    """True if this request is the first with `token`: the claim is committed at once, so others see it."""
    try:
        with transaction.atomic():
            Submission.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
            Submission.objects.create(token=token, user=user)
        return True
    except IntegrityError:
        return False


def release(token):
    Submission.objects.filter(token=token, location="").delete()


def succeeded(response):
    return response.status_code in (301, 302, 303, 307, 308) and response.has_header("Location")


class SubmitOnceMiddleware:
    """Runs a view for the first request with a form's token; answers the repeats (see the module's docstring).

    Its `process_view` runs the view itself, so it must come last in MIDDLEWARE: every other middleware's
    `process_view` (the CSRF check above all) has run by then.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if request.method != "POST" or FIELD not in request.POST:
            return None
        token = request.POST[FIELD]
        if not TOKEN.fullmatch(token):
            return HttpResponseBadRequest(_("The form is damaged. Reload the page and send it again."))
        user = request.user if request.user.is_authenticated else None
        while not claim(token, user):
            repeat = self.answer_repeat(request, token, user)
            if repeat is not None:
                return repeat
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            release(token)
            raise
        if succeeded(response):
            Submission.objects.filter(token=token).update(location=response["Location"][:2000])
        else:
            release(token)
        return response

    def answer_repeat(self, request, token, user):
        """The answer to a repeated token, or None when the first request let it go (claim it again)."""
        deadline = time.monotonic() + WAIT_FOR_FIRST_SECONDS
        while True:
            first = Submission.objects.filter(token=token).first()
            if first is None:
                return None
            if first.user_id != (user.pk if user else None):
                return HttpResponse(_("This form was sent by someone else."), status=409)
            if first.location:
                messages.info(request, _("That was sent twice; it was done once."))
                return redirect(first.location)
            if time.monotonic() > deadline:
                return HttpResponse(_("The form is still being processed. Reload the page in a moment."), status=409)
            time.sleep(POLL_SECONDS)

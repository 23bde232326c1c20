"""The suite's test client: `force_login` leaves the session as a full sign-in through allauth would.

Staff, regulators and administrators must pass a second factor (alliance_site.accounts.second_factor). A sign-in through
allauth records the password and the authenticator code among the session's authentications; `force_login`
records the same, so tests of what these roles do need not walk through the sign-in each time. The second
factor's own tests use `plain_client` (tests/conftest.py), whose `force_login` records nothing.
"""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.http import HttpRequest
from django.test import Client as DjangoClient


def record_passed_second_factor(session, user):
    request = HttpRequest()
    request.session = session
    record_authentication(request, user, "password")
    record_authentication(request, user, "mfa", type=Authenticator.Type.TOTP)
    session.save()


class Client(DjangoClient):
    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        record_passed_second_factor(self.session, user)

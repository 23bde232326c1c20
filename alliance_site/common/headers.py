"""Response headers that tell browsers and caches what they may do with a page.

* Content-Security-Policy (django-csp): the site loads nothing but its own files and runs no inline script or
  style, so injected markup can neither run nor restyle anything. `CONTENT_SECURITY_POLICY` is the site's
  policy; `CSP_EXCEPTIONS_BY_PATH` replaces single directives under a path prefix, for the few pages that
  prove to need more (the Wagtail admin, allauth's TOTP QR code). A view that sets its own header keeps it:
  Wagtail serves documents and images with `default-src 'none'`.
* Cache-Control: private on every response built for a signed-in user, so no shared cache or proxy keeps a
  page with someone's name on it.
"""

from csp.constants import SELF
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils.cache import patch_cache_control


def csp_exceptions_for(path):
    """The directives replaced under the longest matching prefix of `CSP_EXCEPTIONS_BY_PATH`, or None."""
    matches = [prefix for prefix in settings.CSP_EXCEPTIONS_BY_PATH if path.startswith(prefix)]
    return settings.CSP_EXCEPTIONS_BY_PATH[max(matches, key=len)] if matches else None


# Wagtail renders a preview by sending a dummy request for the page's public address through the middleware
# (`is_dummy`), and shows it in a frame of the editor: the page's own policy, which the admin's response keeps,
# but framed by the admin.
PREVIEW_EXCEPTIONS = {"frame-ancestors": [SELF]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the directives a path prefix needs replaced (a view's own `@csp_replace`
    still wins)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.replace is None:
            if getattr(request, "is_dummy", False):
                parts.replace = PREVIEW_EXCEPTIONS
            else:
                parts.replace = csp_exceptions_for(request.path_info)
        return parts


def is_signed_in(request):
    """Whether the response was built for a signed-in user, without loading the session for it.

    The user is read through the session, so a request that never opened the session never looked at who
    was asking and its response is the same for everyone; one that did has it loaded already.
    """
    session = getattr(request, "session", None)
    return session is not None and session.accessed and SESSION_KEY in session


def private_cache_for_signed_in_users(get_response):
    """Cache-Control: private on every response for a signed-in user; anonymous responses are untouched.

    Placed right after SessionMiddleware, so it sees the responses of every middleware after it (the second
    factor's redirects, Wagtail's redirects, allauth's) and the error pages the views raise.
    """

    def middleware(request):
        response = get_response(request)
        if is_signed_in(request):
            patch_cache_control(response, private=True)
        return response

    return middleware

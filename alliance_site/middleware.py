"""Requests the database could not even store: refused before any view reads them."""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


def reject_null_characters(get_response):
    """400 for a NUL character in the query string: PostgreSQL refuses it in any text parameter (a 500 from
    every filter that reads request.GET), and no real link contains one. Form fields already refuse it."""

    def middleware(request):
        if any("\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values):
            return HttpResponseBadRequest(_("The address contains a character that is not allowed."))
        return get_response(request)

    return middleware

"""Requests with values no view can use: refused before any view reads them, for every URL pattern (the
admin's and other installed apps' included, whose views we do not write)."""

from django.apps import apps
from django.db.models import IntegerField
from django.http import Http404, HttpResponseBadRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from alliance_site.common.numbers import beyond_any_id, is_id, parse_id

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def reject_null_characters(get_response):
    """400 for a NUL character in the address, the query string or a posted form: PostgreSQL refuses it in any
    text parameter (a 500 from every filter that reads request.GET, and from every view that stores a posted
    text without a form field), and no real link or form sends one."""

    def middleware(request):
        if "\x00" in request.path_info or has_null(request.GET) or (posts_a_form(request) and has_null(request.POST)):
            return HttpResponseBadRequest(_("The address contains a character that is not allowed."))
        return get_response(request)

    return middleware


def has_null(data):
    return any("\x00" in key or "\x00" in value for key, values in data.lists() for value in values)


def posts_a_form(request):
    # Only form posts: reading request.POST would consume a JSON or raw body a view reads itself.
    return request.method == "POST" and request.content_type in FORM_CONTENT_TYPES


class RefuseImpossibleIds:
    """404 for an address whose id no row can have, before any view runs; 400 for a `next` that is no path here.

    An `int` path converter takes 0 and numbers past 2^63−1 (SQLite raises OverflowError for those: a 500 from
    about 14 of the site's views), and a regex pattern's `(\\d+)` takes digits of any script. Checked here once
    for every pattern rather than in each view, and without replacing Django's `int` converter. So is a `pk` that
    no integer key can be, for a view of a model with one (Wagtail's choosers route it as `<str:pk>`). A `next`
    must be a path on this site: Django's redirect() takes a word for a view name (NoReverseMatch, a 500, in
    Wagtail's admin) and another site's address is no place to send anyone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not all(usable_next(value) for value in request.GET.getlist("next")):
            return HttpResponseBadRequest(_("The address contains a value that is not allowed."))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        values = [*view_args, *view_kwargs.values()]
        if any(no_id(value) for value in values) or not pk_fits_model(view_func, view_kwargs.get("pk")):
            raise Http404

    def process_exception(self, request, exception):
        """Wagtail's admin reads some query values (`id` on its choosers, bulk actions and API) straight into a
        query on an integer key: Django's "expected a number" ValueError there is the request's fault, a 400.
        The site's own views parse their numbers (alliance_site.common.numbers), so elsewhere it stays a 500."""
        if (
            isinstance(exception, ValueError)
            and "expected a number but got" in str(exception)
            and request.path_info.startswith(reverse("wagtailadmin_home"))
        ):
            return HttpResponseBadRequest(_("The address contains a value that is not allowed."))
        return None


def no_id(value):
    if isinstance(value, int) and not isinstance(value, bool):
        return not is_id(value)
    return isinstance(value, str) and beyond_any_id(value)


def pk_fits_model(view_func, pk):
    """False for a `pk` in the address that cannot be the key of the view's model, whose key is an integer."""
    if not isinstance(pk, str):
        return True
    model = getattr(view_func, "view_initkwargs", {}).get("model") or getattr(
        getattr(view_func, "view_class", None), "model", None
    )
    if isinstance(model, str):
        model = apps.get_model(model)
    return model is None or not isinstance(model._meta.pk, IntegerField) or parse_id(pk) is not None


def usable_next(value):
    """Empty, or a path on this site: where a sign-in or a form may send the user on to."""
    return not value or (value.startswith("/") and not value.startswith(("//", "/\\")))

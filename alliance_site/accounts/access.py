"""Who may do what: every access decision asks a named permission, defined with `rules` in each app's rules.py.

One way to ask, wherever the question comes up:

- a view: `@permission_required("forums.moderate_board")`; a visitor is sent to sign in, a signed-in user
  without the permission gets 403 with the view's message (the admin's class-based views ask their model's
  permission policy instead, with Wagtail's PermissionCheckedMixin);
- a view that must first load the object it asks about: `require(request, "cases.edit_case", case)`;
- code that only needs the answer: `allowed(user, "alliance_site.sanction_cqo", profile)`;
- a template: `{% load access %}{% has_perm "cases.edit_case" request.user case as can_edit %}`;
- a list: the model's `objects.visible_to(user)`, which filters in the database by the same rule.

A permission named in a rules.py is answered by its rule alone. `user.has_perm` would answer yes to every
superuser before asking the rule, and some rules exclude everyone but one person on purpose: only a regulator
of the region decides a filing, only the judge scores their own assignment. Django's model permissions (the
admin's) are asked through `user.has_perm` as usual.
"""

from functools import wraps

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def allowed(user, perm, obj=None):
    if rules.perm_exists(perm):
        return rules.has_perm(perm, user, obj)
    return user.has_perm(perm, obj)


def require(request, perm, obj=None, message=None):
    """Raise 403 (with a message for the page) unless the user has the permission, on the object if given."""
    if not allowed(request.user, perm, obj):
        raise PermissionDenied(message)


def denied(request, message=None):
    """What a refused request gets: visitors are asked to sign in first, others a 403 with the message."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied(message)


def permission_required(perm, message=None):
    """View decorator: the view runs only for users with the permission (asked without an object)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not allowed(request.user, perm):
                return denied(request, message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator

"""Who may open a page: the checks views apply before they run."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from alliance_site.accounts import roles


def members_only(view):
    """Signed-in members only: visitors are sent to sign in, others get 403."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not (roles.is_member(request.user) or roles.is_staff(request.user)):
            raise PermissionDenied(_("This page is for CQO members."))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped

"""Who may read the core's private files: the same permission as the page that links each one."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from wagtail import hooks
from wagtail.documents import get_document_model

from alliance_site.accounts.access import allowed


def signed_in_only(rule):
    """A visitor is asked to sign in whatever the name: the answer says nothing of whether the file exists."""

    def checked(request, name):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return rule(request, name)

    return checked


@signed_in_only
def appointment_letter(request, name):
    """The CQO, staff and the regulators of the enterprise's region (the profile's record and filing pages)."""
    from alliance_site.models import CQOProfile, Filing

    user = request.user
    if Filing.objects.visible_to(user).filter(letter=name).exists():
        return True
    profile = CQOProfile.objects.select_related("enterprise__county").filter(appointment_letter=name).first()
    return allowed(user, "alliance_site.see_profile_record", profile)


@signed_in_only
def warning_evidence(request, name):
    """The warned CQO, who answers it, and those who may warn them (staff, the region's regulators)."""
    from alliance_site.models import CQOWarning

    warning = CQOWarning.objects.select_related("profile__enterprise__county").filter(evidence=name).first()
    if warning is None:
        return False
    return warning.profile.user_id == request.user.pk or allowed(
        request.user, "alliance_site.sanction_cqo", warning.profile
    )


def profile_photo(request, name):
    """Whoever may open the card and is shown its photo (`disclosed_to`)."""
    from alliance_site.models import CQOProfile

    profile = CQOProfile.objects.visible_to(request.user).select_related("enterprise__county").filter(photo=name)
    profile = profile.first()
    return profile is not None and profile.disclosed_to(request.user)["photo"]


def document(request, name):
    """A Wagtail document: Wagtail's own checks (collection privacy, the apps' `before_serve_document`)."""
    found = get_document_model().objects.select_related("collection").filter(file=name).first()
    if found is None:
        return False
    for check in hooks.get_hooks("before_serve_document"):
        answer = check(found, request)
        if isinstance(answer, HttpResponse):
            return answer
    return True

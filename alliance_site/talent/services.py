"""The talent pool's rules: consent to public disclosure, and contact details revealed on a logged request."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance_site.accounts import roles
from alliance_site.accounts.access import allowed
from alliance_site.models import Audience, ContactReveal, CQOProfile, DisclosureConsent
from alliance_site.talent.models import PUBLIC_CONSENT_TEXT

# A revealed contact stays on the requester's screen this long; after that they ask (and are logged) again.
REVEAL_SHOWN_FOR = timedelta(hours=24)


class TooManyReveals(ValidationError):
    """More contact requests in a day than settings.CQO_CONTACT_REVEALS_PER_DAY: someone may be harvesting."""


@transaction.atomic
def record_consent(profile, *, given):
    """Give or withdraw the separate consent to public disclosure; each change is a row of its own.

    Withdrawing sets every part the member had made public back to members: a withdrawal must take effect at
    once and be as easy as the consent (PIPL art. 15).
    """
    latest = profile.disclosure_consents.first()
    # Consenting again with other parts public records the consent anew, with the parts it now covers.
    parts_changed = latest is None or sorted(latest.parts) != sorted(profile.public_parts())
    if given == bool(profile.public_consent_at) and not (given and parts_changed):
        return None
    # The wording as the member read it (their language); a withdrawal names the consent it withdraws.
    withdrawn = latest if latest is not None and latest.given else None
    wording = withdrawn.wording if withdrawn and not given else str(PUBLIC_CONSENT_TEXT)
    consent = DisclosureConsent.objects.create(
        profile=profile, given=given, wording=wording, parts=profile.public_parts()
    )
    profile.public_consent_at = consent.at if given else None
    fields = ["public_consent_at", "updated_at"]
    if not given:
        for part in profile.public_parts():
            setattr(profile, f"{part}_audience", Audience.MEMBERS)
            fields.append(f"{part}_audience")
        if profile.visibility == CQOProfile.Visibility.PUBLIC:
            profile.visibility = CQOProfile.Visibility.MEMBERS
            fields.append("visibility")
    profile.save(update_fields=fields)
    return consent


def has_contact(profile):
    return bool(profile.contact_phone or profile.contact_email)


def recent_reveal(user, profile):
    """The user's reveal of this contact still on screen, if any."""
    if not user.is_authenticated:
        return None
    since = timezone.now() - REVEAL_SHOWN_FOR
    return ContactReveal.objects.filter(profile=profile, revealed_to=user, at__gte=since).first()


def reveal_contact(profile, *, to, purpose, note=""):
    """Log a request for the contact details and return the reveal; the member concerned sees it listed."""
    if not allowed(to, "alliance_site.request_contact", profile):
        raise PermissionDenied(_("This CQO's contact details are not open to you."))
    if purpose not in ContactReveal.Purpose.values:
        raise ValidationError(_("Choose what you want to contact this CQO for."))
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError(_("Keep the note to 200 characters."))
    shown = recent_reveal(to, profile)
    if shown is not None and (shown.purpose, shown.note) == (purpose, note):
        return shown  # the same request again (a second click) while the details are on screen: logged once
    if not allowed(to, "alliance_site.reveal_contacts_without_limit"):
        since = timezone.now() - timedelta(days=1)
        others = (
            ContactReveal.objects.filter(revealed_to=to, at__gte=since)
            .exclude(profile=profile)
            .values("profile")
            .distinct()
            .count()
        )
        if others >= settings.CQO_CONTACT_REVEALS_PER_DAY:
            raise TooManyReveals(
                _("You have asked for %(count)d CQOs' contact details today. Please try again tomorrow."),
                params={"count": others},
            )
    return ContactReveal.objects.create(profile=profile, revealed_to=to, purpose=purpose, note=note)


def askers_shown_to(reveals, viewer):
    """[(reveal, name, enterprise or "")]: who asked for a contact, as `viewer` may see them.

    A member asker's enterprise shows only where their own card shows it to the viewer (the card open to the
    viewer, and its enterprise part disclosed); others are named, or called by their role.
    """
    reveals = list(reveals)
    profile_ids = [reveal.revealed_to.cqo_profile.pk for reveal in reveals if roles.profile_of(reveal.revealed_to)]
    open_cards = set(CQOProfile.objects.visible_to(viewer).filter(pk__in=profile_ids).values_list("pk", flat=True))
    shown = []
    for reveal in reveals:
        asker = reveal.revealed_to
        profile = roles.profile_of(asker)
        if profile is not None:
            disclosed = profile.pk in open_cards and profile.disclosed_to(viewer)["enterprise"]
            shown.append((reveal, profile.real_name, profile.enterprise.name if disclosed else ""))
        else:
            role = roles.STAFF if roles.is_staff(asker) else roles.REGULATOR if roles.is_regulator(asker) else None
            shown.append((reveal, asker.get_full_name() or str(roles.ROLE_LABELS.get(role, _("A user"))), ""))
    return shown

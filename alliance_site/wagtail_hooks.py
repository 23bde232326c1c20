from django.contrib.auth import get_user_model
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.viewsets.model import ModelViewSetGroup
from wagtail.log_actions import LogFormatter

from alliance_site.accounts.people import PersonChoiceField
from alliance_site.bodies.viewsets import BodyMembershipViewSet
from alliance_site.common import structure_cache
from alliance_site.enterprises.viewsets import EnterpriseGroupViewSet, EnterpriseViewSet
from alliance_site.hooks import ACCOUNT_LINKS, MAIN_MENU, PRIVATE_FILES, MenuEntry
from alliance_site.members.viewsets import CQOProfileViewSet
from alliance_site.models import BodyPage, ProfileStatus
from alliance_site.regions.viewsets import RegionalRegulatorViewSet, RegionViewSet
from alliance_site.talent.viewsets import QualityMethodViewSet

# Every admin form that chooses a user (a profile's account, a regulator, a training record's holder …) lists
# people by name.
register_form_field_override(
    models.ForeignKey, to=get_user_model(), override={"form_class": PersonChoiceField}, exact_class=False
)


class CQOViewSetGroup(ModelViewSetGroup):
    """The core domain in the Wagtail admin, for staff, under one "首席质量官" menu."""

    menu_label = _("CQOs")
    menu_icon = "user"
    menu_order = 150
    items = [
        CQOProfileViewSet("cqo_profiles"),
        BodyMembershipViewSet("body_memberships"),
        EnterpriseViewSet("enterprises"),
        EnterpriseGroupViewSet("enterprise_groups"),
        RegionViewSet("regions"),
        RegionalRegulatorViewSet("regulators"),
        QualityMethodViewSet("quality_methods"),
    ]


@hooks.register("register_admin_viewset")
def register_cqo_viewsets():
    return CQOViewSetGroup()


@hooks.register(PRIVATE_FILES)
def core_private_files():
    from alliance_site.files import readers

    return {
        "documents": readers.document,
        "appointment_letters": readers.appointment_letter,
        "warning_evidence": readers.warning_evidence,
        "cqo_photos": readers.profile_photo,
    }


@hooks.register("register_log_actions")
def register_log_actions(actions):
    @actions.register_action("alliance.profile.status")
    class StatusChange(LogFormatter):
        label = _("Change CQO status")

        def format_message(self, log_entry):
            data = log_entry.data
            return _("Status changed from “%(old)s” to “%(new)s”: %(reason)s") % {
                "old": ProfileStatus(data["from"]).label,
                "new": ProfileStatus(data["to"]).label,
                "reason": data.get("reason", ""),
            }

    @actions.register_action("alliance.profile.relaxed_admission")
    class RelaxedAdmission(LogFormatter):
        label = _("Admit under relaxed conditions")

        def format_message(self, log_entry):
            return _("Admitted under relaxed conditions: %(reason)s") % {"reason": log_entry.data.get("reason", "")}

    actions.register_action(
        "alliance.membership.decide", _("Decide on membership"), _("Membership application decided")
    )
    actions.register_action("alliance.profile.warning", _("Warn a CQO"), _("Warning recorded"))
    actions.register_action(
        "alliance.profile.refiled", _("File a changed appointment again"), _("Changed appointment filed again")
    )
    actions.register_action(
        "alliance.profile.warning_response", _("Respond to a warning"), _("Response to a warning recorded")
    )


@hooks.register(MAIN_MENU)
def core_menu_entries(request):
    bodies = {kind: url for kind, url in body_urls(request)}
    entries = [
        MenuEntry("alliance", _("CQO Alliance"), bodies.get(BodyPage.Kind.ALLIANCE, ""), order=10),
        MenuEntry("home", _("Home of CQOs"), bodies.get(BodyPage.Kind.HOME, ""), order=20),
        MenuEntry("talent", _("Talent pool"), reverse("members:talent_pool"), order=60),
        MenuEntry("dashboard", _("Dashboard"), reverse("dashboard"), order=70),
    ]
    return [entry for entry in entries if entry.url]


def body_urls(request):
    """(kind, url) of the live body pages."""

    def compute():
        bodies = BodyPage.objects.live().only("id", "kind", "url_path").order_by("path")
        return [(body.kind, body.get_url(request)) for body in bodies]

    return structure_cache.cached("bodies", compute)


@hooks.register(ACCOUNT_LINKS)
def filing_review_link(request):
    from alliance_site.accounts.access import allowed

    links = []
    if allowed(request.user, "alliance_site.view_filings"):
        links.append(MenuEntry("filings", _("Filings"), reverse("filings:list"), order=40))
    if allowed(request.user, "alliance_site.view_region_dashboard"):
        links.append(MenuEntry("region_dashboard", _("Region dashboard"), reverse("region_dashboard"), order=41))
    return links


@hooks.register(ACCOUNT_LINKS)
def account_security_link(request):
    # Password, e-mail addresses and two-factor sign-in are allauth's pages, for every signed-in user.
    return [MenuEntry("account_security", _("Account security"), reverse("mfa_index"), order=90)]


# The admin's account page keeps name, language and notifications; passwords, e-mail addresses and the second
# factor are changed on allauth's pages (WAGTAIL_PASSWORD_MANAGEMENT_ENABLED and ..._EMAIL_... are off).
def allauth_page_item(urlname, label, help_text):
    return {"url": reverse(urlname), "label": label, "help_text": help_text}


@hooks.register("register_account_menu_item")
def change_password_item(request):
    return allauth_page_item("account_change_password", _("Change password"), _("With the site's rate limits."))


@hooks.register("register_account_menu_item")
def email_addresses_item(request):
    return allauth_page_item("account_email", _("E-mail addresses"), _("A new address is used once you confirm it."))


@hooks.register("register_account_menu_item")
def two_factor_item(request):
    return allauth_page_item(
        "mfa_index", _("Two-factor authentication"), _("Your authenticator app and recovery codes.")
    )

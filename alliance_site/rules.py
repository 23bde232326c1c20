"""Who may do what in the core: named permissions, asked through `user.has_perm` (alliance_site.accounts.access).

The predicates read the roles (alliance_site.accounts.roles, cached per user) and the object asked about; the
apps build their own rules from these (`from alliance_site.rules import is_member, is_staff`).
"""

import rules

from alliance_site.accounts import roles


@rules.predicate
def is_member(user):
    """A CQO whose profile carries member rights (active or warned)."""
    return roles.is_member(user)


@rules.predicate
def is_staff(user):
    """Secretariat staff or an administrator."""
    return roles.is_staff(user)


@rules.predicate
def is_judge(user):
    return roles.has_role(user, roles.JUDGE)


@rules.predicate
def is_moderator(user):
    return roles.has_role(user, roles.MODERATOR)


@rules.predicate
def regulates_a_region(user):
    """A regulator who has been given a region (one without a region oversees nothing yet)."""
    return roles.regulated_region(user) is not None


@rules.predicate
def is_own_profile(user, profile):
    return profile is not None and user.is_authenticated and profile.user_id == user.pk


@rules.predicate
def oversees_cqo(user, profile):
    """A regulator whose region contains the CQO's enterprise."""
    return profile is not None and profile.is_overseen_by(user)


@rules.predicate
def oversees_filing(user, filing):
    region = roles.regulated_region(user)
    return filing is not None and region is not None and region.contains(filing.enterprise.county)


@rules.predicate
def may_request_contact(user, profile):
    """Another signed-in user whom the card's contact part reaches, when the card has contact details."""
    from alliance_site.talent.services import has_contact

    return (
        profile is not None
        and user.is_authenticated
        and user.pk != profile.user_id
        and has_contact(profile)
        and profile.contact_audience in profile.audiences_reached_by(user)
    )


# The admin (Wagtail): the secretariat; what each may do there is the model permissions of their group.
rules.add_perm("alliance_site.use_admin", is_staff)
# Members' pages (the talent pool): members, and staff who look after them.
rules.add_perm("alliance_site.use_member_area", is_member | is_staff)
# Joining the CQO Alliance or the Home of CQOs.
rules.add_perm("alliance_site.apply_to_body", is_member)
# A profile's record (status history, filings, warnings, memberships): its owner, staff, its regulator.
rules.add_perm("alliance_site.see_profile_record", is_own_profile | is_staff | oversees_cqo)
# Warning or exiting a CQO (policy 五(三)); with no profile given, whether the user may do it to anyone.
rules.add_perm("alliance_site.sanction_cqo", is_staff | oversees_cqo)
rules.add_perm("alliance_site.request_contact", may_request_contact)
# The secretariat contacts CQOs for its work: their reveals are logged, but not limited to a few a day.
rules.add_perm("alliance_site.reveal_contacts_without_limit", is_staff)
# Relaxed admission below the basic conditions (policy 四(二)) needs staff's written justification.
rules.add_perm("alliance_site.admit_with_relaxation", is_staff)
# The filings list and a filing's page: staff and regulators (each sees their region's: Filing.objects.visible_to).
rules.add_perm("alliance_site.view_filings", is_staff | regulates_a_region)
# Deciding a filing: only a regulator, only within their region.
rules.add_perm("alliance_site.review_filing", oversees_filing)
# The dashboard's region view.
rules.add_perm("alliance_site.view_region_dashboard", is_staff | regulates_a_region)

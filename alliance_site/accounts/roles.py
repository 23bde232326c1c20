"""The roles of DESIGN.md as Django groups, and the checks views and querysets use.

Each role is a group marked with a stable code (`RoleGroup`): the code never changes, while the group's name is
what staff see and may rename in the admin. The code asks by code only, never by a group's name. A user's role
codes are read once and kept on the user object and in the cache (dropped by the signals in
alliance_site.signals whenever memberships of groups change), so every page may ask without a query.
"""

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

MEMBER = "member"
JUDGE = "judge"
MODERATOR = "moderator"
STAFF = "staff"
REGULATOR = "regulator"
ADMIN = "admin"

# The names the role groups were created with (migrations 0002 and 0013); staff may rename the groups.
GROUP_NAMES = {
    MEMBER: "会员",
    JUDGE: "评委",
    MODERATOR: "版主",
    STAFF: "秘书处",
    REGULATOR: "监管人员",
    ADMIN: "管理员",
}

ROLE_LABELS = {
    MEMBER: _("Member"),
    JUDGE: _("Judge"),
    MODERATOR: _("Moderator"),
    STAFF: _("Secretariat staff"),
    REGULATOR: _("Regulator"),
    ADMIN: _("Administrator"),
}


# Short, so a revoked role lapses soon even where the cache missed the change (the default and Redis caches are
# shared by the workers; forget_roles drops the entry at once).
GROUPS_CACHE_SECONDS = 60


def groups_cache_key(user_id):
    return f"cqo:roles:{user_id}"


def role_codes(user):
    """The codes of the role groups the user is in (MEMBER, STAFF …)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_cqo_role_codes", None)  # getattr: request.user is lazy, its __dict__ is not the user's
    if cached is None:
        codes = cache.get(groups_cache_key(user.pk))
        if codes is None:
            codes = list(user.groups.filter(role__isnull=False).values_list("role__code", flat=True))
            cache.set(groups_cache_key(user.pk), codes, GROUPS_CACHE_SECONDS)
        cached = user._cqo_role_codes = frozenset(codes)
    return cached


def has_role(user, code):
    return code in role_codes(user)


def group_of(code):
    """The Django group of a role, whatever it is called now."""
    from django.contrib.auth.models import Group

    return Group.objects.get(role__code=code)


def forget_roles(user_or_id):
    """Drop the cached group names after the user's groups changed."""
    if isinstance(user_or_id, int):
        cache.delete(groups_cache_key(user_or_id))
        return
    if hasattr(user_or_id, "_cqo_role_codes"):
        del user_or_id._cqo_role_codes
    cache.delete(groups_cache_key(user_or_id.pk))


def is_admin(user):
    return user.is_authenticated and (user.is_superuser or ADMIN in role_codes(user))


def is_staff(user):
    """Secretariat staff (or an administrator)."""
    return is_admin(user) or STAFF in role_codes(user)


def is_regulator(user):
    return REGULATOR in role_codes(user)


def regulated_region(user):
    """The region a regulator oversees, or None (not a regulator, or not yet given a region)."""
    if not is_regulator(user):
        return None
    try:
        return user.regulator.region
    except user._meta.model.regulator.RelatedObjectDoesNotExist:
        return None


def is_member(user):
    """A signed-in CQO whose profile carries member rights (active or warned)."""
    if not user.is_authenticated:
        return False
    from alliance_site.members.models import MEMBER_STATUSES

    profile = profile_of(user)
    return profile is not None and profile.status in MEMBER_STATUSES


def display_name(user):
    """How a user is named on pages and in e-mail: the CQO's real name, else the account's name."""
    profile = profile_of(user)
    return profile.real_name if profile else (user.get_full_name() or user.get_username())


def own_name(user):
    """How the site names a user to themselves (allauth's "signed in as …"): a name, else their e-mail address;
    never the login name."""
    profile = profile_of(user)
    return profile.real_name if profile else (user.get_full_name() or user.email or user.get_username())


def profile_of(user):
    """The user's CQO profile or None, read once per user object."""
    if not user.is_authenticated:
        return None
    try:
        return user.cqo_profile
    except user._meta.model.cqo_profile.RelatedObjectDoesNotExist:
        return None

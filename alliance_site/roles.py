"""The roles of DESIGN.md as Django groups, and the checks views and querysets use.

A user's group names are read once and kept on the user object and in the cache (dropped by the signals in
alliance_site.signals whenever memberships of groups change), so every page may ask without a query.
"""

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

MEMBER = "会员"
JUDGE = "评委"
MODERATOR = "版主"
STAFF = "秘书处"
REGULATOR = "监管人员"
ADMIN = "管理员"

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
    return f"cqo:groups:{user_id}"


def group_names(user):
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_cqo_group_names", None)  # getattr: request.user is lazy, its __dict__ is not the user's
    if cached is None:
        names = cache.get(groups_cache_key(user.pk))
        if names is None:
            names = list(user.groups.values_list("name", flat=True))
            cache.set(groups_cache_key(user.pk), names, GROUPS_CACHE_SECONDS)
        cached = user._cqo_group_names = frozenset(names)
    return cached


def forget_roles(user_or_id):
    """Drop the cached group names after the user's groups changed."""
    if isinstance(user_or_id, int):
        cache.delete(groups_cache_key(user_or_id))
        return
    if hasattr(user_or_id, "_cqo_group_names"):
        del user_or_id._cqo_group_names
    cache.delete(groups_cache_key(user_or_id.pk))


def is_admin(user):
    return user.is_authenticated and (user.is_superuser or ADMIN in group_names(user))


def is_staff(user):
    """Secretariat staff (or an administrator)."""
    return is_admin(user) or STAFF in group_names(user)


def is_regulator(user):
    return REGULATOR in group_names(user)


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
    from .models.profiles import MEMBER_STATUSES

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

"""`{% has_perm "forums.moderate_board" request.user board as can_moderate %}`: the access layer's answer in a
template (alliance_site.accounts.access.allowed), the same as the view's."""

from django import template

from alliance_site.accounts.access import allowed

register = template.Library()


@register.simple_tag
def has_perm(perm, user, obj=None):
    return allowed(user, perm, obj)

"""Keep the caches of roles and of the main menu honest when what they summarise changes."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import roles

MENU_CACHE_KEY = "cqo:menu:bodies"


@receiver(m2m_changed, sender=get_user_model().groups.through)
def forget_roles_of_changed_users(sender, instance, action, reverse, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, Group):
        user_ids = pk_set or instance.user_set.values_list("pk", flat=True)
        for user_id in user_ids:
            roles.forget_roles(user_id)
    else:
        roles.forget_roles(instance)


@receiver(post_save, sender=Group)
@receiver(post_delete, sender=Group)
def forget_roles_of_group_members(sender, instance, **kwargs):
    if instance.pk:
        for user_id in instance.user_set.values_list("pk", flat=True):
            roles.forget_roles(user_id)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def forget_menu_after_page_change(sender, **kwargs):
    cache.delete(MENU_CACHE_KEY)


@receiver(post_delete, sender="alliance_site.BodyPage")
def forget_menu_after_body_deleted(sender, **kwargs):
    cache.delete(MENU_CACHE_KEY)

"""Keep the caches of roles and of the main menu honest when what they summarise changes."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from alliance_site.accounts import roles
from alliance_site.common import links, structure_cache


@receiver(m2m_changed, sender=get_user_model().groups.through)
def forget_roles_of_changed_users(sender, instance, action, reverse, pk_set, **kwargs):
    # Before a clear the members are still there to be found; after add/remove pk_set names them.
    if action not in ("pre_clear", "post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Group):
        user_ids = pk_set if pk_set else instance.user_set.values_list("pk", flat=True)
        for user_id in list(user_ids):
            roles.forget_roles(user_id)
    else:
        roles.forget_roles(instance)


@receiver(post_save, sender=Group)
@receiver(pre_delete, sender=Group)
def forget_roles_of_group_members(sender, instance, **kwargs):
    for user_id in instance.user_set.values_list("pk", flat=True):
        roles.forget_roles(user_id)


@receiver(post_migrate)
def grant_administrators_every_permission(sender, **kwargs):
    """管理员 may do everything, including what apps added after the role migration ran."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Permission

    # This receiver may run before auth's own for the same app: create that app's permissions first.
    create_permissions(sender, verbosity=0, using=kwargs.get("using", "default"))
    group = Group.objects.filter(role__code=roles.ADMIN).first()
    if group is not None:
        group.permissions.set(Permission.objects.all())


@receiver(post_migrate)
def keep_the_default_site_on_the_public_address(sender, apps=None, using="default", **kwargs):
    """Each `migrate` (every release) puts the default Site on WAGTAILADMIN_BASE_URL, so the full URLs Wagtail
    builds from it (API, sitemap, page.full_url) are the public ones, never the migration's localhost:80."""
    if sender.name != "alliance_site":  # once per migrate
        return
    try:
        if apps is not None:  # `flush` sends no apps: every table is there
            apps.get_model("wagtailcore", "Site")
    except LookupError:  # migrated back before Wagtail's tables
        return
    links.set_default_site_address(using=using)


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def forget_structure_after_page_change(sender, **kwargs):
    structure_cache.forget()


@receiver(post_delete)
def forget_structure_after_page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        structure_cache.forget()


@receiver(post_save, sender="alliance_site.Region")
@receiver(post_delete, sender="alliance_site.Region")
def forget_structure_after_region_change(sender, **kwargs):
    structure_cache.forget()  # filter choices list the cities

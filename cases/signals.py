from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from alliance_site import menus
from alliance_site.models import QualityMethod


@receiver(post_save, sender=QualityMethod)
@receiver(post_delete, sender=QualityMethod)
def forget_cached_method_choices(sender, **kwargs):
    menus.forget()  # the case library's filter lists the methods

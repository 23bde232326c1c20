from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from alliance_site.common import structure_cache
from alliance_site.models import Enterprise, QualityMethod

from .models import CaseMembersText, CasePage

# Fields of a case whose change changes what its members' search entry holds.
MEMBERS_TEXT_FIELDS = {"title", "summary", "body", "enterprise", "enterprise_id"}


@receiver(post_save, sender=QualityMethod)
@receiver(post_delete, sender=QualityMethod)
def forget_cached_method_choices(sender, **kwargs):
    structure_cache.forget()  # the case library's filter lists the methods


@receiver(post_save, sender=CasePage)
def keep_members_search_text_in_step(sender, instance, raw=False, update_fields=None, **kwargs):
    """Saving a case indexes its public text (Wagtail's own handler); this keeps its members' entry in step.

    A save limited to other fields (a draft revision of a live case records only which revision is latest)
    leaves the stored text as it was, so the entry too.
    """
    if raw or (update_fields is not None and not MEMBERS_TEXT_FIELDS & set(update_fields)):
        return
    CaseMembersText.keep_in_step(instance)


@receiver(pre_save, sender=Enterprise)
def remember_enterprise_name(sender, instance, raw=False, **kwargs):
    if not raw and instance.pk is not None:
        instance._indexed_name = Enterprise.objects.filter(pk=instance.pk).values_list("name", flat=True).first()


@receiver(post_save, sender=Enterprise)
def reindex_cases_of_a_renamed_enterprise(sender, instance, created=False, raw=False, **kwargs):
    """Cases are found by their enterprise's name: a new name goes into their index entries."""
    if raw or created or getattr(instance, "_indexed_name", instance.name) == instance.name:
        return
    from modelsearch.tasks import insert_or_update_object_task

    entries = [
        ("casepage", CasePage.objects.filter(enterprise=instance)),
        ("casememberstext", CaseMembersText.objects.filter(case__enterprise=instance)),
    ]
    for model_name, objects in entries:
        for pk in objects.values_list("pk", flat=True):
            insert_or_update_object_task.enqueue("cases", model_name, str(pk))

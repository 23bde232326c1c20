from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        from wagtail.signals import page_published

        from .models import EventPage
        from .registration import let_the_waitlist_move_up

        # The signal, not the admin's after_publish_page hook: scheduled publishing, bulk actions, workflow
        # approval and code all publish without the admin's edit view.
        page_published.connect(let_the_waitlist_move_up, sender=EventPage, dispatch_uid="events_waitlist_moves_up")

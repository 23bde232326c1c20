from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from alliance_site import hooks


class HomePage(Page):
    """The site's front page: the bodies, and the latest announcements, cases and events.

    The latest items come from the apps through the `alliance_home_sections` hook, so the core names none
    of them; each hook returns a `HomeSection` (see alliance_site.hooks).
    """

    lead = models.CharField(_("lead"), max_length=200, blank=True)
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("intro")]
    # No subpage_types: each app's top page names the home page in its own parent_page_types (the case
    # library, the competition list …), so the core need not list them and staff can add them in the admin.
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from alliance_site.bodies.models import BodyPage

        context = super().get_context(request, *args, **kwargs)
        context["bodies"] = BodyPage.objects.live().child_of(self).order_by("path")
        context["sections"] = hooks.home_sections(request)
        return context

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceSiteConfig(AppConfig):
    name = "alliance_site"
    verbose_name = _("CQO platform")

    def ready(self):
        from . import signals  # noqa: F401

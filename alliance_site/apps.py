from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceSiteConfig(AppConfig):
    name = "alliance_site"
    verbose_name = _("CQO platform")

    def ready(self):
        from . import numbers, second_factor, signals  # noqa: F401

        numbers.register_lookups()  # a typed id of 2^63 matches no row instead of failing the query

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceSiteConfig(AppConfig):
    name = "alliance_site"
    verbose_name = _("CQO platform")

    def ready(self):
        from alliance_site import signals  # noqa: F401
        from alliance_site.accounts import second_factor  # noqa: F401
        from alliance_site.common import numbers

        numbers.register_lookups()  # a typed id of 2^63 matches no row instead of failing the query

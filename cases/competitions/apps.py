from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionsConfig(AppConfig):
    name = "cases.competitions"
    label = "competitions"  # the tables, migrations and content types keep the name they have always had
    verbose_name = _("Case competitions")

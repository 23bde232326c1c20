"""Quality methods (the talent pool's vocabulary) in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _

from alliance_site.common.admin_views import AdminModelViewSet
from alliance_site.models import QualityMethod


class QualityMethodViewSet(AdminModelViewSet):
    """The one list of quality methods: cases are filed under them, members offer them in the talent pool."""

    model = QualityMethod
    icon = "list-ul"
    menu_label = _("Quality methods")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    form_fields = ["name", "slug", "description", "sort_order"]

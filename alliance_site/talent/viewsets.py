"""Quality methods (the talent pool's vocabulary) in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from alliance_site.models import QualityMethod


class QualityMethodViewSet(ModelViewSet):
    """The one list of quality methods: cases are filed under them, members offer them in the talent pool."""

    model = QualityMethod
    icon = "list-ul"
    menu_label = _("Quality methods")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    form_fields = ["name", "slug", "description", "sort_order"]

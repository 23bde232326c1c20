from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


def validate_upload_size(file):
    limit = settings.CQO_UPLOAD_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            _("This file is %(size)s; files may be at most %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
        )

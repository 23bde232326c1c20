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


# What the first bytes of an honest file of each kind look like.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}


def validate_file_signature(file):
    """Refuse a file whose content does not match its extension (an .exe renamed to .pdf, say)."""
    extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    expected = SIGNATURES.get(extension)
    if expected is None:
        return
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(16)
    file.seek(position)
    if not head.startswith(expected):
        raise ValidationError(
            _("This file's content is not a real %(kind)s file; upload the original document."),
            code="file_signature",
            params={"kind": extension.upper()},
        )

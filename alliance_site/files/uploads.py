"""One check for every file users send, against one table of what each kind of upload accepts.

`UPLOAD_KINDS` says, for each kind: the extensions it takes and what `filetype` must find in a file of each (so a
program renamed to .pdf is refused), the setting that caps its size (read on each upload), and whether its images
must open in Pillow. `UploadValidator(kind)` applies it, in model fields (`validators=[UploadValidator("photo")]`)
and in the case form alike; each refusal names the file and says why.
"""

from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from filetype import match
from filetype.types import TYPES, Type

# What filetype finds in a file (its MIME type) -------------------------------------------------------------

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
APNG = "image/apng"  # an animated PNG is a PNG, whose first frame every viewer shows
WEBP = "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"
COMPOUND_FILE = "application/x-ole-storage"
IMAGE_TYPES = frozenset({JPEG, PNG, APNG, WEBP})


class CompoundFile(Type):
    """Any OLE2 compound file, the container of Word, Excel and PowerPoint 97-2003 files.

    filetype names a .doc, .xls or .ppt only by bytes at fixed places of its first sectors, which depend on how
    the program that wrote it laid it out: many real ones are not recognised. This matcher, tried after
    filetype's own, finds the family, and .doc, .xls and .ppt accept any member of it, as they did before
    filetype (an .msi installer is one too, but named .doc it opens in Word, not as an installer).
    .docx, .xlsx and .pptx must be what their extension says: filetype tells Office Open XML files apart by the
    names of their first zip entries (a zip that is not one of them is refused).
    """

    def __init__(self):
        super().__init__(mime=COMPOUND_FILE, extension="cfb")

    def match(self, buf):
        return bytes(buf[:8]) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


MATCHERS = [*TYPES, CompoundFile()]  # a list of our own: filetype.add_type would change what Willow finds too
OFFICE_97 = frozenset({DOC, XLS, PPT, COMPOUND_FILE})
PICTURES = {"jpg": {JPEG}, "jpeg": {JPEG}, "png": {PNG, APNG}}


def detect(file):
    """The MIME type filetype finds in the file's first bytes (None for text and unknown kinds)."""
    file.seek(0)
    head = file.read(8192)  # as much as filetype reads
    file.seek(0)
    matcher = match(head, MATCHERS)
    return matcher.mime if matcher else None


def extension_of(name):
    suffix = PurePath(name).suffix
    return suffix[1:].lower() if suffix else ""


# The table -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadKind:
    types: dict  # extension → the MIME types filetype may find in a file with that extension
    max_bytes_setting: str
    default_max_bytes: int
    wrong_extension: str  # the refusal of any other extension, saying what to send instead
    # Open images with Pillow too. Photos are not: their ImageField's form field opens them already.
    verify_images: bool = False

    @property
    def extensions(self):
        return tuple(self.types)

    @property
    def image_extensions(self):
        return tuple(extension for extension, types in self.types.items() if types <= IMAGE_TYPES)

    def max_bytes(self):
        """Read on each upload, so that a changed setting (or a test's override) applies at once."""
        return getattr(settings, self.max_bytes_setting, self.default_max_bytes)


LETTER_OR_IMAGE = _(
    "“%(name)s” was refused: files of type “%(extension)s” are not allowed. Attach a PDF file or a JPG or PNG image."
)

UPLOAD_KINDS = {
    # Files attached to a section of a case; images among them are shown in the section.
    "case_attachment": UploadKind(
        types={
            "pdf": {PDF},
            "doc": OFFICE_97,
            "docx": {DOCX},
            "xls": OFFICE_97,
            "xlsx": {XLSX},
            "ppt": OFFICE_97,
            "pptx": {PPTX},
            **PICTURES,
        },
        max_bytes_setting="CASE_ATTACHMENT_MAX_BYTES",
        default_max_bytes=20 * 1024 * 1024,
        wrong_extension=_(
            "“%(name)s” was refused: files of type “%(extension)s” are not allowed. Attach PDF, Word, Excel or "
            "PowerPoint files (pdf, doc, docx, xls, xlsx, ppt, pptx) or JPG and PNG images."
        ),
        verify_images=True,
    ),
    "appointment_letter": UploadKind(
        types={"pdf": {PDF}, **PICTURES},
        max_bytes_setting="CQO_UPLOAD_MAX_BYTES",
        default_max_bytes=5 * 1024 * 1024,
        wrong_extension=LETTER_OR_IMAGE,
    ),
    "warning_evidence": UploadKind(
        types={"pdf": {PDF}, **PICTURES},
        max_bytes_setting="CQO_UPLOAD_MAX_BYTES",
        default_max_bytes=5 * 1024 * 1024,
        wrong_extension=LETTER_OR_IMAGE,
    ),
    "photo": UploadKind(
        types={**PICTURES, "webp": {WEBP}},
        max_bytes_setting="CQO_UPLOAD_MAX_BYTES",
        default_max_bytes=5 * 1024 * 1024,
        wrong_extension=_(
            "“%(name)s” was refused: files of type “%(extension)s” are not allowed. Attach a JPG, PNG or WebP picture."
        ),
    ),
}


# The check -------------------------------------------------------------------------------------------------


@deconstructible
class UploadValidator:
    """Refuse a file of the wrong extension, too large, whose content is not what its extension says, or (where
    the kind asks) an image Pillow cannot read."""

    def __init__(self, kind):
        if kind not in UPLOAD_KINDS:
            raise ValueError(f"No upload kind {kind!r}; the kinds are {', '.join(UPLOAD_KINDS)}.")
        self.kind = kind

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and other.kind == self.kind

    def __call__(self, file):
        if getattr(file, "_committed", False):
            # A file already stored (a model saved again) was checked when it was sent: reading it back from the
            # storage each time costs a download, and a rule changed since must not block editing the rest.
            return
        kind = UPLOAD_KINDS[self.kind]
        name = PurePath(file.name).name
        extension = extension_of(name)
        if extension not in kind.types:
            raise ValidationError(
                kind.wrong_extension,
                code="extension_not_allowed",
                params={"name": name, "extension": f".{extension}" if extension else _("no extension")},
            )
        limit = kind.max_bytes()
        if file.size > limit:
            raise ValidationError(
                _("“%(name)s” was refused: it is too large (%(size)s); each file may be at most %(limit)s."),
                code="file_too_large",
                params={"name": name, "size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            )
        if detect(file) not in kind.types[extension]:
            raise ValidationError(
                _("“%(name)s” was refused: its content is not a real %(kind)s file. Attach the original file."),
                code="file_signature",
                params={"name": name, "kind": extension.upper()},
            )
        if kind.verify_images and extension in kind.image_extensions:
            verify_image(file, name)


def verify_image(file, name):
    from PIL import Image

    try:
        with Image.open(file) as image:
            image.verify()
    except Exception as error:
        raise ValidationError(
            _("“%(name)s” was refused: the image cannot be read. Attach the original JPG or PNG file."),
            code="image_unreadable",
            params={"name": name},
        ) from error
    finally:
        file.seek(0)


# Migrations 0001 and 0005 name these (a field's validators are part of its history); the models use
# UploadValidator now. Both stood beside FileExtensionValidator(["pdf", "jpg", "jpeg", "png"]).
validate_upload_size = validate_file_signature = UploadValidator("appointment_letter")

"""Small real files of each kind users may upload, and the impostors an upload check must refuse."""

import io
import zipfile

from PIL import Image

PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 112  # a Windows program
TEXT = "这不是文件，只是文字。\nJust text with a file's name.\n".encode()


def picture(format_, size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format=format_)
    return buffer.getvalue()


def office_open_xml(folder, part):
    """A .docx, .xlsx or .pptx as Office writes one: a zip whose first entries name what it holds."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/"/>')
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(f"{folder}/{part}", "<root/>")
    return buffer.getvalue()


def compound_file():
    """The header of an OLE2 compound file (the container of .doc, .xls and .ppt), then empty sectors."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + b"\x3e\x00\x03\x00\xfe\xff\x09\x00" + b"\x00" * 1512


def plain_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("setup.exe", PROGRAM)
    return buffer.getvalue()


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# A real file for each extension users may upload.
SAMPLES = {
    "pdf": PDF,
    "jpg": picture("JPEG"),
    "jpeg": picture("JPEG"),
    "png": picture("PNG"),
    "webp": picture("WEBP"),
    "doc": compound_file(),
    "xls": compound_file(),
    "ppt": compound_file(),
    "docx": office_open_xml("word", "document.xml"),
    "xlsx": office_open_xml("xl", "workbook.xml"),
    "pptx": office_open_xml("ppt", "presentation.xml"),
}


def stored_files(settings):
    """Every file in the storage's folders: what a refused upload must not leave behind."""
    roots = (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
    return sorted(path for root in roots for path in root.rglob("*") if path.is_file())

"""What a case may have attached, by extension and by content (alliance_site.files.uploads, kind "case_attachment").

Each accepted extension takes a real file of its kind; a program or a text file given such a name is refused with
a message naming it, and nothing of the post is saved: no page, no document, no image, no file in the storage.
"""

import pytest
from django.test import override_settings

from tests.alliance_site.helpers import ENGLISH, text
from tests.upload_samples import PROGRAM, SAMPLES, TEXT, plain_zip, stored_files

from .test_submission import NEW_CASE, counts, new_case_data, upload

CASE_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "jpg", "jpeg", "png"]


@pytest.fixture
def methods(db):
    from cases.models import QualityMethod

    return list(QualityMethod.objects.filter(slug__in=["six-sigma", "qc-circle"]))


def post_case(client, methods, *files):
    data = new_case_data(methods, sections=[{"heading": "附件", "text": "见附件。", "files": list(files)}])
    return client.post(NEW_CASE, data, headers=ENGLISH)


@pytest.mark.parametrize("extension", CASE_EXTENSIONS)
def test_a_real_file_of_each_accepted_extension_is_attached(client_for, member, case_index, methods, extension):
    before = counts()

    response = post_case(client_for(member), methods, upload(f"附件.{extension}", SAMPLES[extension]))

    assert response.status_code == 302, text(response)
    added = {key: counts()[key] - before[key] for key in before}
    image = extension in ("jpg", "jpeg", "png")
    assert added["documents"] == (0 if image else 1) and added["images"] == (1 if image else 0)


@pytest.mark.parametrize("content", [PROGRAM, TEXT], ids=["program", "text"])
@pytest.mark.parametrize("extension", CASE_EXTENSIONS)
def test_a_program_or_text_named_as_an_accepted_file_is_refused(
    client_for, member, case_index, methods, settings, extension, content
):
    before = counts()
    name = f"改进报告.{extension}"

    response = post_case(client_for(member), methods, upload("good.pdf"), upload(name, content))

    assert response.status_code == 400
    page = text(response)
    assert f"“{name}” was refused: its content is not a real {extension.upper()} file." in page
    assert "Nothing has been saved" in page
    assert counts() == before
    assert stored_files(settings) == []


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        # filetype tells the Office Open XML kinds apart: a workbook is not a document, nor is any zip.
        ("报告.docx", SAMPLES["xlsx"], False),
        ("报告.docx", plain_zip(), False),
        ("数据.xlsx", SAMPLES["pptx"], False),
        # It cannot tell legacy Office files apart reliably: any OLE2 compound file is one of them.
        ("数据.xls", SAMPLES["doc"], True),
        # A PNG named .jpg is not a JPG (nor the reverse).
        ("现场.jpg", SAMPLES["png"], False),
        ("现场.png", SAMPLES["jpg"], False),
        ("报告.pdf", SAMPLES["docx"], False),
    ],
    ids=["xlsx-as-docx", "zip-as-docx", "pptx-as-xlsx", "doc-as-xls", "png-as-jpg", "jpg-as-png", "docx-as-pdf"],
)
def test_the_content_must_be_of_the_kind_its_extension_names(
    client_for, member, case_index, methods, name, content, accepted
):
    response = post_case(client_for(member), methods, upload(name, content))

    if accepted:
        assert response.status_code == 302, text(response)
    else:
        assert response.status_code == 400
        assert f"“{name}” was refused: its content is not a real" in text(response)
        assert counts()["pages"] == 0


@override_settings(CASE_ATTACHMENT_MAX_BYTES=1024)
@pytest.mark.parametrize("extension", ["docx", "png", "doc"])
def test_too_large_attachments_of_any_kind_are_refused_with_the_size(
    client_for, member, case_index, methods, settings, extension
):
    before = counts()
    content = SAMPLES[extension] + b"\x00" * 2048  # trailing bytes: still the same kind of file
    name = f"大文件.{extension}"

    response = post_case(client_for(member), methods, upload(name, content))

    assert response.status_code == 400
    assert f"“{name}” was refused: it is too large" in text(response)
    assert "each file may be at most 1.0\xa0KB" in text(response)
    assert counts() == before
    assert stored_files(settings) == []

"""Case attachments are private files: a draft's or a restricted section's document has no public address.

Uploaded through the case form, each attachment is a Wagtail document in private storage. A web server serving
MEDIA_ROOT (`tests.alliance_site.media_served_urls`) has nothing to hand out, by the uploader's file name or the
stored one; Wagtail's /documents/ view and the site's /files/ view both apply the section's rule.
"""

from pathlib import Path

import pytest
from django.urls import reverse
from wagtail.documents import get_document_model

from alliance_site.accounts import roles
from alliance_site.models import ProfileStatus

from .test_submission import create_draft, upload

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.alliance_site.media_served_urls")]

Document = get_document_model()
REPORT = b"%PDF-1.7\n% the process parameters behind the result\n"


@pytest.fixture
def other_member(make_profile):
    return make_profile(status=ProfileStatus.ACTIVE, real_name="李四").user


@pytest.fixture
def methods(db):
    from cases.models import QualityMethod

    return list(QualityMethod.objects.filter(slug__in=["six-sigma"]))


def media_addresses(document, original):
    name = document.file.name
    return {f"/media/{name}", f"/media/documents/{original}", f"/media/documents/{Path(name).name}"}


def publish(case):
    case.get_latest_revision().publish()
    case.refresh_from_db()
    return case


def test_attachments_of_drafts_and_restricted_sections_have_no_public_address(
    client_for,
    member,
    other_member,
    staff,
    make_user,
    case_index,
    methods,
    settings,
    django_capture_on_commit_callbacks,
):
    judge = make_user("judge", groups=[roles.JUDGE])
    sections = [
        {"heading": "公开部分", "text": "见附件。", "files": [upload("公开报告.pdf", REPORT + b"public")]},
        {"heading": "核心参数", "text": "见附件。", "visibility": "judges", "files": [upload("工艺参数.pdf", REPORT)]},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        case = create_draft(client_for(member), methods, sections=sections)
    public_doc = Document.objects.get(title="公开报告")
    secret_doc = Document.objects.get(title="工艺参数")
    for document in (public_doc, secret_doc):
        assert document.file.name.startswith("documents/")
        assert Path(settings.PRIVATE_MEDIA_ROOT, document.file.name).is_file()
    assert not any(path.is_file() for path in Path(settings.MEDIA_ROOT).rglob("*"))

    def answers(user, address):
        return client_for(user).get(address).status_code

    everyone = [None, member, other_member, staff, judge]
    for user in everyone:
        for document, original in ((public_doc, "公开报告.pdf"), (secret_doc, "工艺参数.pdf")):
            for address in media_addresses(document, original):
                assert answers(user, address) == 404, (address, user)

    # A draft's attachments: its author and staff only, by either view.
    files_url = reverse("private_file", kwargs={"name": secret_doc.file.name})
    for user, expected in ((None, 404), (other_member, 404), (judge, 404), (member, 200), (staff, 200)):
        assert answers(user, secret_doc.url) == expected, user
        assert answers(user, files_url) == expected, user

    # Published: the public section's file for everyone, the judges-only one still not for other members.
    with django_capture_on_commit_callbacks(execute=True):
        publish(case)
    assert answers(None, public_doc.url) == 200
    assert answers(None, reverse("private_file", kwargs={"name": public_doc.file.name})) == 200
    assert answers(other_member, secret_doc.url) == 404
    assert answers(other_member, files_url) == 404
    assert answers(member, files_url) == 200

    response = client_for(member).get(files_url)
    assert b"".join(response.streaming_content) == REPORT
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert "private" in response["Cache-Control"]

"""Private files: uploads not everyone may see have no public address and are served only after their rule.

Each kind is uploaded through the site, then every public address it could have is asked for — the media path
with the uploader's file name and with the stored name, as a web server serving MEDIA_ROOT would answer
(`media_served_urls`) — as a visitor and as each other role: never 200. The one way to the file,
/files/<stored name>, answers those the page that links it admits, and 404s (or asks a visitor to sign in)
the rest.
"""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage, storages
from django.urls import reverse

from alliance_site.accounts import roles
from alliance_site.models import CQOProfile, CQOWarning, Filing, ProfileStatus, RegionalRegulator

from .helpers import png_bytes, profile_form_data, upload

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.alliance_site.media_served_urls")]

LETTER = b"%PDF-1.4 the appointment letter of a CQO\n"
EVIDENCE = b"%PDF-1.4 evidence of a duty not done\n"


@pytest.fixture
def people(make_user, make_profile, make_enterprise, regions, staff, regulator):
    """The CQO whose files these are, and everyone else who might ask for them."""
    cqo = make_profile(status=ProfileStatus.APPLICANT, real_name="王质量")
    other_member = make_profile(status=ProfileStatus.ACTIVE, real_name="李同行").user
    far_regulator = make_user("far-regulator", groups=[roles.REGULATOR])
    RegionalRegulator.objects.create(user=far_regulator, region=regions["taiyuan"], agency="太原市市场监督管理局")
    return {
        "owner": cqo.user,
        "member": other_member,
        "judge": make_user("judge", groups=[roles.JUDGE]),
        "moderator": make_user("moderator", groups=[roles.MODERATOR]),
        "staff": staff,
        "regulator": regulator,  # 晋城市: the CQO's enterprise is in 泽州县
        "far_regulator": far_regulator,
    }


def upload_letter_and_photo(client, profile):
    data = profile_form_data(
        profile.enterprise.county,
        credit_code=profile.enterprise.credit_code,
        real_name=profile.real_name,
        appointment_letter=upload("任命书.pdf", LETTER),
        photo=upload("头像.png", png_bytes(), "image/png"),
    )
    response = client.post(reverse("members:edit"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    profile.refresh_from_db()
    return profile


def public_addresses(name, original):
    """Every address a web server serving MEDIA_ROOT could give the file."""
    folder = Path(name).parent
    return {
        f"/media/{name}",
        f"/media/{folder}/{original}",
        f"/media/{name.split('/', 1)[0]}/{original}",
        f"/media/{Path(name).name}",
    }


def files_under(root):
    return [path for path in Path(root).rglob("*") if path.is_file()]


def assert_nowhere_public(client_for, people, name, original, content, settings):
    # Not a byte of it under MEDIA_ROOT ...
    assert all(path.read_bytes() != content for path in files_under(settings.MEDIA_ROOT))
    # ... so no address a media server could give it answers, whoever asks.
    for user in [None, *people.values()]:
        client = client_for(user)
        for address in public_addresses(name, original):
            assert client.get(address).status_code == 404, (address, user)


def fetch(client_for, user, name):
    return client_for(user).get(reverse("private_file", kwargs={"name": name}))


def test_an_appointment_letter_is_private_and_served_to_whom_the_record_is(client_for, people, settings):
    owner = people["owner"]
    profile = upload_letter_and_photo(client_for(owner), owner.cqo_profile)
    name = profile.appointment_letter.name
    assert Path(settings.PRIVATE_MEDIA_ROOT, name).read_bytes() == LETTER
    assert_nowhere_public(client_for, people, name, "任命书.pdf", LETTER, settings)

    # The file's address on the site is the guarded view, wherever a page or form links it.
    assert profile.appointment_letter.url == reverse("private_file", kwargs={"name": name})
    edit_page = client_for(owner).get(reverse("members:edit")).content.decode()
    assert "/media/" not in edit_page
    assert f'<a href="{profile.appointment_letter.url}">任命书.pdf</a>' in edit_page

    allowed = {"owner", "staff", "regulator"}
    for role, user in people.items():
        response = fetch(client_for, user, name)
        if role in allowed:
            assert response.status_code == 200, role
            assert b"".join(response.streaming_content) == LETTER
            assert "attachment" in response["Content-Disposition"]
            assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
            assert response["X-Content-Type-Options"] == "nosniff"
        else:
            assert response.status_code == 404, role
    # A visitor is asked to sign in, whether or not the file exists.
    assert fetch(client_for, None, name).status_code == 302
    assert fetch(client_for, None, "appointment_letters/1/nothing/here.pdf").status_code == 302


def test_a_filing_keeps_the_letter_private_and_its_page_links_the_guarded_view(client_for, people, settings):
    owner = people["owner"]
    upload_letter_and_photo(client_for(owner), owner.cqo_profile)
    assert client_for(owner).post(reverse("members:submit_filing")).status_code == 302
    filing = Filing.objects.get()
    assert_nowhere_public(client_for, people, filing.letter.name, "任命书.pdf", LETTER, settings)
    letter = reverse("filings:letter", args=[filing.pk])
    assert client_for(people["regulator"]).get(letter).status_code == 200
    assert client_for(people["far_regulator"]).get(letter).status_code == 404
    assert fetch(client_for, people["regulator"], filing.letter.name).status_code == 200
    assert fetch(client_for, people["far_regulator"], filing.letter.name).status_code == 404


def test_warning_evidence_is_served_to_the_cqo_and_those_who_may_warn(client_for, people, settings, make_profile):
    cqo = make_profile(status=ProfileStatus.ACTIVE, real_name="张被警示")
    people = {**people, "owner": cqo.user}
    response = client_for(people["staff"]).post(
        reverse("members:warn", args=[cqo.pk]),
        {"reason": "未按规定履职", "evidence": upload("检查记录.pdf", EVIDENCE)},
    )
    assert response.status_code == 302
    name = CQOWarning.objects.get().evidence.name
    assert name.startswith(f"warning_evidence/{cqo.pk}/")
    assert_nowhere_public(client_for, people, name, "检查记录.pdf", EVIDENCE, settings)

    allowed = {"owner", "staff", "regulator"}
    for role, user in people.items():
        assert fetch(client_for, user, name).status_code == (200 if role in allowed else 404), role
    # The CQO's own profile page links the evidence, through the view.
    page = client_for(cqo.user).get(reverse("members:detail", args=[cqo.pk])).content.decode()
    assert reverse("private_file", kwargs={"name": name}) in page


def test_a_photo_is_shown_only_to_whom_the_card_shows_it(client_for, people, settings, member):
    owner = people["owner"]
    profile = upload_letter_and_photo(client_for(owner), owner.cqo_profile)
    CQOProfile.objects.filter(pk=profile.pk).update(status=ProfileStatus.ACTIVE, photo_audience="members")
    name = profile.photo.name
    photo = Path(settings.PRIVATE_MEDIA_ROOT, name).read_bytes()
    assert_nowhere_public(client_for, people, name, "头像.png", photo, settings)

    response = fetch(client_for, people["member"], name)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png" and "inline" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]
    assert fetch(client_for, None, name).status_code == 404

    # Kept to staff: other members no longer get it, and their pages show the initial instead.
    CQOProfile.objects.filter(pk=profile.pk).update(photo_audience="staff")
    assert fetch(client_for, people["member"], name).status_code == 404
    assert fetch(client_for, people["staff"], name).status_code == 200
    page = client_for(people["member"]).get(reverse("members:detail", args=[profile.pk])).content.decode()
    assert name not in page


@pytest.mark.parametrize(
    "name",
    [
        "appointment_letters/../../etc/passwd",
        "original_images/public.png",  # public folders are not served here
        "unknown_folder/x.pdf",
        "",
    ],
)
def test_the_file_view_refuses_names_outside_its_rules(client_for, staff, name):
    response = client_for(staff).get(f"/files/{name}")
    assert response.status_code == 404


def test_public_folders_stay_public_and_everything_else_is_private(settings):
    image = default_storage.save("original_images/photo.png", upload("photo.png", png_bytes()))
    assert default_storage.url(image) == f"/media/{image}"
    assert Path(settings.MEDIA_ROOT, image).exists()
    later = default_storage.save("some_new_feature/record.pdf", upload("record.pdf", LETTER))
    assert not Path(settings.MEDIA_ROOT, later).exists()
    assert Path(settings.PRIVATE_MEDIA_ROOT, later).read_bytes() == LETTER
    assert default_storage.url(later).startswith("/files/some_new_feature/")


def test_existing_files_move_to_private_storage_under_random_names(people, settings, make_profile):
    """The data migration (0007): public copies go, rows follow, a second run changes nothing."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("alliance_site.migrations.0007_private_files")
    public = storages["public_media"]
    old_letter = public.save("appointment_letters/9/任命书.pdf", upload("任命书.pdf", LETTER))
    old_evidence = public.save("warning_evidence/9/记录.pdf", upload("记录.pdf", EVIDENCE))
    profile = people["owner"].cqo_profile
    CQOProfile.objects.filter(pk=profile.pk).update(appointment_letter=old_letter)
    filing = Filing.objects.create(
        profile=profile,
        enterprise=profile.enterprise,
        position="副总经理",
        letter=old_letter,
        submitted_by=profile.user,
    )
    warned = make_profile(status=ProfileStatus.ACTIVE)
    warning = CQOWarning.objects.create(profile=warned, issued_by=people["staff"], reason="x", evidence=old_evidence)

    migration.move_to_private_storage(apps, None)

    profile.refresh_from_db()
    filing.refresh_from_db()
    warning.refresh_from_db()
    assert profile.appointment_letter.name == filing.letter.name != old_letter
    assert profile.appointment_letter.name.startswith("appointment_letters/9/")
    assert Path(settings.PRIVATE_MEDIA_ROOT, profile.appointment_letter.name).read_bytes() == LETTER
    assert Path(settings.PRIVATE_MEDIA_ROOT, warning.evidence.name).read_bytes() == EVIDENCE
    assert files_under(settings.MEDIA_ROOT) == []

    moved = profile.appointment_letter.name
    migration.move_to_private_storage(apps, None)
    profile.refresh_from_db()
    assert profile.appointment_letter.name == moved


@pytest.mark.parametrize(
    ("server", "header", "expected"),
    [
        ("nginx", "X-Accel-Redirect", "/_private_media/appointment_letters/"),
        ("sendfile", "X-Sendfile", "/private/appointment_letters/"),
    ],
)
def test_the_web_server_in_front_sends_the_file_when_configured(client_for, people, settings, server, header, expected):
    """PRIVATE_MEDIA_SERVER hands the admitted request to nginx or Apache, which read PRIVATE_MEDIA_ROOT."""
    owner = people["owner"]
    name = upload_letter_and_photo(client_for(owner), owner.cqo_profile).appointment_letter.name
    settings.PRIVATE_MEDIA_SERVER = server

    response = fetch(client_for, owner, name)

    assert response.status_code == 200
    assert expected in response[header] and response.content == b""
    assert "attachment" in response["Content-Disposition"] and "private" in response["Cache-Control"]
    assert fetch(client_for, people["member"], name).status_code == 404  # the rule still decides


def test_a_private_bucket_answers_with_a_short_lived_signed_address(client_for, people, monkeypatch):
    """On S3 the admitted request is redirected to the private bucket's signed URL, naming the download."""
    owner = people["owner"]
    name = upload_letter_and_photo(client_for(owner), owner.cqo_profile).appointment_letter.name
    private = storages["private_media"]
    asked = {}

    def no_local_path(stored):
        raise NotImplementedError("a remote storage")

    def signed_url(stored, parameters=None):
        asked.update(name=stored, parameters=parameters)
        return "https://private-bucket.example.cn/x?X-Amz-Expires=300&X-Amz-Signature=abc"

    monkeypatch.setattr(private, "path", no_local_path)
    monkeypatch.setattr(private, "url", signed_url)
    response = fetch(client_for, owner, name)

    assert response.status_code == 302
    assert response["Location"].startswith("https://private-bucket.example.cn/")
    assert asked["name"] == name and "attachment" in asked["parameters"]["ResponseContentDisposition"]
    assert "no-store" in response["Cache-Control"]
    assert fetch(client_for, people["member"], name).status_code == 404

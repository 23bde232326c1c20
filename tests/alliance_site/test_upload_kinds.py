"""What the appointment letter, the photo and warning evidence accept (alliance_site.files.uploads), through the forms.

A real file of each accepted extension is kept; a program or a text file given such a name is refused with a
message naming it, and nothing is saved: no profile, no enterprise, no warning, no file in the storage.
"""

import pytest
from django.test import override_settings
from django.urls import reverse

from alliance_site.models import CQOProfile, CQOWarning, Enterprise, ProfileStatus
from tests.upload_samples import PROGRAM, SAMPLES, TEXT, picture, stored_files

from .helpers import ENGLISH, form_errors_shown, profile_form_data, text, upload


@pytest.fixture
def newcomer(make_user):
    return make_user()


def post_profile(client, regions, **files):
    return client.post(reverse("members:edit"), profile_form_data(regions["zezhou"], **files), headers=ENGLISH)


def assert_profile_refused(response, settings, field, message):
    assert response.status_code == 400
    errors = form_errors_shown(response)
    assert any(message in m for m in errors[field]), errors
    assert not CQOProfile.objects.exists() and not Enterprise.objects.exists()
    assert stored_files(settings) == []


# The appointment letter and the photo (the member's profile form) --------------------------------------------


@pytest.mark.parametrize(
    ("field", "extension"),
    [(f, e) for f in ["appointment_letter"] for e in ["pdf", "jpg", "jpeg", "png"]]
    + [("photo", e) for e in ["jpg", "jpeg", "png", "webp"]],
)
def test_a_real_file_of_each_accepted_extension_is_kept(client_for, newcomer, regions, field, extension):
    response = post_profile(client_for(newcomer), regions, **{field: upload(f"文件.{extension}", SAMPLES[extension])})

    assert response.status_code == 302, form_errors_shown(response)
    stored = getattr(CQOProfile.objects.get(user=newcomer), field)
    assert stored.name.endswith(f".{extension}")  # photos are stored as photo.<extension>
    assert stored.read() == SAMPLES[extension]


@pytest.mark.parametrize("content", [PROGRAM, TEXT], ids=["program", "text"])
@pytest.mark.parametrize("extension", ["pdf", "jpg", "jpeg", "png"])
def test_a_program_or_text_named_as_a_letter_is_refused(client_for, newcomer, regions, settings, extension, content):
    name = f"任命书.{extension}"

    response = post_profile(client_for(newcomer), regions, appointment_letter=upload(name, content))

    message = f"“{name}” was refused: its content is not a real {extension.upper()} file."
    assert_profile_refused(response, settings, "appointment_letter", message)


@pytest.mark.parametrize("extension", ["exe", "txt", "docx", "gif"])
def test_a_letter_of_another_type_is_refused_saying_what_to_send(client_for, newcomer, regions, settings, extension):
    response = post_profile(client_for(newcomer), regions, appointment_letter=upload(f"任命书.{extension}", PROGRAM))

    message = f"files of type “.{extension}” are not allowed. Attach a PDF file or a JPG or PNG image."
    assert_profile_refused(response, settings, "appointment_letter", message)


@pytest.mark.parametrize("content", [PROGRAM, TEXT], ids=["program", "text"])
@pytest.mark.parametrize("extension", ["jpg", "jpeg", "png", "webp"])
def test_a_program_or_text_named_as_a_photo_is_refused(client_for, newcomer, regions, settings, extension, content):
    response = post_profile(client_for(newcomer), regions, photo=upload(f"头像.{extension}", content))

    # The photo's image field opens it first, and says so.
    assert_profile_refused(response, settings, "photo", "Upload a valid image.")


@pytest.mark.parametrize(("name", "format_"), [("头像.png", "JPEG"), ("头像.jpg", "PNG"), ("头像.png", "GIF")])
def test_a_photo_must_be_of_the_kind_its_extension_names(client_for, newcomer, regions, settings, name, format_):
    response = post_profile(client_for(newcomer), regions, photo=upload(name, picture(format_)))

    kind = name.rsplit(".", 1)[1].upper()
    assert_profile_refused(response, settings, "photo", f"“{name}” was refused: its content is not a real {kind} file.")


def test_a_photo_of_another_type_is_refused_saying_what_to_send(client_for, newcomer, regions, settings):
    response = post_profile(client_for(newcomer), regions, photo=upload("头像.bmp", picture("BMP")))

    message = "files of type “.bmp” are not allowed. Attach a JPG, PNG or WebP picture."
    assert_profile_refused(response, settings, "photo", message)


@override_settings(CQO_UPLOAD_MAX_BYTES=100)
@pytest.mark.parametrize(("field", "extension"), [("appointment_letter", "jpg"), ("photo", "webp")])
def test_a_too_large_letter_or_photo_is_refused_with_the_size(
    client_for, newcomer, regions, settings, field, extension
):
    content = SAMPLES[extension] + b"\x00" * 200
    name = f"文件.{extension}"

    response = post_profile(client_for(newcomer), regions, **{field: upload(name, content)})

    message = f"“{name}” was refused: it is too large ({len(content)}\xa0bytes); each file may be at most 100\xa0bytes."
    assert_profile_refused(response, settings, field, message)


def test_files_already_stored_are_not_checked_again_when_the_profile_is_edited(client_for, make_profile, settings):
    """They were checked when sent; a limit lowered since must not keep the member from editing the rest."""
    profile = make_profile(status=ProfileStatus.APPLICANT)
    profile.appointment_letter = upload("任命书.pdf", SAMPLES["pdf"] + b"\x00" * 200)
    profile.save()
    settings.CQO_UPLOAD_MAX_BYTES = 100
    data = profile_form_data(
        profile.enterprise.county,
        credit_code=profile.enterprise.credit_code,
        real_name=profile.real_name,
        position="质量总监",
    )

    response = client_for(profile.user).post(reverse("members:edit"), data, headers=ENGLISH)

    assert response.status_code == 302, form_errors_shown(response)
    profile.refresh_from_db()
    assert profile.position == "质量总监" and profile.appointment_letter.name.endswith("任命书.pdf")


# Warning evidence (staff warn a CQO) -------------------------------------------------------------------------


@pytest.fixture
def cqo(make_profile):
    return make_profile(status=ProfileStatus.ACTIVE)


@pytest.fixture
def staff_client(client_for, staff):
    return client_for(staff)


def warn(client, profile, evidence):
    url = reverse("members:warn", args=[profile.pk])
    return client.post(url, {"reason": "未按规定履职", "evidence": evidence}, headers=ENGLISH)


@pytest.mark.parametrize("extension", ["pdf", "jpg", "jpeg", "png"])
def test_real_evidence_of_each_accepted_extension_is_kept(staff_client, cqo, extension):
    response = warn(staff_client, cqo, upload(f"证据.{extension}", SAMPLES[extension]))

    assert response.status_code == 302
    evidence = CQOWarning.objects.get(profile=cqo).evidence
    assert evidence.name.endswith(f"/证据.{extension}") and evidence.read() == SAMPLES[extension]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("证据.pdf", PROGRAM, "“证据.pdf” was refused: its content is not a real PDF file."),
        ("证据.png", TEXT, "“证据.png” was refused: its content is not a real PNG file."),
        ("证据.jpg", SAMPLES["pdf"], "“证据.jpg” was refused: its content is not a real JPG file."),
        ("证据.exe", PROGRAM, "files of type “.exe” are not allowed. Attach a PDF file or a JPG or PNG image."),
        ("证据.txt", TEXT, "files of type “.txt” are not allowed."),
    ],
)
def test_evidence_that_is_not_what_it_says_is_refused(staff_client, cqo, settings, name, content, message):
    response = warn(staff_client, cqo, upload(name, content))

    assert response.status_code == 400
    assert message in text(response)
    assert not CQOWarning.objects.exists() and CQOProfile.objects.get(pk=cqo.pk).status == ProfileStatus.ACTIVE
    assert stored_files(settings) == []


@override_settings(CQO_UPLOAD_MAX_BYTES=100)
def test_too_large_evidence_is_refused_with_the_size(staff_client, cqo, settings):
    response = warn(staff_client, cqo, upload("证据.pdf", SAMPLES["pdf"] + b"0" * 200))

    assert response.status_code == 400
    assert "“证据.pdf” was refused: it is too large" in text(response)
    assert "each file may be at most 100\xa0bytes" in text(response)
    assert not CQOWarning.objects.exists()
    assert stored_files(settings) == []

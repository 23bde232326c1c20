"""Media on S3-compatible storage, as README "Deployment" documents it, against an S3 of moto's.

The storages are the production settings' own, read in a fresh interpreter with the documented variables
(AWS_STORAGE_BUCKET_NAME, AWS_PRIVATE_STORAGE_BUCKET_NAME): a private upload lands in the private bucket only,
without a public grant, and the site hands it out only to whom its rule admits, as a signed address that expires
in five minutes; Wagtail's images go to the public bucket.
"""

import json
from urllib.parse import parse_qs, unquote, urlsplit

import boto3
import pytest
from django.core.files.images import ImageFile
from django.test import Client
from django.urls import reverse
from moto import mock_aws
from wagtail.images import get_image_model

from .helpers import png_bytes
from .test_private_files import LETTER, fetch, people, upload_letter_and_photo  # noqa: F401 (people: a fixture)
from .test_settings_and_i18n import LOCAL_VARIABLES, PRODUCTION_ENV, run_python

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.alliance_site.media_served_urls")]

PUBLIC_BUCKET, PRIVATE_BUCKET = "cqo-media", "cqo-private"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


def production_media_storages():
    """settings.STORAGES' media entries as the production settings make them with the S3 variables set."""
    import os

    env = {key: value for key, value in os.environ.items() if key not in LOCAL_VARIABLES}
    env.update(PRODUCTION_ENV, AWS_STORAGE_BUCKET_NAME=PUBLIC_BUCKET, AWS_PRIVATE_STORAGE_BUCKET_NAME=PRIVATE_BUCKET)
    code = (
        "import json, alliance_site.settings.production as s; "
        "print(json.dumps({name: s.STORAGES[name] for name in ('public_media', 'private_media')}))"
    )
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def s3(settings, monkeypatch):
    """The production S3 storages, on moto's S3 with both buckets made; yields a boto3 client to look inside."""
    media = production_media_storages()
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET):
            client.create_bucket(Bucket=bucket)
        settings.STORAGES = {**settings.STORAGES, **media}
        yield client


def keys(client, bucket):
    return [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_a_private_upload_is_in_the_private_bucket_only_and_handed_out_signed(s3, client_for, people):  # noqa: F811
    owner = people["owner"]
    profile = upload_letter_and_photo(client_for(owner), owner.cqo_profile)
    letter, photo = profile.appointment_letter.name, profile.photo.name

    assert sorted(keys(s3, PRIVATE_BUCKET)) == sorted([letter, photo])
    assert keys(s3, PUBLIC_BUCKET) == []
    assert s3.get_object(Bucket=PRIVATE_BUCKET, Key=letter)["Body"].read() == LETTER
    grants = s3.get_object_acl(Bucket=PRIVATE_BUCKET, Key=letter)["Grants"]
    assert [grant["Grantee"].get("URI") for grant in grants if grant["Grantee"].get("URI")] == []  # no public grant

    response = fetch(client_for, owner, letter)
    assert response.status_code == 302
    address = urlsplit(response["Location"])
    query = parse_qs(address.query)
    assert PRIVATE_BUCKET in address.netloc + address.path and unquote(address.path).endswith(letter)
    assert query["X-Amz-Expires"] == ["300"] and query["X-Amz-Signature"]
    assert "attachment" in query["response-content-disposition"][0]
    assert "no-store" in response["Cache-Control"]

    assert fetch(client_for, people["member"], letter).status_code == 404  # the file's rule still decides
    visitor = Client().get(reverse("private_file", kwargs={"name": letter}))
    assert visitor.status_code in (302, 404) and PRIVATE_BUCKET not in visitor.get("Location", "")


def test_wagtail_images_go_to_the_public_bucket(s3):
    image = get_image_model().objects.create(title="车间", file=ImageFile(png_bytes_file(), name="车间.png"))

    assert keys(s3, PUBLIC_BUCKET) == [image.file.name]
    assert keys(s3, PRIVATE_BUCKET) == []
    assert image.file.name.startswith("original_images/")


def png_bytes_file():
    import io

    return io.BytesIO(png_bytes())

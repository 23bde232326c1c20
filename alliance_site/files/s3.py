"""The private bucket on S3-compatible storage (django-storages, installed with the `s3` extra)."""

from storages.backends.s3 import S3Storage

from alliance_site.files.storage import randomised_name


class PrivateS3Storage(S3Storage):
    """Random names as on local disk; the bucket's settings (production.py) keep it private and URLs signed."""

    def get_available_name(self, name, max_length=None):
        return randomised_name(name, max_length)

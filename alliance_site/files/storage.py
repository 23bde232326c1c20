"""The default storage routes each upload to public or private storage by its top folder.

Routing in the default storage, rather than a `storage=` argument on each field, is what makes files private by
default: Wagtail's documents use the default storage and their model cannot take another without replacing
Wagtail's document model, and a field added later is private unless someone decides otherwise.
"""

import os
import secrets

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


def top_folder(name):
    return str(name).replace("\\", "/").lstrip("/").split("/", 1)[0]


def is_private_name(name):
    return top_folder(name) not in settings.PUBLIC_MEDIA_FOLDERS


def randomised_name(name, max_length=None):
    """`folder/…/<random>/<file name>`: an unguessable stored name that keeps the uploader's file name for the
    download. The random part (128 bits) is what a leaked or guessed path cannot have."""
    directory, basename = os.path.split(str(name).replace("\\", "/"))
    token = secrets.token_urlsafe(16)
    candidate = "/".join(part for part in (directory, token, basename) if part)
    if max_length is not None and len(candidate) > max_length:
        stem, extension = os.path.splitext(basename)
        room = len(stem) - (len(candidate) - max_length)
        if room < 1:
            raise SuspiciousFileOperation(f"No name of at most {max_length} characters can hold {name!r}.")
        candidate = "/".join(part for part in (directory, token, stem[:room] + extension) if part)
    return candidate


@deconstructible
class PrivateFileSystemStorage(FileSystemStorage):
    """Files on local disk under PRIVATE_MEDIA_ROOT, which must lie outside MEDIA_ROOT; they have no URL."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @cached_property
    def base_url(self):
        return None  # url() raises: a private file is reached through a view only

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def get_available_name(self, name, max_length=None):
        # Each upload gets its own random folder, so the name is free; try again on the rare collision.
        for _attempt in range(10):
            candidate = randomised_name(name, max_length)
            if not self.exists(candidate):
                return candidate
        raise SuspiciousFileOperation(f"Storage cannot find an available name for {name!r}.")


@deconstructible
class SiteMediaStorage(Storage):
    """The default storage: public media for settings.PUBLIC_MEDIA_FOLDERS, private storage for the rest.

    The two are the storages named "public_media" and "private_media" in settings.STORAGES (local disk on one
    machine; two S3 buckets beyond it, the private one handing out short-lived signed URLs).
    """

    @property
    def public(self):
        return storages["public_media"]

    @property
    def private(self):
        return storages["private_media"]

    def backend_for(self, name):
        return self.private if is_private_name(name) else self.public

    def save(self, name, content, max_length=None):
        return self.backend_for(name).save(name, content, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend_for(filename).generate_filename(filename)

    def get_valid_name(self, name):
        return self.public.get_valid_name(name)

    def get_available_name(self, name, max_length=None):
        return self.backend_for(name).get_available_name(name, max_length=max_length)

    def _open(self, name, mode="rb"):
        return self.backend_for(name).open(name, mode)

    def path(self, name):
        return self.backend_for(name).path(name)

    def delete(self, name):
        return self.backend_for(name).delete(name)

    def exists(self, name):
        return self.backend_for(name).exists(name)

    def listdir(self, path):
        return self.backend_for(path).listdir(path)

    def size(self, name):
        return self.backend_for(name).size(name)

    def get_accessed_time(self, name):
        return self.backend_for(name).get_accessed_time(name)

    def get_created_time(self, name):
        return self.backend_for(name).get_created_time(name)

    def get_modified_time(self, name):
        return self.backend_for(name).get_modified_time(name)

    def url(self, name):
        """A public file's media URL; for a private file, the address of the view that checks who asks."""
        if is_private_name(name):
            return reverse("private_file", kwargs={"name": str(name).replace("\\", "/")})
        return self.public.url(name)

import os

from django import forms


class StoredFile:
    """A stored file as a form shows it: by the uploader's file name, linked to the view that guards it."""

    def __init__(self, file):
        self.url = file.url
        self.name = os.path.basename(file.name)

    def __str__(self):
        return self.name


class PrivateFileInput(forms.ClearableFileInput):
    """Django's file input, naming the current file without the random folder it is stored in."""

    def format_value(self, value):
        value = super().format_value(value)
        return StoredFile(value) if value and self.is_initial(value) else value

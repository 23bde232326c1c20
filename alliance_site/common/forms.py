"""Form fields every app's forms share."""

from django import forms

from alliance_site.common import mail


class OneLineCharField(forms.CharField):
    """A title or a name: one line, whatever was sent. A line break in it would break the e-mail subjects and
    headers it ends up in, Wagtail's own notifications included, and no one means one in a title."""

    def to_python(self, value):
        return mail.one_line(super().to_python(value))

from django import template
from django.utils.html import format_html

from alliance_site.common.submit_once import FIELD, new_token

register = template.Library()


@register.simple_tag
def submission_token():
    """A hidden one-time token for a form that does something, so that a double click does it once."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())

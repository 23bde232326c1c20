"""The site's form renderer: Django's field groups ({{ form.x.as_field_group }}) in the site's markup."""

from django.forms.renderers import TemplatesSetting


class SiteFormRenderer(TemplatesSetting):
    """Renders forms with the project's template engine (TEMPLATES), so the field template lives in templates/.

    Django's own widget templates come from the "django.forms" app (INSTALLED_APPS), unchanged.
    """

    # Label, required marker, help text and errors, with the ids the widget's aria-describedby names.
    field_template_name = "includes/field_group.html"

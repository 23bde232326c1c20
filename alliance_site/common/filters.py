"""The lists' filters as django-filter FilterSets, reading the query string as the lists always read it.

Each value is stripped and cut to a length (a long value is cut, not refused); a value a filter cannot use is
dropped, so the list shows as without it and the form shows it unset: a bookmark or a hand-edited address never
gets an error page. The form's fields keep the ids the templates always had (`f-<name>`).
"""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils.http import urlencode
from django_filters.fields import MultipleChoiceField

# ASCII digits only: str.isdigit() and int() also take "²", "١٢" and "１２", which no form of ours sends.
ascii_digits = RegexValidator(r"\A[0-9]+\Z")


class FilterForm(forms.Form):
    """The form of a list's filters: `f-<name>` ids, labels without a colon, and no errors (see full_clean)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "f-%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self._errors:
            # Drop what cannot be used and read the rest again: the form is valid, shows the dropped filters
            # unset, as applied, and marks no field invalid (a filter's value is not the user's mistake to fix).
            self.data = self.data.copy()
            for name in self._errors:
                self.data.setlist(self.add_prefix(name), [])
            super().full_clean()


class IntegerField(forms.IntegerField):
    """An integer in ASCII digits: forms.IntegerField also reads "２０２４", " 7" and "2024.0"."""

    def to_python(self, value):
        if value not in self.empty_values:
            ascii_digits(str(value))
        return super().to_python(value)


class IntegerFilter(django_filters.Filter):
    field_class = IntegerField


class KnownChoicesField(MultipleChoiceField):
    """Several choices, keeping the known ones: `?offers=mentoring&offers=flying` is `?offers=mentoring`."""

    def clean(self, value):
        return super().clean([choice for choice in value or [] if self.valid_value(choice)])


class KnownChoicesFilter(django_filters.MultipleChoiceFilter):
    field_class = KnownChoicesField


class ListFilterSet(django_filters.FilterSet):
    """A FilterSet over a list's query string; `applied()` and `query_string()` give the filters as used."""

    max_length = 50  # each value is cut to this many characters before it is read

    class Meta:
        form = FilterForm

    def __init__(self, data, queryset, *, request=None):
        data = data.copy()  # a request's QueryDict is immutable
        for name in self.base_filters:
            if name in data:
                data.setlist(name, [value.strip()[: self.max_length] for value in data.getlist(name)])
        super().__init__(data, queryset, request=request)

    def offer(self, name, choices, empty_label):
        """Offer `choices` (computed for the request, often cached) in the filter's select, after `empty_label`.

        A ChoiceFilter then accepts only these; a free-text filter shown as a select still takes any value
        (an unknown one matches nothing)."""
        filter_ = self.filters[name]
        filter_.__dict__.pop("_field", None)  # built from `extra` when first asked for
        if isinstance(filter_, django_filters.ChoiceFilter):
            filter_.extra.update(choices=choices, empty_label=empty_label)
        else:
            filter_.extra["widget"] = forms.Select(choices=[("", empty_label), *choices])

    def applied(self):
        """{name: the value as given, or "" where none was or it was dropped}; [values] for a multiple filter."""
        form = self.form
        form.is_valid()  # reads the data, dropping what cannot be used
        return {
            name: list(form.cleaned_data.get(name) or [])
            if isinstance(filter_, django_filters.MultipleChoiceFilter)
            else form.data.get(name, "")
            for name, filter_ in self.filters.items()
        }

    def query_string(self):
        """The applied filters as "key=value&…&", to put before the page number in the links that turn a page."""
        pairs = [(name, value) for name, value in self.applied().items() if value]
        return urlencode(pairs, doseq=True) + "&" if pairs else ""

"""Numbers from people (query strings, form posts, addresses), read strictly: ASCII digits, within range.

`str.isdigit()` is true for "²" and "١٢", which `int()` then refuses or reads as 12; `int()` also takes "１２",
" 7" and "1_000". None of these is a test that a text names a row. And the databases hold at most a signed 64-bit
integer: SQLite raises OverflowError for a larger one, so a typed id of 2^63 was a 500 wherever it reached a query.
"""

import re

from django.core.exceptions import EmptyResultSet, FieldError
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In

MAX_ID = 2**63 - 1  # the largest key SQLite and PostgreSQL (bigint) store
NUMBER = re.compile(r"-?[0-9]{1,30}")  # the length keeps int() far from its 4300-digit limit


def parse_int(text, *, minimum, maximum, default=None):
    """The integer `text` spells in ASCII digits (a leading minus allowed) if within minimum..maximum, else
    `default`."""
    if not isinstance(text, str) or not NUMBER.fullmatch(text):
        return default
    value = int(text)
    return value if minimum <= value <= maximum else default


def parse_id(text, default=None):
    """A row's id as typed: ASCII digits within 1..2^63−1, else `default`."""
    return parse_int(text, minimum=1, maximum=MAX_ID, default=default)


def parse_ids(texts):
    """The ids among `texts`, in their order; anything else is left out."""
    return [value for value in (parse_id(text) for text in texts) if value is not None]


def is_id(value):
    """Whether a number from an address (an `int` converter) can be a row's id."""
    return 1 <= value <= MAX_ID


def beyond_any_id(text):
    """Whether an address part made only of digits cannot be any row's id: digits of another script, or a number
    above 2^63−1. A regex pattern's `(\\d+)` matches every script's digits, and views call int() on them."""
    if not text.isdigit():
        return False
    return not text.isascii() or len(text.lstrip("0")) > len(str(MAX_ID)) or int(text) > MAX_ID


class WithinColumnRange:
    """A lookup on an integer column (or a relation to one) where a value the column cannot hold matches nothing,
    as Django's own exact and comparison lookups on integer fields already do, instead of reaching the driver:
    SQLite raises OverflowError for 2^63. ModelChoiceField and ModelMultipleChoiceField (the site's forms, and
    django-filter's in the admin's listings) put typed ids straight into `pk=` and `pk__in=`, and the key of a page
    type is a relation to wagtailcore's page: one id of 2^63 was a 500, not "not one of the available choices"."""

    def column_range(self, connection):
        field = self.lhs.output_field
        try:
            while field.is_relation:
                field = field.target_field
            if isinstance(field, IntegerField):
                return connection.ops.integer_field_range(field.get_internal_type())
        except (AttributeError, FieldError, KeyError):  # a relation over several columns, a custom integer type
            pass
        return None, None


class InIntegerRange(WithinColumnRange, In):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            self.rhs = [value for value in self.rhs if fits(value, *self.column_range(connection))]
        return super().process_rhs(compiler, connection)


class RelatedInIntegerRange(WithinColumnRange, RelatedIn):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            self.rhs = [value for value in self.rhs if fits(value, *self.column_range(connection))]
        return super().process_rhs(compiler, connection)


class RelatedExactIntegerRange(WithinColumnRange, RelatedExact):
    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value() and not fits(self.rhs, *self.column_range(connection)):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def fits(value, low, high):
    if not isinstance(value, int):
        return True
    return (low is None or low <= value) and (high is None or value <= high)


def register_lookups():
    """Called once from AllianceSiteConfig.ready()."""
    IntegerField.register_lookup(InIntegerRange)
    ForeignObject.register_lookup(RelatedInIntegerRange)
    ForeignObject.register_lookup(RelatedExactIntegerRange)

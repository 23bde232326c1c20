"""The unified social credit code (统一社会信用代码) of GB 32100-2015.

Eighteen characters: registration authority (1), organisation type (1), administrative division (6),
organisation code (9) and a check character computed over the first seventeen.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# The 31 characters the standard allows: digits and capitals without I, O, Z, S and V.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def normalise(code):
    """Upper-case and strip, so that a code typed in lower case or with spaces is accepted."""
    return "".join((code or "").split()).upper()


def check_character(first17):
    """The 18th character for the given first 17 characters."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value):
    code = normalise(value)
    if len(code) != LENGTH:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="length",
            params={"count": len(code)},
        )
    bad = sorted({char for char in code if char not in ALPHABET})
    if bad:
        raise ValidationError(
            _("A unified social credit code cannot contain %(chars)s (I, O, Z, S and V are never used)."),
            code="characters",
            params={"chars": "、".join(bad)},
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _(
                "The check character of this unified social credit code is wrong: by GB 32100-2015 "
                "it should be %(expected)s, not %(given)s. Please check the code for a typing error."
            ),
            code="checksum",
            params={"expected": expected, "given": code[17]},
        )


class CreditCodeField(models.CharField):
    """A credit code, normalised (upper case, no spaces) before it is validated or compared for uniqueness."""

    default_validators = [validate_credit_code]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", LENGTH)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalise(value) if value is not None else value

    def pre_save(self, model_instance, add):
        value = normalise(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


def make_credit_code(division, serial, *, authority="9", kind="1"):
    """A valid code for demo data: a company (91) in `division` with a made-up organisation code."""
    org = f"MA{serial:07d}"[:9]
    first17 = f"{authority}{kind}{division}{org}"
    return first17 + check_character(first17)

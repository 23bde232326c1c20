"""The unified social credit code (GB 32100-2015): the check, the model, and the member's profile form."""

import random

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from alliance_site.enterprises.credit_code import check_character, make_credit_code, normalise, validate_credit_code
from alliance_site.models import CQOProfile, Enterprise

from .helpers import ENGLISH, profile_form_data, text

# Codes in the real format, with check characters worked out by hand from the standard's weights.
REAL_CODES = ["91350100M000100Y43", "911101080828461726", "91440300708461136T"]


def refusal(code):
    """The validator's error for `code`: its code, and its message in English."""
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            validate_credit_code(code)
        # Messages are formatted when read, in the language active then.
        return caught.value.code, caught.value.messages[0]


def with_char(code, position, char):
    return code[:position] + char + code[position + 1 :]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code):
    validate_credit_code(code)


def test_check_character_worked_by_hand():
    # 9·1 + 1·3 + 3·9 + 5·27 + 0·19 + 1·26 + 0·16 + 0·17 + M(21)·20 + 0·29 + 0·25 + 0·13 + 1·8 + 0·24 + 0·10
    # + Y(30)·30 + 4·28 = 1640; 1640 mod 31 = 28; 31 − 28 = 3.
    assert check_character("91350100M000100Y4") == "3"


STANDARD_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def check_character_by_the_standard(first17):
    """GB 32100-2015 written differently: the weight of position i is 3^i mod 31."""
    total = sum(STANDARD_ALPHABET.index(char) * pow(3, i, 31) for i, char in enumerate(first17))
    return STANDARD_ALPHABET[-total % 31]


def test_check_character_agrees_with_the_standard_on_many_codes():
    rng = random.Random(32100)
    samples = ["".join(rng.choice(STANDARD_ALPHABET) for _ in range(17)) for _ in range(2000)]
    # Include codes whose weighted sum is a multiple of 31, whose check character is 0.
    zero_sum = [code for code in samples if check_character_by_the_standard(code) == "0"]
    assert zero_sum

    for first17 in samples:
        assert check_character(first17) == check_character_by_the_standard(first17), first17
        validate_credit_code(first17 + check_character_by_the_standard(first17))


@pytest.mark.parametrize("serial", [1, 2, 42, 999, 1_234_567])
@pytest.mark.parametrize("division", ["140525", "140100", "110108"])
def test_made_codes_are_valid(division, serial):
    code = make_credit_code(division, serial)

    assert len(code) == 18
    assert code[2:8] == division
    validate_credit_code(code)


def test_made_codes_differ_by_serial():
    assert len({make_credit_code("140525", serial) for serial in range(1, 200)}) == 199


@pytest.mark.parametrize("code", ["91350100M000100Y4", "91350100M000100Y433", "", "9135"])
def test_wrong_length_is_refused(code):
    error_code, message = refusal(code)

    assert error_code == "length"
    assert f"this one has {len(code)}" in message


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
def test_letters_the_standard_never_uses_are_refused(letter):
    error_code, message = refusal(with_char(REAL_CODES[0], 10, letter))

    assert error_code == "characters"
    assert f"cannot contain {letter} " in message


@pytest.mark.parametrize("char", ["-", "#", "中"])
def test_punctuation_and_other_characters_are_refused(char):
    assert refusal(with_char(REAL_CODES[1], 5, char))[0] == "characters"


@pytest.mark.parametrize(
    ("code", "expected"),
    [("91350100M000100Y44", "3"), ("911101080828461720", "6"), ("91440300708461136U", "T")],
)
def test_wrong_check_character_names_the_expected_one(code, expected):
    error_code, message = refusal(code)

    assert error_code == "checksum"
    assert f"it should be {expected}, not {code[-1]}" in message


def test_a_single_typing_error_in_the_body_is_caught():
    assert refusal(with_char(REAL_CODES[0], 12, "2"))[0] == "checksum"


@pytest.mark.parametrize(
    "typed", ["91350100m000100y43", " 91350100M000100Y43 ", "9135 0100 M000 100Y 43", "91440300708461136t"]
)
def test_lower_case_and_spaces_are_normalised(typed):
    validate_credit_code(typed)
    assert normalise(typed) in REAL_CODES


# The model ------------------------------------------------------------------------------------------------


def test_enterprise_full_clean_refuses_an_invalid_code(regions):
    enterprise = Enterprise(
        name="错误代码企业", credit_code="91350100M000100Y44", county=regions["zezhou"], industry="C", size="medium"
    )

    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            enterprise.full_clean()
        errors = caught.value.message_dict

    assert "it should be 3, not 4" in errors["credit_code"][0]


def test_enterprise_full_clean_accepts_a_valid_code(regions):
    Enterprise(
        name="正确代码企业", credit_code=REAL_CODES[2], county=regions["zezhou"], industry="C", size="medium"
    ).full_clean()


def test_enterprise_stores_the_normalised_code(regions):
    enterprise = Enterprise.objects.create(
        name="小写输入企业", credit_code="9135 0100 m000 100y43", county=regions["zezhou"], industry="C", size="medium"
    )

    enterprise.refresh_from_db()
    assert enterprise.credit_code == "91350100M000100Y43"


# The member's profile form on the site ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y44", "it should be 3, not 4"),
        ("91350100M000100Y4", "this one has 17"),
        ("91350100M0001O0Y43", "cannot contain O"),
    ],
)
def test_profile_form_refuses_an_invalid_code(client_for, make_user, regions, code, message):
    client = client_for(make_user())

    response = client.post(
        reverse("members:edit"), profile_form_data(regions["zezhou"], credit_code=code), headers=ENGLISH
    )

    assert response.status_code == 400
    assert message in text(response)
    assert not Enterprise.objects.exists()
    assert not CQOProfile.objects.exists()


def test_profile_form_shows_the_code_message_in_chinese_by_default(client_for, make_user, regions):
    client = client_for(make_user())
    with translation.override("zh-hans"):
        expected = refusal_in_current_language("91350100M000100Y44")

    response = client.post(
        reverse("members:edit"), profile_form_data(regions["zezhou"], credit_code="91350100M000100Y44")
    )

    assert response.status_code == 400
    assert escape(expected) in text(response)
    assert not CQOProfile.objects.exists()


def refusal_in_current_language(code):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    return caught.value.messages[0]


def test_profile_form_accepts_a_lower_case_code_and_stores_it_normalised(client_for, make_user, regions):
    user = make_user()

    response = client_for(user).post(
        reverse("members:edit"), profile_form_data(regions["zezhou"], credit_code="91350100m000100y43")
    )

    assert response.status_code == 302
    assert CQOProfile.objects.get(user=user).enterprise.credit_code == "91350100M000100Y43"

import pytest

from accounts.services import temporary_password
from accounts.usernames import romanise_hangul, unique_usernames, username_base


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Zoë Smith", "zoe.smith"),
        ("김민준", "gimminjun"),
        ("박 서연", "bak.seoyeon"),
        ("Seán O'Brien", "sean.obrien"),
        ("Ærøskøbing Straße", "aeroskobing.strasse"),
        ("Дмитрий", "student"),
        ("12", "student12"),
        ("Maximiliana Wolfeschlegelstein", "maximiliana.wolfesch"),
    ],
)
def test_username_base_is_readable_lower_case_ascii(name, expected):
    assert username_base(name) == expected


def test_hangul_is_romanised_syllable_by_syllable():
    assert romanise_hangul("한국") == "hanguk"
    assert romanise_hangul("서울") == "seoul"


def test_unique_usernames_number_repeats_and_avoid_taken_names_in_any_case():
    assert unique_usernames(["zoe", "zoe", "ana"], {"ZOE"}) == ["zoe2", "zoe3", "ana"]


def test_temporary_passwords_are_two_different_words_and_two_digits():
    for _ in range(50):
        first, second, digits = temporary_password().split("-")
        assert first != second
        assert first.isalpha() and second.isalpha()
        assert digits.isdigit() and len(digits) == 2

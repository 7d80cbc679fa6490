"""PRC resident ID numbers: what a clerk typing one sees accepted or refused, and why."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop import idcard

# The example printed in GB 11643-1999 itself: a woman born 1949-12-31, checksum X.
PUBLISHED = "11010519491231002X"


def with_checksum(first17: str) -> str:
    return first17 + idcard.check_char(first17)


def test_the_published_example_is_valid_female_born_1949_12_31():
    info = idcard.parse(PUBLISHED)
    assert info.number == PUBLISHED
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.gender == "F"


def test_a_lower_case_x_and_surrounding_spaces_are_accepted():
    assert idcard.parse("  11010519491231002x ").number == PUBLISHED


def test_the_17th_digit_decides_the_gender():
    man = with_checksum("31010119900307001")  # 17th digit 1: odd
    woman = with_checksum("31010119900307002")  # 17th digit 2: even
    assert idcard.parse(man).gender == "M"
    assert idcard.parse(woman).gender == "F"
    assert idcard.parse(man).birth_date == dt.date(1990, 3, 7)


def test_the_checksum_is_the_weighted_sum_mod_11():
    assert idcard.check_char(PUBLISHED[:17]) == "X"
    # Each of the 11 remainders maps to its check character.
    weighted = sum(int(c) * w for c, w in zip(PUBLISHED[:17], idcard.WEIGHTS, strict=True))
    assert weighted % 11 == 2 and idcard.CHECK_CHARS[2] == "X"


@pytest.mark.parametrize("wrong", ["0", "1", "9"])
def test_a_wrong_checksum_is_refused_saying_what_was_expected(wrong):
    with pytest.raises(idcard.InvalidIdNumber, match="checksum") as err:
        idcard.parse(PUBLISHED[:17] + wrong)
    assert "expected X" in str(err.value)


def test_one_mistyped_digit_is_caught_by_the_checksum():
    mistyped = PUBLISHED[:8] + "5" + PUBLISHED[9:]  # 1949 -> 1959
    with pytest.raises(idcard.InvalidIdNumber, match="checksum"):
        idcard.parse(mistyped)


@pytest.mark.parametrize("number", ["", "11010519491231002", "11010519491231002X1",
                                    "110105194912310"])
def test_a_wrong_length_is_refused_with_the_length(number):
    with pytest.raises(idcard.InvalidIdNumber, match="18 characters") as err:
        idcard.parse(number)
    assert f"got {len(number)}" in str(err.value)


@pytest.mark.parametrize("number", ["1101051949123100AX", "A1010519491231002X",
                                    "11010519491231002Y", "01010519491231002X"])
def test_letters_or_a_leading_zero_are_refused(number):
    with pytest.raises(idcard.InvalidIdNumber, match="17 digits followed by a digit or X"):
        idcard.parse(number)


@pytest.mark.parametrize("date", ["19900230", "19901301", "19900001", "19890229"])
def test_an_impossible_birth_date_is_refused_even_with_a_right_checksum(date):
    with pytest.raises(idcard.InvalidIdNumber, match=f"birth date {date} is not a real date"):
        idcard.parse(with_checksum(f"310101{date}001"))


def test_a_leap_day_is_a_real_date():
    assert idcard.parse(with_checksum("31010120000229001")).birth_date == dt.date(2000, 2, 29)


def test_a_future_birth_date_is_refused():
    today = dt.date(2026, 6, 1)
    number = with_checksum("31010120260602001")
    with pytest.raises(idcard.InvalidIdNumber, match="birth date 2026-06-02 is out of range"):
        idcard.parse(number, today=today)
    assert idcard.parse(number, today=dt.date(2026, 6, 2)).birth_date == dt.date(2026, 6, 2)


def test_a_birth_year_before_1900_is_refused():
    with pytest.raises(idcard.InvalidIdNumber, match="out of range"):
        idcard.parse(with_checksum("31010118991231001"))


def test_make_always_produces_parseable_numbers_with_the_asked_gender_and_birth_date():
    start = dt.date(1940, 1, 1)
    for i in range(0, 3000, 7):
        birth = start + dt.timedelta(days=9 * i)
        gender = "M" if i % 3 else "F"
        number = idcard.make("440305", birth, i, gender)
        info = idcard.parse(number)
        assert (info.birth_date, info.gender) == (birth, gender), number
        assert number.startswith("440305")

"""The unified social credit code check (GB 32100-2015) that guards enterprises.ent_id."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.creditcode import ALPHABET, WEIGHTS, check_character, is_valid, problem

# Published codes of well-known companies (business licences are public).
REAL_CODES = [
    "91110000710925462X",  # 中国石油天然气股份有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91330100799655058B",  # 阿里巴巴（中国）有限公司
    "914403001922038216",  # 华为技术有限公司
]

prefixes = st.text(alphabet=ALPHABET, min_size=17, max_size=17)


def test_weights_are_powers_of_three_mod_31():
    assert WEIGHTS[:6] == (1, 3, 9, 27, 19, 26)  # 27·3 = 81 = 2·31 + 19; 19·3 = 57 = 31 + 26


def test_check_character_worked_by_hand():
    # 9 1 1 1 0 0 0 0 7 1 0 9 2 5 4 6 2 against weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
    # 9 + 3 + 9 + 27 + 0 + 0 + 0 + 0 + 140 + 29 + 0 + 117 + 16 + 120 + 40 + 180 + 56 = 746;
    # 746 mod 31 = 2 (744 = 24·31); 31 − 2 = 29; ALPHABET[29] = "X".
    assert check_character("91110000710925462") == "X"


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code):
    assert problem(code) is None
    assert is_valid(code)


@pytest.mark.parametrize("code, fragment", [
    ("91110000710925462", "应为18位，实际为17位"),
    ("91110000710925462XX", "应为18位，实际为19位"),
    ("9111000071092546OX", "非法字符“O”"),
    ("91110000710925462x", "非法字符“x”"),
    ("91110000710925462Y", "校验位错误：应为“X”，实际为“Y”"),
])
def test_problems_are_explained_in_chinese(code, fragment):
    assert fragment in problem(code)


@settings(max_examples=300, deadline=None)
@given(prefixes)
def test_prefix_plus_check_character_is_valid(prefix):
    assert problem(prefix + check_character(prefix)) is None


@settings(max_examples=300, deadline=None)
@given(prefixes, st.integers(0, 17), st.sampled_from(ALPHABET))
def test_any_single_character_change_is_detected(prefix, position, replacement):
    # Changing one character by d changes the weighted sum by w·d, w a power of 3 and
    # 0 < |d| < 31; 31 is prime, so the sum mod 31 always moves and the check fails.
    code = prefix + check_character(prefix)
    if code[position] == replacement:
        replacement = ALPHABET[(ALPHABET.index(replacement) + 1) % len(ALPHABET)]
    changed = code[:position] + replacement + code[position + 1:]
    assert problem(changed) is not None


@settings(max_examples=100, deadline=None)
@given(prefixes, st.integers(0, 17), st.sampled_from("IOZSVabc-"))
def test_characters_outside_the_alphabet_are_named(prefix, position, bad):
    code = prefix + check_character(prefix)
    message = problem(code[:position] + bad + code[position + 1:])
    assert re.search(f"非法字符“{re.escape(bad)}”", message)


def test_check_character_refuses_a_short_prefix():
    with pytest.raises(ValueError):
        check_character("1234")

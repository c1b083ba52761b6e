"""The one number formatter (hyrkoll.lib.numbers): Swedish and English, rounding, missing values."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from hyrkoll.lib import numbers

NBSP = "\xa0"


@pytest.fixture
def swedish():
    with translation.override("sv"):
        yield


def test_swedish_grouping_decimal_comma_and_rounding_half_up(swedish):
    assert numbers.number(Decimal("1234567.455"), 2) == f"1{NBSP}234{NBSP}567,46"
    assert numbers.number(2.5) == "3"
    assert numbers.number(-10.25, 1) == "-10,3"


def test_no_minus_zero_and_signed_changes(swedish):
    assert numbers.number(-0.04, 1) == "0,0"
    assert numbers.percent(3, signed=True) == f"+3,0{NBSP}%"
    assert numbers.percent(-10.2, signed=True) == f"\u221210,2{NBSP}%"
    assert numbers.number(0.001, 2, signed=True) == "0,00"


def test_missing_or_not_a_number_is_a_dash(swedish):
    for value in (None, "", "abc", float("nan"), Decimal("Infinity")):
        assert numbers.number(value) == "–"
        assert numbers.sek(value) == "–"


def test_currency_in_swedish_is_kr(swedish):
    assert numbers.sek(Decimal("12345")) == f"12{NBSP}345 kr"
    assert numbers.sek_per_hour(616) == "616,00 kr/tim"


def test_english():
    with translation.override("en"):
        assert numbers.number(Decimal("1234.5"), 1) == "1,234.5"
        assert numbers.sek_per_hour(616) == "616.00 SEK/h"
        assert numbers.percent(2.14) == f"2.1{NBSP}%"


def test_template_filters(swedish):
    html = Template(
        "{% load hyrkoll_tags %}{{ a|sek }} {{ p|sek_per_hour }} {{ s|percent }} {{ h|number:1 }}"
    ).render(Context({"a": 1000, "p": "616", "s": 2.05, "h": None}))
    assert html == f"1{NBSP}000 kr 616,00 kr/tim 2,1{NBSP}% –"


def test_csv_cells_follow_the_spreadsheet_convention_of_the_language(swedish):
    assert numbers.csv_delimiter() == ";"
    assert numbers.csv_number(Decimal("1234567.455"), 2) == "1234567,46"  # no grouping: Excel reads a number
    assert numbers.csv_number(None) == ""
    with translation.override("en"):
        assert numbers.csv_delimiter() == ","
        assert numbers.csv_number(Decimal("-10.2")) == "-10.2"


def test_download_file_names_are_ascii_from_translated_words():
    from hyrkoll.followup.exports import filename

    assert filename("Kostnad för inhyrd personal, Västra Götaland", "2025-06") == (
        "hyrkoll-kostnad-for-inhyrd-personal-vastra-gotaland-2025-06"
    )
    assert len(filename("x" * 300)) == 100


@pytest.mark.parametrize("language", ["sv", "en", None])
def test_grouping_is_django_number_format(language):
    """The fast grouping writes what ``formats.number_format`` writes, in every language."""
    from django.utils import formats

    values = [
        "0",
        "1",
        "-1",
        "999",
        "-1000",
        "1234567.455",
        "-98765432.1",
        "0.005",
        "1e20",
        "123456789012345",
    ]
    with translation.override(language):  # None: translations off, the settings' formats
        for text in values:
            for decimals in (0, 1, 2, 3):
                rounded = Decimal(text).quantize(Decimal(1).scaleb(-decimals))
                expected = formats.number_format(rounded, decimals, use_l10n=True, force_grouping=True)
                assert numbers._grouped(rounded, decimals) == expected, (text, decimals)

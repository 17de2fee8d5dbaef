import datetime as dt

import pytest

from dashboard import cells

D = dt.date(2022, 6, 22)


@pytest.mark.parametrize("raw", [
    "2022-06-22", "22/06/2022", "22/6/22", "22-06-2022", "22 June 2022", "22 Jun 2022",
    "Wed 22 June 2022", "  22 june 2022 ", "Wednesday, 22 June 2022", 44734, 44734.0, "44734",
    dt.datetime(2022, 6, 22), dt.date(2022, 6, 22), "2022-06-22 00:00:00",
])
def test_dates_read(raw):
    assert cells.parse_date(raw) == (D, None)


def test_day_first_is_uk_order():
    assert cells.parse_date("06/07/2022")[0] == dt.date(2022, 7, 6)


@pytest.mark.parametrize("raw", ["31/02/2022", "next Tuesday", "2022/13/01", "22 Juneteenth 2022",
                                 "13/13/2022", True, 12, "Blursday 22 June 2022"])
def test_bad_dates_are_problems_and_missing(raw):
    value, problem = cells.parse_date(raw)
    assert value is None and problem


def test_blank_date_is_missing_without_problem():
    assert cells.parse_date("  ") == (None, None)
    assert cells.parse_date(None) == (None, None)


@pytest.mark.parametrize("raw", ["yes", "Y", " TRUE ", "1", "✓", "✔", "x", "X", 1, True])
def test_yes(raw):
    assert cells.parse_yesno(raw) == (True, None)


@pytest.mark.parametrize("raw", ["no", "N", "false", "0", "", None, 0, False])
def test_no(raw):
    assert cells.parse_yesno(raw) == (False, None)


def test_other_yesno_is_warning_and_no():
    assert cells.parse_yesno("maybe") == (False, "is not yes or no")


@pytest.mark.parametrize("raw,expected", [("1200", 1200), ("1,200", 1200), ("1 200", 1200),
                                          ("1200.0", 1200), (1200, 1200), (1200.0, 1200),
                                          ("1,200,000", 1200000), ("0", 0)])
def test_whole_numbers(raw, expected):
    assert cells.parse_int(raw) == (expected, None)


@pytest.mark.parametrize("raw", ["12.5", "1,20", "lots", "-3", -3, 2.5, "1,200 people"])
def test_bad_whole_numbers(raw):
    value, problem = cells.parse_int(raw)
    assert value is None and problem


@pytest.mark.parametrize("raw", ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x",
                                 "bbc", "ftp://x.org/a", "//evil.example"])
def test_only_http_links(raw):
    value, problem = cells.parse_url(raw)
    assert value is None and problem


def test_http_links_kept():
    assert cells.parse_url(" https://www.bbc.co.uk/newsround ")[0] == "https://www.bbc.co.uk/newsround"


@pytest.mark.parametrize("raw", ["#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#ERROR!", " #ref! "])
def test_error_values(raw):
    assert cells.is_error_value(raw)


def test_choices_match_like_headers():
    assert cells.parse_choice("No show", ("registered", "no-show")) == ("no-show", None)
    assert cells.parse_choice("", ("MP", "Peer"), "MP") == ("MP", None)
    assert cells.parse_choice("mp", ("MP", "Peer")) == ("MP", None)
    assert cells.parse_choice("Shadow", ("MP", "Peer"))[1]


def test_activities_list_normalised():
    assert cells.parse_list("Rally; Westminster_Hall ,media") == ("rally, westminster hall, media", None)


def test_arrow_text_is_one_chunk_of_the_texts_and_none_for_other_columns():
    import pyarrow as pa

    import pandas as pd

    from dashboard.cells import arrow_text

    chunked = pd.Series(pd.array(pa.chunked_array([["a", None], ["b"]]), dtype="str"))
    column = arrow_text(chunked)
    assert isinstance(column, pa.Array) and column.to_pylist() == ["a", None, "b"]
    python_text = pd.Series(["x", None], dtype=pd.StringDtype("python"))
    assert arrow_text(python_text).to_pylist() == ["x", None]
    assert arrow_text(pd.Series(["a", "b"], dtype=object)) is None
    assert arrow_text(pd.Series([1, 2])) is None

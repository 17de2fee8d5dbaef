"""Reading cells (contract section 3): one parser per kind of value.

Each parser takes one raw cell (str, int, float, bool, datetime or None) and returns
`(value, problem)`: problem is None, or a short phrase saying what is wrong, which
dashboard/validate.py turns into an issue. Parsers are applied once per distinct value of
a column, not once per row, so a 10,000-row tab costs a few hundred calls.
"""
from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd

from connectors.base import SERIAL_EPOCH
from dashboard.contract import ERROR_VALUES, norm_name

Parsed = tuple[object, str | None]

# Serial numbers outside these dates are far more likely typos than dates.
SERIAL_MIN, SERIAL_MAX = 18264, 73051            # 1950-01-01 .. 2099-12-31

_ERRORS = {v.upper() for v in ERROR_VALUES}


def is_blank(value: object) -> bool:
    if value is None or value is pd.NaT:     # NaT: pandas' empty cell in a column of dates
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def is_error_value(value: object) -> bool:
    return isinstance(value, str) and value.strip().upper() in _ERRORS


def clean(value: object) -> object:
    """Trim strings; blanks become None; numpy scalars become plain Python values."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else pd.Timestamp(value).to_pydatetime()
    if isinstance(value, np.generic):
        return value.item()
    return value


def as_text(value: object) -> str:
    """A cell as the text a person sees, for comparing rows and writing messages."""
    value = clean(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# -- dates --------------------------------------------------------------------------
_MONTHS = {m: i for i, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
    ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
    ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
), 1) for m in names}
_WEEKDAYS = ("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
             "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})([/\-.])(\d{1,2})\2(\d{2}|\d{4})$")
_WORDS = re.compile(r"^(?:([a-z]+),?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_SERIAL = re.compile(r"^\d{5}(?:\.\d+)?$")


def _year(text: str) -> int:
    year = int(text)
    if len(text) == 2:               # 22/6/22: this century for campaign-era data
        year += 2000
    return year


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _from_serial(number: float) -> Parsed:
    if not SERIAL_MIN <= number <= SERIAL_MAX:
        return None, "is a number, not a date"
    return SERIAL_EPOCH.date() + dt.timedelta(days=int(number)), None


# Dates a campaign sheet can sensibly hold; anything else is a typo ("22/06/0022").
YEAR_MIN, YEAR_MAX = 1950, 2099


def parse_date(value: object) -> Parsed:
    parsed, problem = _parse_date(value)
    if parsed is not None and not YEAR_MIN <= parsed.year <= YEAR_MAX:
        return None, f"is not a real date (the year must be {YEAR_MIN} to {YEAR_MAX})"
    return parsed, problem


def _parse_date(value: object) -> Parsed:
    value = clean(value)
    if value is None:
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, bool):
        return None, "is not a date"
    if isinstance(value, (int, float)):
        return _from_serial(value)        # (an int too large for a float is no date either)
    text = str(value).strip().lower()
    if _SERIAL.match(text):
        return _from_serial(float(text))
    if m := _ISO.match(text):
        parsed = _make_date(int(m[1]), int(m[2]), int(m[3]))
    elif m := _DAY_FIRST.match(text):
        # UK order always: 06/07/2022 is 6 July.
        parsed = _make_date(_year(m[4]), int(m[3]), int(m[1]))
    elif m := _WORDS.match(" ".join(text.split())):
        weekday, day, month, year = m[1], int(m[2]), _MONTHS.get(m[3]), int(m[4])
        if month is None or (weekday is not None and weekday not in _WEEKDAYS):
            return None, "is not a date"
        parsed = _make_date(year, month, day)
    else:
        return None, "is not a date"
    if parsed is None:
        return None, "is not a real date"
    return parsed, None


# -- yes/no ---------------------------------------------------------------------------
_YES = {"yes", "y", "true", "1", "✓", "✔", "x"}
_NO = {"no", "n", "false", "0", ""}


def parse_yesno(value: object) -> Parsed:
    value = clean(value)
    if value is None:
        return False, None
    if isinstance(value, bool):
        return value, None
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value), None
    text = str(value).strip().lower()
    if text in _YES:
        return True, None
    if text in _NO:
        return False, None
    return False, "is not yes or no"


# -- whole numbers --------------------------------------------------------------------
_GROUPED = re.compile(r"^\d{1,3}(?:([, \u00a0\u202f])\d{3})(?:\1\d{3})*$")
_PLAIN = re.compile(r"^\d+(?:\.0+)?$")


# The largest whole number any column accepts (a column may set a lower one: contract
# decisions). Bounded so that a sum over every row of a coalition stays far inside a
# 64-bit integer: 10**12 a cell times a billion rows is still below 2**63.
WHOLE_NUMBER_MAX = 10 ** 12
_MAX_DIGITS = len(str(WHOLE_NUMBER_MAX))


def parse_int(value: object, maximum: int = WHOLE_NUMBER_MAX) -> Parsed:
    value = clean(value)
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, "is not a whole number"
    if isinstance(value, int):
        if value < 0:
            return None, "is not a whole number of 0 or more"
        number = value
    elif isinstance(value, float):
        if not (value.is_integer() and value >= 0):      # (inf and nan are not integers)
            return None, "is not a whole number"
        number = int(value)
    else:
        text = str(value).strip()
        if _PLAIN.match(text):
            digits = text.split(".")[0]
        elif _GROUPED.match(text):
            digits = re.sub(r"\D", "", text)
        else:
            return None, "is not a whole number"
        digits = digits.lstrip("0") or "0"
        # (counted before converting: 400 digits are no number a sheet means, and Python
        # refuses to convert more than 4,300)
        number = int(digits) if len(digits) <= _MAX_DIGITS else None
    if number is None or number > maximum:
        return None, f"is more than {maximum:,}, the most this column accepts"
    return number, None


# -- links ----------------------------------------------------------------------------
def parse_url(value: object) -> Parsed:
    from dashboard.safe import safe_url
    value = clean(value)
    if value is None:
        return None, None
    url = safe_url(value)
    if url is None:
        return None, "is not an http or https link"
    return url, None


# -- choices, lists, text -------------------------------------------------------------
def parse_choice(value: object, choices: tuple[str, ...], blank_means: str | None = None) -> Parsed:
    value = clean(value)
    if value is None:
        return blank_means, None
    wanted = norm_name(value)
    for choice in choices:
        if norm_name(choice) == wanted:
            return choice, None
    return as_text(value), "is not one of " + ", ".join(choices)


def parse_list(value: object) -> Parsed:
    value = clean(value)
    if value is None:
        return None, None
    items = [norm_name(part) for part in re.split(r"[,;]", str(value))]
    return ", ".join(i for i in items if i), None


def parse_text(value: object) -> Parsed:
    value = clean(value)
    return (as_text(value) if value is not None else None), None


def parser_for(column):
    """The parser of a registry column."""
    kind = column.kind
    if kind == "date":
        return parse_date
    if kind == "yesno":
        return parse_yesno
    if kind == "int":
        maximum = column.max_value if column.max_value is not None else WHOLE_NUMBER_MAX
        return lambda v: parse_int(v, maximum)
    if kind == "url":
        return parse_url
    if kind == "choice":
        return lambda v: parse_choice(v, column.choices, column.blank_means)
    if kind == "list":
        return parse_list
    return parse_text


# Shown to a person under each problem: how to fix it.
FIX = {
    "date": "Write dates like 22/06/2022 (day first) or 2022-06-22.",
    "yesno": "Write yes or no.",
    "int": "Write a whole number like 1200 or 1,200.",
    "url": "Paste the full link starting with https://, or leave it blank.",
}


def arrow_text(values: pd.Series):
    """The Arrow array, in one chunk, of a column of pandas text (what Arrow's compute
    functions take); None for a column of any other type."""
    arrow = getattr(values.array, "__arrow_array__", None)
    if arrow is None or not isinstance(values.dtype, pd.StringDtype):
        return None
    import pyarrow as pa
    column = arrow()
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column

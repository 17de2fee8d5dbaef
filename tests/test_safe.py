"""Hostile cells: links, text on screen, and spreadsheet formulas (dashboard/safe.py)."""
from __future__ import annotations

import html
import re
import string

import numpy as np
import pandas as pd
import pytest

from dashboard.safe import (escape_html_block, escape_text, md_escape, md_link, neutralise_formula,
                            neutralise_frame, safe_url)

HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "![pixel](https://evil.example/track.png)",
    "**bold** _em_ ~~strike~~",
    "# Heading",
    "$\\frac{1}{2}$ and $$x$$",
    ":red[coloured] :material/warning:",
    "<a href=\"javascript:alert(1)\">x</a>",
    "line one\n# heading on line two\n- list",
    "| a | b |\n|---|---|",
    "`code` and ```fence```",
]


# -- safe_url ---------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "https://www.bbc.co.uk/newsround/12345",
    "http://example.org",
    "HTTPS://EXAMPLE.ORG/Path?q=1#frag",
    "  https://example.org/trimmed  ",
    "https://example.org:8443/x",
    "https://[2001:db8::1]/x",
    "https://bücher.example/",
])
def test_safe_url_accepts_http_and_https_with_a_host(value):
    assert safe_url(value) == value.strip()


@pytest.mark.parametrize("value", [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "JAVASCRIPT:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x00javascript:alert(1)",
    "\x01https://example.org",            # control char left after trimming? stripped: fine only at edges
    "data:text/html,<script>alert(1)</script>",
    "DATA:text/html;base64,PHNjcmlwdD4=",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org/",
    "//evil.example/",
    "evil.example",
    "bbc",
    "https://",
    "https:///path-only",
    "https://bbc.co.uk@evil.example/",     # userinfo: a phishing disguise
    "https://user:pass@example.org/",
    "https://exa mple.org/",
    "https://example.org/a b",
    "https://exa\tmple.org/",
    "https://\u202eelpmaxe.org/",          # right-to-left override
    "https://exam\u200bple.org/",           # zero-width space
    "https:\\\\evil.example\\",
    "https://example.org:notaport/",
    "https://<script>/",
    "https://..",
    "",
    "   ",
    None,
    42,
    float("nan"),
])
def test_safe_url_refuses_everything_else(value):
    if value == "\x01https://example.org":
        # A control character at the edge is stripped, as browsers do; what remains is fine.
        assert safe_url(value) == "https://example.org"
        return
    assert safe_url(value) is None


# -- text on screen ---------------------------------------------------------------------

_UNESCAPED_PUNCTUATION = re.compile(r"(?<!\\)[" + re.escape(string.punctuation.replace("\\", "")) + "]")


@pytest.mark.parametrize("value", HOSTILE_TEXT)
def test_md_escape_escapes_every_markdown_character(value):
    escaped = md_escape(value)
    # Every ASCII punctuation character is preceded by a backslash (CommonMark: literal).
    assert not _UNESCAPED_PUNCTUATION.search(escaped.replace("\\\\", ""))
    assert "\n" not in escaped
    # Removing the escapes gives back the text, on one line.
    assert re.sub(r"\\(.)", r"\1", escaped) == " ".join(value.split())


def test_md_escape_specific_forms():
    assert md_escape("[click](javascript:alert(1))") == r"\[click\]\(javascript\:alert\(1\)\)"
    assert md_escape("<script>") == r"\<script\>"
    assert md_escape("$5 and $10") == r"\$5 and \$10"
    assert md_escape(None) == ""
    assert md_escape(float("nan")) == ""
    assert md_escape(12) == "12"
    assert md_escape("Barnardo\u2019s \u202eevil") == "Barnardo\u2019s evil"


@pytest.mark.parametrize("value", HOSTILE_TEXT)
def test_escape_text_is_inert_in_html_and_markdown(value):
    escaped = escape_text(value)
    # Outside the numeric references, no ASCII punctuation is left to be markup.
    bare = re.sub(r"&#\d+;", "", escaped)
    assert not (set(bare) & set(string.punctuation))
    assert "\n" not in escaped
    # An HTML parser (and CommonMark, which decodes the same references) shows the text.
    assert html.unescape(escaped) == " ".join(value.split())


def test_escape_text_drops_controls_and_bidi_overrides():
    assert escape_text("a\x00b\x1bc") == "a b c"
    assert escape_text("safe\u202eexe.pdf") == "safeexe&#46;pdf"


def test_escape_html_block_keeps_lines_and_escapes_markup():
    out = escape_html_block("<b>one</b>\n<img src=x onerror=alert(1)>")
    assert out == "&lt;b&gt;one&lt;/b&gt;<br>&lt;img src=x onerror=alert(1)&gt;"
    assert escape_html_block(None) == ""


def test_md_link_only_links_safe_urls():
    assert md_link("BBC", "https://www.bbc.co.uk/news/a_(b)") == \
        "[BBC](<https://www.bbc.co.uk/news/a_%28b%29>)"
    assert md_link("click", "javascript:alert(1)") == "click"
    assert md_link("click", " JaVaScRiPt:alert(1)") == "click"
    assert md_link("[x](javascript:alert(1))", "https://ok.example/") == \
        r"[\[x\]\(javascript\:alert\(1\)\)](<https://ok.example/>)"
    # No label: the URL itself, escaped, is the label.
    assert md_link(None, "https://ok.example/") == r"[https\:\/\/ok\.example\/](<https://ok.example/>)"


# -- formulas -----------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    '=HYPERLINK("http://x","y")',
    "=1+1",
    "+1",
    "-2+3",
    "-1e5",
    "-3 ",
    "@SUM(A1)",
    "\t=1",
    "\tplain",
    "\rplain",
    "  =cmd|' /C calc'!A0",
    "\n=1+1",
    "\uff1d1+1",       # full-width =
    "\uff0b1",
    "\uff0d1",
    "\uff20SUM(A1)",
])
def test_neutralise_formula_quotes_formula_starts(value):
    assert neutralise_formula(value) == "'" + value


@pytest.mark.parametrize("value", [
    "plain text", "Jane Smith MP", "007", "a + b = c", "a=b", "", "'already",
    "-3", "-2.5", "-0",
])
def test_neutralise_formula_leaves_harmless_text(value):
    assert neutralise_formula(value) == value


@pytest.mark.parametrize("value", [-5, -2.5, 0, 3, 1.5, np.int64(-7), np.float64(-0.5), True, None,
                                   pd.Timestamp("2022-06-22"), pd.NaT])
def test_neutralise_formula_leaves_non_text_as_it_is(value):
    result = neutralise_formula(value)
    assert result is value


def test_neutralise_frame_is_typed_and_vectorised():
    frame = pd.DataFrame({
        "text": ["=1+1", "-3", "ok", None, "-2+3", " @x"],
        "number": [1, -5, 2, 3, 4, 5],
        "float": [1.0, -2.5, np.nan, 0.0, -1.0, 2.0],
        "mixed": [1, "=x", -5, None, "-3", "+1"],
        "date": pd.to_datetime(["2022-06-22"] * 6),
        "flag": [True, False, True, False, True, False],
    })
    frame["=header"] = "x"
    out = neutralise_frame(frame)
    assert out["text"].tolist()[:3] == ["'=1+1", "-3", "ok"]
    assert pd.isna(out["text"][3])
    assert out["text"].tolist()[4:] == ["'-2+3", "' @x"]
    assert out["number"].tolist() == [1, -5, 2, 3, 4, 5] and out["number"].dtype == frame["number"].dtype
    assert out["float"].dtype == frame["float"].dtype
    assert out["mixed"].tolist()[:3] == [1, "'=x", -5]
    assert out["mixed"][3] is None
    assert out["mixed"].tolist()[4:] == ["-3", "'+1"]
    assert out["date"].equals(frame["date"]) and out["flag"].equals(frame["flag"])
    assert list(out.columns)[-1] == "'=header"
    # The input frame is not changed.
    assert frame["text"][0] == "=1+1"

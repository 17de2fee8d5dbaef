"""Hostile cells: everything typed into a charity's sheet is untrusted.

Seven charities' staff (and anyone they share a sheet with) can type anything into a
cell. This module is where that text is made harmless for the three places it ends up:

* **Links** (`safe_url`): only http:// and https:// URLs with a host ever become links.
* **The screen** (`escape_text`, `md_escape`): THE RULE FOR PAGES is that text from a
  sheet is shown only through `st.dataframe`, `st.table`, `st.text`, `st.code` or a
  widget's plain `value`/`options` — never inside `st.markdown`, `st.caption`,
  `st.write` of a string, a widget label, or anything with `unsafe_allow_html=True`.
  Streamlit escapes raw HTML in markdown unless `unsafe_allow_html=True`, but it still
  renders markdown links (`[click](javascript:…)` style tricks, or simply a convincing
  link to a phishing page), images (which fetch a URL when the page opens), headings,
  emphasis, `$…$` LaTeX, `:red[…]` colour directives and material icons. When sheet
  text must be composed into markdown (a sentence naming a charity's outlet, say),
  pass it through `md_escape`; for an HTML document (the meeting pack) use
  `escape_text`, which is safe in both HTML and markdown.
* **Spreadsheets** (`neutralise_formula`, `neutralise_frame`): OWASP's CSV injection
  rule, so an export opened in Excel, LibreOffice or Google Sheets never runs a formula
  someone typed into a sheet.
"""
from __future__ import annotations

import html
import re
import string
import unicodedata
from urllib.parse import quote, urlsplit

import pandas as pd

# -- links ------------------------------------------------------------------------------

_SAFE_SCHEMES = ("http", "https")
# Browsers strip leading/trailing C0 controls and spaces and drop tabs/newlines anywhere
# in a URL ("java\tscript:" runs as javascript:). We strip the ends the same way, and
# refuse anything with whitespace or an invisible character left inside: a real link
# from a news site never has one, and accepting it would mean second-guessing browsers.
_EDGE_JUNK = "".join(chr(c) for c in range(0x21)) + "\x7f\u00a0\u200b\u200c\u200d\u2060\ufeff"
_HOST = re.compile(r"^[\w.-]+$")          # letters (IDN too), digits, dot, hyphen
# The start of a link the fast paths may take whole (validation's plain links, the media
# keys): http(s)://, then a host of dot-separated ASCII letters, digits and hyphens. Each
# fast path adds the path characters it can take as they are.
ASCII_HTTP_HOST = (r"[hH][tT][tT][pP][sS]?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                   r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*")


def _has_invisible(text: str) -> bool:
    # Cc: control characters; Cf: format characters (zero-width, bidi overrides); Z*: any
    # kind of space. Any of these inside a URL is either a typo or a disguise.
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp") for ch in text)


def safe_url(value: object) -> str | None:
    """The URL if it is an http(s) link with a host, else None.

    Refused: any other scheme in any case or spelling (`javascript:`, ` JaVaScRiPt:`,
    `java\\tscript:`, `data:`, `vbscript:`, `file:`), scheme-relative `//host`, bare
    words, embedded whitespace or invisible characters, user:password@ in front of the
    host (a phishing disguise: `https://bbc.co.uk@evil.example/`) and hosts that are not
    plain names or IP addresses. The returned text is the cell trimmed, otherwise as typed.
    """
    if not isinstance(value, str):
        return None
    text = value.strip(_EDGE_JUNK)
    if not text or _has_invisible(text) or "\\" in text:
        return None
    try:
        parts = urlsplit(text)
        hostname = parts.hostname
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        return None
    if parts.scheme.lower() not in _SAFE_SCHEMES or not parts.netloc or not hostname:
        return None
    if "@" in parts.netloc:
        return None
    if not (_HOST.match(hostname) or _is_ipv6(hostname)):
        return None
    if hostname.strip(".") == "" or ".." in hostname:
        return None
    return text


def _is_ipv6(hostname: str) -> bool:
    import ipaddress
    try:
        return ipaddress.ip_address(hostname).version == 6
    except ValueError:
        return False


# -- text on screen ---------------------------------------------------------------------

# Bidi overrides and isolates can make text read differently from what it is
# ("invoice‮fdp.exe"); no sheet cell needs them on a dashboard.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_WHITESPACE_RUN = re.compile(r"\s+")
_ASCII_PUNCTUATION = frozenset(string.punctuation)


def _as_one_line(value: object) -> str:
    """Untrusted value -> one line of plain text: no controls, no bidi tricks.

    Newlines go too: inside markdown a line break starts new blocks (lists, headings,
    tables), and a label on a dashboard is never meant to span lines.
    """
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    text = str(value).translate(_BIDI_CONTROLS)
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return _WHITESPACE_RUN.sub(" ", text).strip()


def md_escape(value: object) -> str:
    """Sheet text to compose into Streamlit markdown: every markdown character escaped.

    CommonMark lets any ASCII punctuation be escaped with a backslash, and an escaped
    character is always literal text. Escaping all of them (not a hand-picked few)
    covers links, images, emphasis, headings, lists, tables, code, raw HTML (`\\<`),
    Streamlit's `$` LaTeX (remark-math honours `\\$`), `:red[...]` colour directives and
    `:material/...:` icons, and whatever syntax a later Streamlit adds. The text is put
    on one line first. Emoji shortcodes like `:smile:` may still turn into emoji; that
    is cosmetic, not a risk.
    """
    return "".join("\\" + ch if ch in _ASCII_PUNCTUATION else ch for ch in _as_one_line(value))


def escape_text(value: object) -> str:
    """Sheet text for an HTML document or markdown: shows exactly as typed in both.

    Every ASCII punctuation character becomes a numeric character reference (`&#60;`).
    In HTML that is the character itself as text, never markup, and it is safe inside
    a quoted attribute. In markdown, CommonMark treats character references as literal
    text that can never start a link, an image, emphasis, a heading, a table or LaTeX.
    The text is put on one line first.
    """
    return "".join(f"&#{ord(ch)};" if ch in _ASCII_PUNCTUATION else ch
                   for ch in _as_one_line(value))


def escape_html_block(value: object) -> str:
    """Multi-line sheet text (notes, follow-ups) for an HTML document: escaped, lines kept."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    text = str(value).translate(_BIDI_CONTROLS)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return "<br>".join(html.escape(line, quote=True) for line in text.split("\n"))


def md_link(text: object, url: object) -> str:
    """A markdown link whose text and target both came from a sheet.

    The target must pass `safe_url`; otherwise only the escaped text is returned, so a
    hostile link is shown as words, never made clickable. The target is percent-encoded
    for the characters that could end a markdown link early (`(`, `)`, `<`, `>`, spaces,
    quotes).
    """
    label = md_escape(text) or md_escape(url)
    target = safe_url(url)
    if target is None:
        return label
    encoded = quote(target, safe=":/?#[]@!$&*+,;=%~-._")
    return f"[{label}](<{encoded}>)"


# -- spreadsheets: formula (CSV) injection ------------------------------------------------

# OWASP: a cell starting with = + - @ tab or CR can be run as a formula by Excel,
# LibreOffice or Google Sheets. We also look past leading whitespace (some importers
# trim it, and " =cmd" is no more legitimate than "=cmd") and at the full-width forms
# ＝ ＋ － ＠, which some spreadsheet locales accept as the ASCII ones.
FORMULA_TRIGGERS = "=+-@\uff1d\uff0b\uff0d\uff20"
_TRIGGER = re.compile(r"^(?:[\t\r]|\s*[" + re.escape(FORMULA_TRIGGERS) + "])")
# A negative number typed as text ("-3", "-2.5") cannot run as anything, and a quote in
# front of it would turn a number into text when the file is opened: left as it is.
# Anything more ("-2+3", "-1e5", "-3 ") is neutralised.
_PLAIN_NEGATIVE = re.compile(r"^-\d+(?:\.\d+)?$")
QUOTE = "'"


def neutralise_formula(value):
    """One cell for a CSV or XLSX export: text that a spreadsheet would run as a formula
    gets a leading apostrophe; everything else is returned unchanged.

    Numbers (int, float, numpy numbers, Decimal; negative ones too), booleans, dates,
    None and NaN are not text and are returned as they are, so they stay numbers and
    dates in the export. A string is left alone when it is a plain negative number
    ("-3", "-2.5"); it is never converted to a number, so a reference like "007" or a
    phone number keeps its exact characters.
    """
    if not isinstance(value, str):
        return value
    if _TRIGGER.match(value) and not _PLAIN_NEGATIVE.match(value):
        return QUOTE + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell (and text column name) neutralised.

    Numeric, boolean and datetime columns are not touched; in object columns only the
    cells that are strings are changed, so mixed columns keep their numbers.
    """
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_string_dtype(series.dtype) and not pd.api.types.is_object_dtype(series.dtype):
            is_text = series.notna()
        elif pd.api.types.is_object_dtype(series.dtype):
            is_text = series.map(type).eq(str)       # mixed columns: only the str cells
        else:
            continue                                 # numbers, booleans, dates stay typed
        text = series[is_text].astype(str)
        hit = text.str.match(_TRIGGER.pattern) & ~text.str.match(_PLAIN_NEGATIVE.pattern)
        if hit.any():
            quoted = QUOTE + text[hit]
            out[column] = series.where(~hit.reindex(series.index, fill_value=False), quoted)
    out.columns = [neutralise_formula(c) for c in out.columns]
    return out


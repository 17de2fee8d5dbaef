"""Who is who (contract section 4): person, constituency and media keys."""
from __future__ import annotations

import functools
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit

# Honorifics and post-nominals dropped from names (contract section 4).
HONORIFICS = frozenset(
    "rt hon the sir dame dr mr mrs ms miss mp obe cbe mbe kc qc".split()
)
_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_NON_WORD = re.compile(r"[^\w\s]|_")


def _clean(text: object) -> str:
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).lower()
    # O'Brien and O’Brien are one name; other punctuation (hyphens, dots, commas)
    # separates words, so "Weston-super-Mare" = "Weston super Mare".
    s = _APOSTROPHES.sub("", s)
    s = _NON_WORD.sub(" ", s)
    return _squashed(s)


def _squashed(text: str) -> str:
    """Runs of whitespace made one space, none at the ends: what re's \\s+ replaced by a
    space then strip() gives (str.split knows the same whitespace as re's \\s and strip)
    at a quarter of the time."""
    return " ".join(text.split())


@functools.lru_cache(maxsize=1 << 16)   # pure; the same MPs' names recur in every charity's rows
def person_key(name: object) -> str:
    """'Rt Hon Jane Smith MP' and 'jane  smith' -> 'jane smith'."""
    words = [w for w in _clean(name).split(" ") if w and w not in HONORIFICS]
    return " ".join(words)


def constituency_key(name: object) -> str:
    """'Brighton Kemptown & Peacehaven' -> 'brighton kemptown and peacehaven'."""
    if name is None:
        return ""
    return _clean(str(name).replace("&", " and "))


def media_url_key(url: object) -> str:
    """URL lower-cased without scheme, www., fragment, trailing '/' and utm_* parameters."""
    if url is None or str(url).strip() == "":
        return ""
    parts = urlsplit(str(url).strip().lower())
    host = parts.netloc
    if host.startswith("www."):
        host = host[4:]
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.startswith("utm_")]
    key = host + parts.path.rstrip("/")
    if query:
        key += "?" + urlencode(query)
    return key


def _is_missing(value: object) -> bool:
    # None, NaN, pd.NA and NaT all mean "not given" (frames hold any of them for a blank).
    try:
        return value is None or bool(value != value) or str(value) in ("<NA>", "NaT")
    except TypeError:          # pd.NA refuses bool(); it is missing
        return True


def squash_text(value: object) -> str:
    if type(value) is str:              # (the common case, as _is_missing judges a text)
        return "" if value in ("<NA>", "NaT") else _squashed(value).lower()
    return "" if _is_missing(value) else _squashed(str(value)).lower()


def media_fallback_key(date: object, outlet: object, headline: object) -> str:
    """A row without URL is keyed by (date, outlet, headline), lower-cased, spaces collapsed."""
    day = "" if _is_missing(date) else str(date)[:10]
    return "|".join((day, squash_text(outlet), squash_text(headline)))

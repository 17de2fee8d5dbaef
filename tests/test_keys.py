import pandas as pd
import pytest

from dashboard import keys
from dashboard.keys import constituency_key, media_fallback_key, media_url_key, person_key


@pytest.mark.parametrize("a,b", [
    ("Rt Hon Jane Smith MP", "jane  smith"),
    ("The Rt. Hon. Sir Keir Starmer KC MP", "keir starmer"),
    ("Dame Jane Smith OBE", "Jane Smith"),
    ("Dr. Alice Wu CBE", "alice wu"),
    ("Mrs Jo O'Brien", "jo obrien"),
    ("Mr John Smith-Jones", "john smith jones"),
    ("Miss Ann Lee MBE QC", "ann lee"),
])
def test_person_key_same_person(a, b):
    assert person_key(a) == person_key(b)


def test_person_key_different_people():
    assert person_key("Jane Smith") != person_key("Jane Smyth")


@pytest.mark.parametrize("a,b", [
    ("Brighton Kemptown & Peacehaven", "brighton kemptown and peacehaven"),
    ("Weston-super-Mare", "weston super mare"),
    ("  Bristol   West ", "bristol west"),
    ("King's Lynn", "kings lynn"),
])
def test_constituency_key(a, b):
    assert constituency_key(a) == constituency_key(b)


def test_constituency_key_keeps_different_seats():
    assert constituency_key("Bristol North West") != constituency_key("Bristol West")


@pytest.mark.parametrize("url", [
    "https://www.bbc.co.uk/newsround/123",
    "http://bbc.co.uk/newsround/123/",
    "HTTPS://WWW.BBC.CO.UK/newsround/123#top",
    "https://www.bbc.co.uk/newsround/123?utm_source=twitter&utm_medium=social",
])
def test_media_url_key_variants(url):
    assert media_url_key(url) == "bbc.co.uk/newsround/123"


def test_media_url_key_keeps_other_query():
    assert media_url_key("https://x.org/a?id=3&utm_campaign=z") == "x.org/a?id=3"


def test_media_fallback_key():
    assert media_fallback_key("2022-06-22", " BBC  Newsround", "Care  leavers") == \
        media_fallback_key("2022-06-22", "bbc newsround", "care leavers")
    assert media_fallback_key(None, "BBC", "x") != media_fallback_key("2022-06-22", "BBC", "x")


def test_media_fallback_key_treats_every_missing_value_alike():
    import numpy as np
    import pandas as pd
    keys = {media_fallback_key(d, "BBC", h) for d in (None, float("nan"), pd.NaT)
            for h in (None, "", np.nan, pd.NA)}
    assert keys == {"|bbc|"}


@pytest.mark.parametrize("text_dtype", ["str", object])
def test_fallback_keys_of_many_rows_equal_one_row_at_a_time(text_dtype):
    from dashboard.figures import media_fallback_keys
    rows = pd.DataFrame({
        "date": pd.to_datetime(["2022-06-22", None, "2022-06-23", "2022-06-22", None]).astype("datetime64[ns]"),
        "outlet": pd.Series(["BBC  Newsround", " bbc newsround ", None, "Ça\u00a0Va", ""], dtype=text_dtype),
        "headline": pd.Series(["Young people  at\tParliament", None, "İstanbul", "x", "  "], dtype=text_dtype),
    })
    one_at_a_time = [media_fallback_key(d.date() if pd.notna(d) else None, o, h)
                     for d, o, h in zip(rows["date"], rows["outlet"], rows["headline"])]
    assert media_fallback_keys(rows) == one_at_a_time
    assert one_at_a_time[0] == "2022-06-22|bbc newsround|young people at parliament"
    assert media_fallback_keys(rows.assign(outlet=None, headline=None)) == ["2022-06-22||", "||", "2022-06-23||",
                                                                           "2022-06-22||", "||"]


# Every character Python counts as whitespace (str.isspace and re's \s agree on them),
# and others that look like spaces but are not (zero-width space, BOM, NUL).
_WHITESPACE = [chr(c) for c in range(0x110000) if chr(c).isspace()]
_AWKWARD = _WHITESPACE + list("aZİß,.-'’_é&") + ["\u200b", "\ufeff", "\x00", "\x1c", "\x85"]


def _texts(seed: int, n: int = 5000) -> list[str]:
    import random
    rnd = random.Random(seed)
    return ["".join(rnd.choice(_AWKWARD) for _ in range(rnd.randint(0, 14))) for _ in range(n)]


def test_whitespace_is_squashed_as_the_regex_squashed_it():
    import re
    spaces = re.compile(r"\s+")
    assert _WHITESPACE == [c for c in _WHITESPACE if re.fullmatch(r"\s", c)]
    for text in _texts(1) + ["", " ", "a  b", "\u3000x\u00a0\u00a0y\u2028"]:
        assert keys.squash_text(text) == spaces.sub(" ", text).strip().lower(), repr(text)
        assert keys._squashed(text) == spaces.sub(" ", text).strip(), repr(text)


def test_squash_text_of_missing_values_and_their_look_alikes():
    import numpy as np
    import pandas as pd
    for missing in (None, float("nan"), np.nan, pd.NA, pd.NaT, "<NA>", "NaT"):
        assert keys.squash_text(missing) == ""
    assert keys.squash_text(" NaT ") == "nat"
    assert keys.squash_text(12) == "12"

    class Text(str):
        pass
    assert keys.squash_text(Text("  A\tB ")) == "a b"
    assert keys.squash_text(Text("NaT")) == ""


def test_person_and_constituency_keys_of_awkward_whitespace():
    import re
    import unicodedata

    def clean(text: str) -> str:         # the rule written with the regex, as it was
        s = unicodedata.normalize("NFKC", text).lower()
        s = re.sub(r"['\u2019\u2018`]", "", s)
        s = re.sub(r"[^\w\s]|_", " ", s)
        return re.sub(r"\s+", " ", s).strip()

    for text in _texts(2):
        assert keys._clean(text) == clean(text), repr(text)
        assert keys.person_key(text) == " ".join(
            w for w in clean(text).split(" ") if w and w not in keys.HONORIFICS), repr(text)
        assert keys.constituency_key(text) == clean(text.replace("&", " and ")), repr(text)

"""The shortcuts validation takes for columns of text cells (a CSV folder's, read as
pandas' Arrow text) give what the cell rules give one cell at a time: every kept row's
value is its cell's parse (cells.parser_for) and every problem is reported, on Unicode
whitespace, blanks, spreadsheet error values and repeated texts; checking several
charities together gives each what checking it alone gives."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from connectors.local import read_csv_folder
from dashboard import cells, validate
from dashboard.contract import TABS
from tests.csv_sources import write_csv_charity

# Texts that trim to the same link (spaces, a tab, no-break and em spaces), links safe_url
# changes or refuses, blanks, an error value, and repeats.
LINKS = ["https://bbc.co.uk/a", " https://bbc.co.uk/a", "https://bbc.co.uk/a\t",
         "\u00a0https://bbc.co.uk/a\u2003", "https://bbc.co.uk/b", "HTTPS://BBC.CO.UK/C",
         "https://user:pw@bbc.co.uk/", "www.itv.com/news", "not a link", "https://bbc.co.uk/a b",
         "", "   ", "#REF!", " #N/A ", "https://x.example/ü", "https://x.example/a?utm_source=tw",
         "https://bbc.co.uk/b", "not a link", "ftp://bbc.co.uk/", "https://[::1]/"]


def _media_tab(links: list[str]) -> list[list[str]]:
    # (a different headline on every row: no row repeats another, each one is kept)
    return [["Outlet", "Headline", "URL"]] + [["BBC", f"piece {i}", link]
                                            for i, link in enumerate(links)]


def _expected_links(links: list[str]) -> list[object]:
    parse = cells.parser_for(next(c for c in _tab("media").columns if c.key == "url"))
    return [None if cells.is_error_value(text) else parse(text)[0] for text in links]


def _tab(key: str):
    return next(t for t in TABS if t.key == key)


@pytest.fixture
def media_book(tmp_path):
    folder = write_csv_charity(tmp_path / "one", Media=_media_tab(LINKS))
    return read_csv_folder(folder, source="one/")


def test_links_of_text_cells_are_each_cells_parse(media_book):
    assert isinstance(media_book.tabs[0].cells.dtypes[2], pd.StringDtype)     # the text path
    data = validate.validate_workbook(media_book, "One")
    frame = data.frames["media"]
    assert frame["url"].dtype == "str"
    got = [None if pd.isna(v) else v for v in frame["url"]]
    assert got == _expected_links(LINKS)
    bad_rows = {i.row for i in data.issues if i.code == "bad_url"}
    parse = cells.parser_for(next(c for c in _tab("media").columns if c.key == "url"))
    assert bad_rows == {n + 2 for n, text in enumerate(LINKS)
                        if not cells.is_error_value(text) and parse(text)[1]}
    assert {i.row for i in data.issues if i.code == "error_value"} == {14, 15}


def test_links_read_as_objects_give_the_same_frame_and_issues(media_book):
    """The same cells as Python strings (as a workbook gives them) take the generic path."""
    as_objects = validate.RawWorkbook(media_book.source, "xlsx", [
        validate.RawTab(t.title, t.cells.astype(object)) for t in media_book.tabs],
        media_book.read_at)
    text, objects = (validate.validate_workbook(b, "One") for b in (media_book, as_objects))
    pd.testing.assert_frame_equal(text.frames["media"], objects.frames["media"],
                                  check_exact=True)
    assert [i.as_dict() for i in text.issues] == [i.as_dict() for i in objects.issues]


@pytest.mark.parametrize("links", [
    ["https://bbc.co.uk/a", "https://bbc.co.uk/a "],              # every link plain
    ["not a link", "", "www.itv.com/news"],                       # none plain
    ["", " ", "#REF!"],                                           # no value at all
    ["https://bbc.co.uk/a", "https://user:pw@bbc.co.uk/"],        # plain and refused
])
def test_links_of_every_mix_are_each_cells_parse(tmp_path, links):
    raw = read_csv_folder(write_csv_charity(tmp_path / "c", Media=_media_tab(links)), source="c/")
    frame = validate.validate_workbook(raw, "C").frames["media"]
    assert [None if pd.isna(v) else v for v in frame["url"]] == _expected_links(links)
    # (a column with no value at all is None objects, as it has always been)
    assert frame["url"].dtype == ("str" if any(_expected_links(links)) else object)


def _text(values: list[str | None]) -> pd.Series:
    # (two pieces, as a tab of several charities is one after another)
    text = pd.StringDtype("pyarrow", na_value=float("nan"))
    pieces = [pd.array(values[:3], dtype=text), pd.array(values[3:], dtype=text)]
    return pd.Series(type(pieces[0])._concat_same_type(pieces))


@pytest.mark.parametrize("values", [
    [" b", "a", "b ", None, "\u00a0a\u2003", "", "  ", "#REF!", " #ref! ", "c", "b", None, "\tc"],
    ["", None, " ", "\u3000", "x", "x "],                        # blanks first, then a text
    ["x", "y", "z", None, None],                                 # nothing to trim
    [None, None, None, None],                                    # a column a part lacks
])
def test_a_text_column_codes_each_cells_trimmed_text_by_first_appearance(values):
    col = validate._TextColumn(_text(values))
    trimmed = [cells.as_text(v) for v in values]
    assert col.plain and [col.text(c) for c in col.codes] == trimmed
    assert list(col.codes) == list(pd.factorize(pd.Series(trimmed, dtype=object))[0])
    assert len(col.uniques) == len(set(trimmed))
    assert [bool(col.is_blank[c]) for c in col.codes] == [t == "" for t in trimmed]
    assert [bool(col.is_error[c]) for c in col.codes] == [cells.is_error_value(t) for t in trimmed]


@pytest.mark.parametrize("refs, expected", [
    (["A-1", "A-2", "B-1"], False),
    (["a-1", "A-2", "A-1"], True),                      # a-1 and A-1
    (["Ä-1", "ä-1"], True),                             # beyond ASCII
    (["STRASSE", "straße"], False),                     # lower case keeps ß: two Refs
    (["ΣΑΣ", "σας"], False), (["ΣΑΣ", "σασ"], True),    # Arrow lowers every Σ to σ
    (["A-1", "", "#REF!", "a-1 "], True),               # trimmed; blanks and errors apart
    (["", "#N/A"], False),
])
def test_refs_differ_in_case_as_check_ref_case_folds_them(refs, expected):
    col = validate._TextColumn(_text(refs + ["X"]))
    codes = col.codes[:len(refs)]
    codes = codes[~(col.is_blank | col.is_error)[codes]]
    values = pd.Series(col.uniques.take(codes))             # check_ref_case's own test
    assert (values.str.lower().nunique() != values.nunique()) == expected
    assert validate._differ_in_case(col.uniques, codes) == expected


def test_refs_differing_in_case_are_warned_as_text_cells_and_as_objects(tmp_path):
    rows = [["Ref", "Status"], ["Ä-1", "attended"], ["ä-1", "attended"], ["B-2", "attended"],
            [" b-2", "attended"], ["C-3", "attended"], ["Ä-1", "registered"]]
    raw = read_csv_folder(write_csv_charity(tmp_path / "c", Attendees=rows), source="c/")
    as_objects = validate.RawWorkbook(raw.source, "xlsx", [
        validate.RawTab(t.title, t.cells.astype(object)) for t in raw.tabs], raw.read_at)
    text, objects = (validate.validate_workbook(b, "C") for b in (raw, as_objects))
    assert [(i.row, i.code) for i in text.issues if i.code in ("ref_case", "duplicate_ref")] == \
        [(7, "duplicate_ref"), (3, "ref_case"), (5, "ref_case")]
    assert [i.as_dict() for i in text.issues] == [i.as_dict() for i in objects.issues]


def test_dates_outside_the_window_are_each_written_in_the_warning(tmp_path):
    import datetime as dt
    rows = [["MP name", "Date"], ["Jane", "01/01/2022"], ["Ann", "2022-01-01"], ["Bob", "31/12/2023"],
            ["Cat", "15/06/2022"], ["Dan", "01/01/2022 "]]
    raw = read_csv_folder(write_csv_charity(tmp_path / "c", Pledges=rows), source="c/")
    data = validate.validate_workbook(raw, "C", dt.date(2022, 5, 23), dt.date(2022, 7, 22))
    assert [i.message for i in data.issues if i.code == "outside_window"] == [
        f"Row {row}, Date: {day} is outside the campaign (23/05/2022 to 22/07/2022); it is "
        "still counted." for row, day in [(2, "01/01/2022"), (3, "01/01/2022"), (4, "31/12/2023"),
                                          (6, "01/01/2022")]]


@pytest.mark.parametrize("seed", range(6))
def test_first_appearances_are_np_uniques_first_indices(seed):
    import numpy as np
    rng = np.random.default_rng(seed)
    for size in (0, 1, 2, 50, 1000):
        values = rng.integers(0, max(1, size // (seed + 1)), size=size)
        codes = pd.factorize(values)[0]
        assert list(validate._first_appearances(codes)) == \
            list(np.unique(codes, return_index=True)[1])


def test_a_text_looked_up_alone_or_after_converting_the_column_is_the_same():
    values = [f" R-{i % 700}é " for i in range(1000)] + [None, "", "#REF!"]
    col = validate._TextColumn(_text(values))
    expected = [cells.as_text(v) for v in values]
    looked_up = [col.text(c) for c in col.codes]         # alone at first, then converted
    assert col._texts is not None
    assert looked_up == expected and all(type(t) is str for t in looked_up)


def _same(alone: validate.CharityData, together: validate.CharityData) -> None:
    assert [i.as_dict() for i in together.issues] == [i.as_dict() for i in alone.issues]
    for tab in TABS:
        a, b = alone.frames[tab.key], together.frames[tab.key]
        pd.testing.assert_frame_equal(b, a, check_exact=True)
        for column in a.columns[a.dtypes == object]:
            assert [type(v) for v in b[column]] == [type(v) for v in a[column]], (tab.key, column)


def test_charities_with_a_text_column_blank_absent_or_filled_get_what_checking_alone_gives(tmp_path):
    """A text column with no value in a charity's rows (blank, errors, links refused) is
    None objects for that charity only; absent, its blank value; the batch's other
    charities keep their text."""
    sheets = {
        "filled": [["Outlet", "Headline", "URL", "Type"], ["BBC", "A piece", "https://bbc.co.uk/a", "Online"],
                   ["ITV", " ", "", "tv"]],
        "blank": [["Outlet", "Headline", "URL", "Type"], ["BBC", "", "not a link", ""],
                  ["ITV", "#REF!", " ", " "]],
        "absent": [["Outlet"], ["BBC"], ["Sky"]],
        "one row": [["Outlet", "Headline", "URL"], ["BBC", "Only", "https://x.example/"]],
    }
    books = [(read_csv_folder(write_csv_charity(tmp_path / name.replace(" ", "_"), Media=rows),
                              source=name), name) for name, rows in sheets.items()]
    for batch in (books, books[1:2], books[1:3], books[::-1]):
        datas, *_ = validate.validate_workbooks(batch)
        for (raw, name), together in zip(batch, datas):
            _same(validate.validate_workbook(raw, name), together)


def test_the_header_and_extra_columns_of_text_cells_are_found_as_in_objects(tmp_path):
    rows = [["Our sheet", "", "", ""], ["", "", "", ""], ["Name", " REF ", "Notes", "status"],
            ["Sam", "A-1", "x", "attended"]] + [["", f"A-{i}", "", "attended"] for i in range(2, 12)]
    raw = read_csv_folder(write_csv_charity(tmp_path / "c", Attendees=rows), source="c/")
    as_objects = validate.RawWorkbook(raw.source, "xlsx", [
        validate.RawTab(t.title, t.cells.astype(object)) for t in raw.tabs], raw.read_at)
    text, objects = (validate.validate_workbook(b, "C") for b in (raw, as_objects))
    assert [i.code for i in text.issues if i.code in ("name_column", "extra_column")] == \
        ["name_column", "extra_column"]
    assert [i.as_dict() for i in text.issues] == [i.as_dict() for i in objects.issues]
    assert text.frames["attendees"]["_row"].tolist() == list(range(4, 15))
    cells_frame = raw.tabs[0].cells
    assert (validate._top_rows(cells_frame) ==
            cells_frame.iloc[:validate.HEADER_SEARCH_ROWS].to_numpy(dtype=object)).all()


@pytest.mark.parametrize("value", ["x", "  padded\u00a0", "", "   ", "\u2003", "é" * 60, " " + "y" * 39 + " ",
                                   "\x1ccontrol separators\x1f"])
def test_a_texts_preview_is_its_cell_text_cut(value):
    text = cells.as_text(value)
    expected = text if len(text) <= validate.VALUE_PREVIEW else text[:validate.VALUE_PREVIEW - 1] + "…"
    assert validate._preview(value) == expected


# Rows left out (a status not recognised, a blank Ref, no Outlet nor URL) among rows whose
# text, choice, list and link cells are blanks, Unicode whitespace, error values, texts not
# recognised and repeats: the text columns are made for the rows kept only.
ATTENDEES_LEFT_OUT = [
    ["Ref", "Status", "Age band", "Region", "Activities", "Registered on"],
    ["A-1", "attended", "18-21", " London", "westminster hall, media", "01/06/2022"],
    ["A-2", "maybe", "\u00a0", "#REF!", "", "02/06/2022"],                 # left out: status
    ["", "attended", "26+", "Nowhere", "media", ""],                      # left out: no Ref
    [" A-3\u2003", "registered", "#N/A", "", " media ", "31/02/2022"],
    ["A-4", "#REF!", "", "", "", ""],                                      # left out: status
    ["A-5", "attended", "not an age", "North West", "westminster hall", "03/06/2022"],
    ["A-1", "registered", "", "   ", "", ""],
]
MEDIA_LEFT_OUT = [
    ["Outlet", "URL", "Headline", "Type"],
    ["BBC", "https://bbc.co.uk/a", "", "online"],
    ["", " ", "no outlet nor link", "tv"],                                # left out
    ["A note about the piece that ran twice on the radio", "not a link", "#REF!", "radio "],
    ["", "https://user:pw@bbc.co.uk/", "refused link only", ""],           # left out
    [" ITV ", "#N/A", "\u3000", "not a type"],
    ["", "www.itv.com/news", "a link only", ""],
]


@pytest.mark.parametrize("tab, rows", [("Attendees", ATTENDEES_LEFT_OUT), ("Media", MEDIA_LEFT_OUT),
                                       ("Attendees", ATTENDEES_LEFT_OUT[:1] + ATTENDEES_LEFT_OUT[2:3]),
                                       ("Media", MEDIA_LEFT_OUT[:3])])
def test_rows_left_out_among_text_columns_give_each_kept_cells_parse(tmp_path, tab, rows):
    raw = read_csv_folder(write_csv_charity(tmp_path / "c", **{tab: rows}), source="c/")
    as_objects = validate.RawWorkbook(raw.source, "xlsx", [
        validate.RawTab(t.title, t.cells.astype(object)) for t in raw.tabs], raw.read_at)
    text, objects = (validate.validate_workbook(b, "C") for b in (raw, as_objects))
    key = "attendees" if tab == "Attendees" else "media"
    frame = text.frames[key]
    pd.testing.assert_frame_equal(frame, objects.frames[key], check_exact=True)
    assert [i.as_dict() for i in text.issues] == [i.as_dict() for i in objects.issues]
    left_out = {i.row for i in text.issues if i.severity == "error"}
    kept = [n for n in range(1, len(rows)) if n + 1 not in left_out]
    assert list(frame["_row"]) == [n + 1 for n in kept]
    header = [c.strip() for c in rows[0]]
    for column in _tab(key).columns:
        if column.name not in header or column.kind in ("date", "yesno", "int"):
            continue
        parse = cells.parser_for(column)
        cells_of = [rows[n][header.index(column.name)] for n in kept]
        expected = [None if cells.is_error_value(c) else parse(c)[0] for c in cells_of]
        assert [None if pd.isna(v) else v for v in frame[column.key]] == expected, column.key
    # and checked together with another charity, each gets what checking it alone gives
    other = read_csv_folder(write_csv_charity(tmp_path / "d", **{tab: rows[:2]}), source="d/")
    datas, *_ = validate.validate_workbooks([(raw, "C"), (other, "D")])
    _same(text, datas[0])
    _same(validate.validate_workbook(other, "D"), datas[1])


def test_the_readers_codes_give_what_coding_the_cells_gives(tmp_path):
    """A CSV tab's cells come coded by the reader (RawTab.coded): checked with those codes or
    coding the cells again, charities give the same frames and issues, with header texts
    and blanks above the header found again below it, edge whitespace, error values, extra
    columns, columns a charity lacks, and a charity read by pandas (one column with a blank line: no codes)."""
    sheets = {
        "a": {"Attendees": [["Our sheet", "Ref", ""], ["", "", ""], ["Ref", "Status", "Notes"],
                            [" Ref", "attended", "Status"], ["A-1", " attended", ""], ["", "", ""],
                            ["A-1", "attended\u00a0", "x"], ["#REF!", "registered", " x"],
                            ["A-2", "Status", ""]],
              "Media": [["Outlet", "URL"], ["BBC", " https://bbc.co.uk/a"], ["", "URL"],
                        ["\u3000", "https://bbc.co.uk/a"]]},
        "b": {"Attendees": [["Ref", "Status", "Region"], ["Ref", "attended", "London"],
                            ["B-1", "registered", "  "], ["b-1", "registered", "London "]]},
        "c": {"Media": [["Outlet", "URL", "Reach"], ["ITV", "", "1,000"], ["ITV", "", "1,000"]],
              "Pledges": [["MP name", "Constituency"], ["Jane", ""], [" Jo", "Bath"]]},
    }
    books = [(read_csv_folder(write_csv_charity(tmp_path / name, **tabs), source=name), name)
             for name, tabs in sheets.items()]
    ragged = tmp_path / "d"
    ragged.mkdir()
    (ragged / "Pledges.csv").write_text("MP name\nJo\n\n Jane \n")
    books.append((read_csv_folder(ragged, source="d"), "d"))
    assert all(t.coded is not None for raw, _ in books[:3] for t in raw.tabs)
    assert books[3][0].tabs[0].coded is None and validate.combinable(books[3][0])

    def uncoded(raw):
        return validate.RawWorkbook(raw.source, raw.kind, [validate.RawTab(t.title, t.cells)
                                                           for t in raw.tabs], raw.read_at)
    for batch in (books, books[:3], books[:1], books[::-1], books[1:3]):
        got = validate.validate_workbooks(batch)
        expected = validate.validate_workbooks([(uncoded(raw), name) for raw, name in batch])
        for a, b in zip(got[0], expected[0]):
            _same(b, a)
        for key, frame in expected[1].items():
            pd.testing.assert_frame_equal(got[1][key], frame, check_exact=True)
        assert got[2:] == expected[2:]


@pytest.mark.parametrize("seed", range(4))
def test_repeated_rows_and_refs_are_each_found_as_comparing_every_row_finds_them(tmp_path, seed):
    """Repeated rows (every trimmed cell the same) and repeated Refs, found by comparing
    rows one by one, alone and with another charity, whatever column repeats and whatever
    is unique: the same warnings, naming the same first rows."""
    import random
    rng = random.Random(seed)
    refs = [f"R-{i}" for i in range(6)] + ["", " R-1"]
    rows = [["Ref", "Status", "Region", "Notes"]] + [
        [rng.choice(refs), rng.choice(["attended", "registered", " attended"]),
         rng.choice(["London", "", "North West"]), rng.choice(["", "x", f"n{i % 5}"])]
        for i in range(60)]
    raw = read_csv_folder(write_csv_charity(tmp_path / "c", Attendees=rows), source="c/")
    other = read_csv_folder(write_csv_charity(tmp_path / "d", Attendees=rows[:20]), source="d/")
    alone = validate.validate_workbook(raw, "C")
    seen: dict = {}
    expected_rows, kept = [], []
    for n, row in enumerate(rows[1:], start=2):
        key = tuple(cell.strip() for cell in row)
        if key in seen:
            expected_rows.append(f"Row {n} repeats row {seen[key]} exactly; it is counted once.")
        else:
            seen[key] = n
            kept.append((n, key[0]))
    assert [i.message for i in alone.issues if i.code == "duplicate_row"] == expected_rows
    first_of: dict = {}
    expected_refs = []
    for n, ref in kept:
        if ref and ref in first_of:
            expected_refs.append((n, first_of[ref]))
        first_of.setdefault(ref, n)
    assert [(i.row, int(i.message.split("also on row ")[1].split()[0]))
            for i in alone.issues if i.code == "duplicate_ref"] == expected_refs
    datas, *_ = validate.validate_workbooks([(raw, "C"), (other, "D")])
    _same(alone, datas[0])
    _same(validate.validate_workbook(other, "D"), datas[1])


def test_repeated_keys_are_those_counted_more_than_once():
    import collections

    import numpy as np
    for keys in ([], [0], [3, 3], [0, 1, 2, 1], list(range(100)) + [7], [4000, 1, 4000]):
        counts = collections.Counter(keys)
        assert list(validate._repeated(np.array(keys, dtype=np.int64))) == \
            [counts[k] > 1 for k in keys]
    # too far apart to count: every key said to repeat, so that none is missed
    assert validate._repeated(np.array([10 ** 9, 5, 10 ** 9])).all()


@pytest.mark.parametrize("seed", range(6))
def test_refs_told_apart_without_hashing_differ_in_case_as_lowering_every_text_finds(seed):
    # Short texts over a small alphabet, so lower-casing often brings two together; some
    # draws are upper case or lower case only (the shortcut), some mix cases or go beyond
    # ASCII (the Kelvin sign lowers to k, Σ to σ).
    rng = np.random.default_rng(seed)
    alphabets = ["AB1-", "ab1-", "AaBb-", "AK\u212a", "a\u00c4\u00e4", "\u03a3\u03c3A"]
    for alphabet in alphabets:
        for _ in range(40):
            refs = list({"".join(rng.choice(list(alphabet), size=int(rng.integers(1, 4))))
                         for _ in range(int(rng.integers(1, 8)))})
            # (texts not among the Refs asked about, as the header's are, count for nothing)
            col = validate._TextColumn(_text(refs + ["1", "Ref", "ref"]))
            codes = col.codes[:len(refs)]
            lowered = pc.utf8_lower(pa.array([col.text(c) for c in codes])).to_pylist()
            assert validate._differ_in_case(col.uniques, codes) == (len(set(lowered)) < len(codes))

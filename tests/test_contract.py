"""The registry drives the docs: they must agree, and the registry must follow the contract."""
from dashboard import docs
from dashboard.contract import FIGURES, TABS, match_tab, norm_name


def test_docs_match_registry():
    text = docs.DOC.read_text(encoding="utf-8")
    block = text.split(docs.BEGIN, 1)[1].split(docs.END, 1)[0]
    assert block.strip() == docs.render_registry().strip(), \
        "docs/data-contract.md is out of date: run `python -m dashboard.docs`"


def test_every_column_is_documented():
    text = docs.DOC.read_text(encoding="utf-8")
    for tab in TABS:
        assert f"### {tab.name}" in text
        for column in tab.columns:
            assert f"| {column.name} |" in text


def test_required_columns_follow_the_contract():
    required = {t.name: sorted(c.name for c in t.required) for t in TABS}
    one_of = {t.name: sorted(c.name for c in t.one_of) for t in TABS}
    assert required == {"Attendees": ["Ref", "Status"], "MP meetings": ["Name"],
                        "Pledges": [], "Media": []}
    assert one_of == {"Attendees": [], "MP meetings": [], "Pledges": ["Constituency", "MP name"],
                      "Media": ["Outlet", "URL"]}


def test_tab_names_match_loosely():
    assert match_tab(" MP-Meetings ").key == "mp_meetings"
    assert match_tab("mp_meetings").key == "mp_meetings"
    assert match_tab("MEDIA").key == "media"
    assert match_tab("Meetings") is None
    assert norm_name("Young_people - present") == "young people present"


def test_free_text_columns_are_marked():
    free = {(t.key, c.key) for t in TABS for c in t.columns if c.free_text}
    assert ("mp_meetings", "notes") in free and ("mp_meetings", "follow_up") in free
    assert ("media", "headline") in free


def test_figures_in_contract_order():
    assert FIGURES == ("attendees_registered", "attendees_attended", "meetings", "mp_meetings",
                       "mps_met", "pledges", "media_mentions", "media_reach")

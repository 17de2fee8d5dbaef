"""The template workbook is the registry, written out: reopen it and compare."""
from __future__ import annotations

import argparse

import openpyxl
import pytest

from connectors.local import read_xlsx
from dashboard.contract import TABS
from dashboard.reports.template import INSTRUCTIONS, NO_NAMES_RULE, VALIDATED_ROWS
from dashboard.commands.template import cmd_template


@pytest.fixture
def template(tmp_path, capsys):
    out = tmp_path / "packs" / "coalition-template.xlsx"
    code = cmd_template(argparse.Namespace(out=str(out), config="ignored.toml"))
    assert code == 0
    assert capsys.readouterr().out.strip() == str(out.resolve())
    return out


def _validations(ws) -> dict[str, object]:
    """Data validations by the column letter they cover."""
    found = {}
    for rule in ws.data_validations.dataValidation:
        for cell_range in rule.sqref.ranges:
            found[cell_range.coord.split(":")[0].rstrip("0123456789")] = rule
    return found


def test_tabs_and_headers_are_the_registry(template):
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == [INSTRUCTIONS] + [t.name for t in TABS]
    for tab in TABS:
        ws = book[tab.name]
        assert [c.value for c in ws[1]] == [c.name for c in tab.columns]
        assert ws.max_row == 1                        # blank: no example rows that would count
        assert ws.freeze_panes == "A2"
        assert all(c.font.bold for c in ws[1])
        for index, column in enumerate(tab.columns, start=1):
            width = ws.column_dimensions[openpyxl.utils.get_column_letter(index)].width
            assert 10 <= width <= 40 and width >= min(40, len(column.name))


def test_choice_and_yes_no_columns_have_drop_downs(template):
    book = openpyxl.load_workbook(template)
    checked = 0
    for tab in TABS:
        rules = _validations(book[tab.name])
        for index, column in enumerate(tab.columns, start=1):
            letter = openpyxl.utils.get_column_letter(index)
            rule = rules[letter]
            assert [r.coord for r in rule.sqref.ranges] == [f"{letter}2:{letter}{VALIDATED_ROWS + 1}"]
            assert rule.showInputMessage and rule.prompt
            if column.kind == "choice" or column.kind == "yesno":
                expected = column.choices if column.kind == "choice" else ("yes", "no")
                assert rule.type == "list"
                assert rule.formula1 == '"' + ",".join(expected) + '"'
                assert rule.errorStyle == ("stop" if column.required else "warning")
                checked += 1
            elif column.kind == "int":
                assert rule.type == "whole"
            else:
                assert rule.type is None             # a prompt, no restriction
    # Status, Age band, Region, Role, Meeting type, Type + Media consent, Pledge signed, Photo taken
    assert checked == 9


def test_instructions_explain_every_column_and_the_no_names_rule(template):
    ws = openpyxl.load_workbook(template)[INSTRUCTIONS]
    text = [[c.value for c in row] for row in ws.iter_rows()]
    assert [NO_NAMES_RULE] in [[v for v in row if v] for row in text]
    header = ["Tab", "Column", "Required?", "What to write", "Example"]
    start = next(i for i, row in enumerate(text) if row[:5] == header)
    table = [row[:5] for row in text[start + 1:]]
    expected = [(t.name, c.name) for t in TABS for c in t.columns]
    assert [(row[0], row[1]) for row in table] == expected
    by_column = {(row[0], row[1]): row for row in table}
    assert by_column[("Attendees", "Ref")][2] == "required"
    assert by_column[("Attendees", "Region")][2] == "optional"
    assert by_column[("Pledges", "MP name")][2] == "required unless Constituency is given"
    assert "blank means MP" in by_column[("MP meetings", "Role")][3]
    assert "registered, attended, cancelled, no-show" in by_column[("Attendees", "Status")][3]
    assert by_column[("Media", "Reach")][4] == "250000"
    for tab in TABS:
        assert any(row[0] == f"{tab.name}: {tab.help}" for row in text)


def test_a_filled_in_template_reads_and_validates_cleanly(template):
    """The template is a valid source: a charity typing one row per tab gets no errors."""
    from dashboard import validate

    book = openpyxl.load_workbook(template)
    for tab in TABS:
        book[tab.name].append([c.example or None for c in tab.columns])
    book.save(template)
    data = validate.validate_workbook(read_xlsx(template, source=str(template)), "Become")
    assert [i for i in data.issues if i.severity == "error"] == []
    assert {k: len(f) for k, f in data.frames.items()} == {t.key: 1 for t in TABS}
    # The only note is the Instructions tab, which is not a data tab.
    assert [(i.severity, i.code) for i in data.issues] == [("note", "extra_tab")]


def test_out_must_be_an_xlsx(tmp_path, capsys):
    code = cmd_template(argparse.Namespace(out=str(tmp_path / "template.csv"), config=None))
    assert code == 2
    assert ".xlsx" in capsys.readouterr().err
    assert not (tmp_path / "template.csv").exists()

"""The machine-readable summary (contract section 6): one dict, and its JSON."""
from __future__ import annotations

import json

from dashboard import clock
from dashboard.contract import FIGURES


def build_summary(coalition) -> dict:
    # One dict per charity, not a lookup per figure (200 charities: 1,600 `.at` took 0.3 s).
    figures = coalition.figures.to_dict("index")
    return {
        "generated_at": clock.iso(coalition.read_at),
        "coalition": coalition.coalition_figures,
        "charities": [
            {"name": c.name, "status": c.status, "as_of": clock.iso(c.as_of),
             "errors": c.errors, "warnings": c.warnings,
             **{k: int(figures[c.name][k]) for k in FIGURES}}
            for c in coalition.charities
        ],
        "issues": [i.as_contract() for i in coalition.issues],
    }


def summary_json(summary: dict) -> str:
    """The summary as indented JSON with one issue per line: as readable as `indent=2`
    and written by the json module's C encoder (with `indent` it falls back to Python,
    which took 0.4 s for a 50-charity coalition's 25,000 issues)."""
    return "".join(summary_json_parts(summary))


def summary_json_parts(summary: dict):
    """summary_json's text in pieces, an issue at a time, for writing as it is made: the
    whole text of a 50-charity coalition is 6 MB more at the command's peak."""
    yield "{\n"
    for n, (key, value) in enumerate(summary.items()):
        yield (",\n  " if n else "  ") + json.dumps(key) + ": "
        if key == "issues" and value:
            yield "[\n"
            for i, issue in enumerate(value):
                yield ("    " if not i else ",\n    ") + issue_json(issue)
            yield "\n  ]"
        else:
            yield json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
    yield "\n}"


class _NotPlain(Exception):
    """A value issue_json does not write itself."""


def _plain(value, text=json.encoder.encode_basestring) -> str:
    # (json's own string escaping, the C one json.dumps uses with ensure_ascii=False)
    if type(value) is str:
        return text(value)
    if value is None:
        return "null"
    if type(value) is int:
        return int.__repr__(value)
    raise _NotPlain


_ISSUE_KEYS = ["charity", "tab", "row", "column", "severity", "message"]


def issue_json(issue: dict) -> str:
    """json.dumps(issue, ensure_ascii=False), the same text: an issue object (the keys of
    Issue.as_contract, in its order, each value a text, an integer or None) written
    directly, anything else by json.dumps. dumps makes an encoder per call, which took
    0.085 s for a 50-charity coalition's 25,000 issues; this takes a third of that."""
    if list(issue) == _ISSUE_KEYS:
        try:
            return (f'{{"charity": {_plain(issue["charity"])}, "tab": {_plain(issue["tab"])}, '
                    f'"row": {_plain(issue["row"])}, "column": {_plain(issue["column"])}, '
                    f'"severity": {_plain(issue["severity"])}, '
                    f'"message": {_plain(issue["message"])}}}')
        except _NotPlain:
            pass
    return json.dumps(issue, ensure_ascii=False)

"""Roles, signed links (mint, verify, rotate, revoke, list) and small-number suppression."""
from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from dashboard.access import links, roles, suppression
from dashboard.access.suppression import (PRIMARY_MARK as LT5, SECONDARY_MARK as C, suppress_counts,
                                          suppress_value)
from dashboard.access.roles import (AccessDenied, Viewer, allowed_pages, can_download, can_refresh,
                                    can_see_issues, can_see_rows, issues_visible_to,
                                    rows_visible_to)
from dashboard.access.links import (mint_link, mint_token, resolve_viewer,
                                    verify_token)
from dashboard.cli import main
from dashboard.config import load_config
from dashboard.store import Store

SECRET_A = "a" * 20 + "-old-secret-0123456789"
SECRET_B = "b" * 20 + "-new-secret-9876543210"
NOW = "2022-06-23T09:00:00+01:00"


@pytest.fixture(autouse=True)
def _no_streamlit_secrets(monkeypatch):
    """The developer's own .streamlit/secrets.toml must never decide a test."""
    monkeypatch.setattr(links, "_streamlit_link_secret", lambda: None)
    monkeypatch.delenv(links.SECRET_ENV, raising=False)


def write_config(tmp_path, mode: str = "links", charities=("Become", "Coram"),
                 base_url: str = "https://dashboard.example.org/") -> str:
    blocks = "".join(f'[[charity]]\nname = "{name}"\nsource = "data/{i}.xlsx"\n\n'
                     for i, name in enumerate(charities))
    path = tmp_path / "coalition.toml"
    path.write_text(
        "[campaign]\nname = \"Test\"\nstart = 2022-05-23\nend = 2022-07-22\n\n"
        f"{blocks}[storage]\nurl = \"sqlite:///{tmp_path / 'links.sqlite'}\"\n\n"
        f"[access]\nmode = \"{mode}\"\n"
        + (f"base_url = \"{base_url}\"\n" if base_url else ""), encoding="utf-8")
    return str(path)


@pytest.fixture
def cfg(tmp_path, monkeypatch):
    # conftest points DASHBOARD_STORAGE_URL at tmp_path too; either way one store per test.
    monkeypatch.setenv(links.SECRET_ENV, SECRET_A)
    monkeypatch.setenv("DASHBOARD_NOW", NOW)
    return write_config(tmp_path)


def store_of(config_path: str) -> Store:
    return Store(load_config(config_path).storage_url)


def mint_cli(capsys, config_path, *extra) -> str:
    """Mint through the CLI; the token from the printed URL."""
    assert main(["link", "--config", config_path, *extra]) == 0
    url = capsys.readouterr().out.strip()
    token = parse_qs(urlsplit(url).query)["token"]
    assert len(token) == 1
    return token[0]


# -- roles ------------------------------------------------------------------------------

COALITION = Viewer("coalition")
LEAD = Viewer("lead", "Become")
TRUSTEE = Viewer("trustee")


def test_viewer_checks_its_role_and_charity():
    with pytest.raises(ValueError):
        Viewer("admin")
    with pytest.raises(ValueError):
        Viewer("lead")                      # a lead needs a charity
    with pytest.raises(ValueError):
        Viewer("trustee", "Become")         # a trustee sees every charity


def test_rows_and_issues_per_role():
    assert can_see_rows(COALITION, "Coram") and can_see_issues(COALITION, "Coram")
    assert can_see_rows(LEAD, "Become") and can_see_issues(LEAD, "Become")
    assert not can_see_rows(LEAD, "Coram") and not can_see_issues(LEAD, "Coram")
    assert not can_see_rows(TRUSTEE, "Become") and not can_see_issues(TRUSTEE, "Become")
    assert can_refresh(COALITION) and can_refresh(LEAD) and not can_refresh(TRUSTEE)


def test_downloads_per_role():
    assert all(can_download(COALITION, what) for what in roles.DOWNLOAD_ROLES)
    assert can_download(LEAD, "rows") and can_download(LEAD, "issues")
    assert can_download(LEAD, "pack") and not can_download(LEAD, "export")
    assert can_download(TRUSTEE, "figures")
    assert not any(can_download(TRUSTEE, what) for what in ("rows", "issues", "export", "pack", "template"))
    with pytest.raises(ValueError):
        can_download(COALITION, "everything")


def test_pages_per_role():
    assert allowed_pages(COALITION) == list(roles.PAGE_ROLES)
    assert set(allowed_pages(LEAD)) == set(roles.PAGE_ROLES) - {"links"}
    assert "links" in allowed_pages(COALITION)      # issue 20's Links page: coalition only
    assert set(allowed_pages(TRUSTEE)) == {"overview", "meeting", "charities", "mps", "media", "placements"}
    assert "quality" not in allowed_pages(TRUSTEE) and "coverage" not in allowed_pages(TRUSTEE)


def test_visible_rows_and_issues_are_filtered():
    frame = pd.DataFrame({"charity": ["Become", "Coram", "Become"], "ref": ["B1", "C1", "B2"]})
    assert rows_visible_to(COALITION, frame)["ref"].tolist() == ["B1", "C1", "B2"]
    assert rows_visible_to(LEAD, frame)["ref"].tolist() == ["B1", "B2"]
    hidden = rows_visible_to(TRUSTEE, frame)
    assert hidden.empty and list(hidden.columns) == ["charity", "ref"]
    issues = pd.DataFrame({"charity": ["Coram"], "message": ["Row 3: bad date"]})
    assert issues_visible_to(LEAD, issues).empty
    assert len(issues_visible_to(COALITION, issues)) == 1


# -- minting and verifying ---------------------------------------------------------------

def test_valid_links_give_their_viewer(cfg, capsys):
    store, config = store_of(cfg), load_config(cfg)
    trustee = verify_token(mint_cli(capsys, cfg, "--role", "trustee", "--expires", "30d"), store, config)
    assert (trustee.role, trustee.charity) == ("trustee", None)
    assert trustee.expires_at == dt.datetime.fromisoformat("2022-07-23T09:00:00+01:00")
    lead = verify_token(mint_cli(capsys, cfg, "--role", "lead", "--charity", "become", "--expires", "1d"),
                        store, config)
    assert (lead.role, lead.charity) == ("lead", "Become")     # the config's spelling
    coalition = verify_token(mint_cli(capsys, cfg, "--role", "coalition", "--expires", "12h"), store, config)
    assert coalition.role == "coalition" and coalition.link_id in {r["id"] for r in store.links()}


def test_mint_prints_url_with_token_and_never_the_secret(cfg, capsys):
    assert main(["link", "--config", cfg, "--role", "trustee", "--expires", "30d",
                 "--base-url", "https://dash.example.org/app?theme=light"]) == 0
    out, err = capsys.readouterr()
    url = out.strip()
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "dash.example.org", "/app")
    assert parse_qs(parts.query)["theme"] == ["light"] and "token" in parse_qs(parts.query)
    assert SECRET_A not in out + err
    assert "link revoke" in err


def _flip(text: str, index: int) -> str:
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1:]


def test_tampered_tokens_are_refused(cfg, capsys):
    store = store_of(cfg)
    token = mint_cli(capsys, cfg, "--role", "lead", "--charity", "Become", "--expires", "30d")
    payload, signature = token.split(".")
    bad = [
        _flip(token, 5),                                  # payload changed
        _flip(token, len(token) - 3),                     # signature changed
        token[:-10],                                      # cut short when copied
        payload,                                          # signature missing
        payload + "." + signature[::-1],
        "",
        "not-a-token",
        token + "x" * 2000,                               # absurdly long
        mint_token("x", "coalition", None, dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc),
                   keys=["z" * 40]),                      # signed with someone else's secret
    ]
    for candidate in bad:
        with pytest.raises(AccessDenied, match="not valid"):
            verify_token(candidate, store)


def test_role_change_by_hand_is_refused(cfg, capsys):
    """Re-encoding the payload with a better role breaks the signature."""
    import base64
    import json
    store = store_of(cfg)
    token = mint_cli(capsys, cfg, "--role", "trustee", "--expires", "30d")
    payload, signature = token.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["role"] = "coalition"
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=") + "." + signature
    with pytest.raises(AccessDenied, match="not valid"):
        verify_token(forged, store)


def test_expired_link_says_when(cfg, capsys, monkeypatch):
    store = store_of(cfg)
    token = mint_cli(capsys, cfg, "--role", "trustee", "--expires", "1d")
    monkeypatch.setenv("DASHBOARD_NOW", "2022-06-24T08:59:59+01:00")
    assert verify_token(token, store).role == "trustee"
    monkeypatch.setenv("DASHBOARD_NOW", "2022-06-24T09:00:00+01:00")   # the moment it ends
    with pytest.raises(AccessDenied, match="expired on 24 June 2022 at 09:00"):
        verify_token(token, store)


def test_revoked_link_is_refused(cfg, capsys):
    """(Open sessions close too: the app checks the link in full on every run;
    tests/test_app.py opens one and revokes it.)"""
    store = store_of(cfg)
    token = mint_cli(capsys, cfg, "--role", "trustee", "--expires", "30d")
    viewer = verify_token(token, store)
    assert main(["link", "--config", cfg, "revoke", viewer.link_id]) == 0
    assert "Revoked" in capsys.readouterr().out
    with pytest.raises(AccessDenied, match="withdrawn"):
        verify_token(token, store)


def test_unknown_role_is_refused(cfg):
    store = store_of(cfg)
    expires = dt.datetime.fromisoformat("2022-07-01T00:00:00+01:00")
    store.add_link("admin1", "admin", None, dt.datetime.fromisoformat(NOW), expires)
    token = mint_token("admin1", "admin", None, expires)
    with pytest.raises(AccessDenied, match="does not know"):
        verify_token(token, store)


def test_lead_for_a_charity_no_longer_in_the_config_is_refused(cfg, capsys, tmp_path):
    store = store_of(cfg)
    token = mint_cli(capsys, cfg, "--role", "lead", "--charity", "Coram", "--expires", "30d")
    assert verify_token(token, store, load_config(cfg)).charity == "Coram"
    smaller = load_config(write_config(tmp_path, charities=("Become",)))
    with pytest.raises(AccessDenied, match="Coram, which is no longer part"):
        verify_token(token, store, smaller)


def test_well_signed_token_unknown_to_the_store_is_refused(cfg):
    """A wiped or different store must not bring revoked links back to life."""
    token = mint_token("never-recorded", "coalition", None,
                       dt.datetime.fromisoformat("2022-07-01T00:00:00+01:00"))
    with pytest.raises(AccessDenied, match="not on this dashboard's list"):
        verify_token(token, store_of(cfg))


def test_rotation_old_secret_still_verifies_new_one_signs(cfg, capsys, monkeypatch):
    store = store_of(cfg)
    old_token = mint_cli(capsys, cfg, "--role", "trustee", "--expires", "30d")
    monkeypatch.setenv(links.SECRET_ENV, f"{SECRET_B}, {SECRET_A}")      # newest first
    assert verify_token(old_token, store).role == "trustee"
    new_token = mint_cli(capsys, cfg, "--role", "coalition", "--expires", "30d")
    assert verify_token(new_token, store, keys=[SECRET_B]).role == "coalition"
    with pytest.raises(AccessDenied, match="not valid"):
        verify_token(new_token, store, keys=[SECRET_A])     # not signed with the old one
    monkeypatch.setenv(links.SECRET_ENV, SECRET_B)         # old secret retired
    with pytest.raises(AccessDenied, match="not valid"):
        verify_token(old_token, store)
    assert verify_token(new_token, store).role == "coalition"


def test_secret_from_streamlit_secrets_when_env_is_empty(cfg, capsys, monkeypatch):
    store = store_of(cfg)
    monkeypatch.delenv(links.SECRET_ENV)
    monkeypatch.setattr(links, "_streamlit_link_secret", lambda: [SECRET_B, SECRET_A])
    token = mint_cli(capsys, cfg, "--role", "trustee", "--expires", "30d")
    assert verify_token(token, store, keys=[SECRET_B]).role == "trustee"


def test_no_secret_refuses_to_mint(cfg, capsys, monkeypatch):
    monkeypatch.delenv(links.SECRET_ENV)
    assert main(["link", "--config", cfg, "--role", "trustee", "--expires", "30d"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "no link secret is set" in err and links.SECRET_ENV in err
    assert store_of(cfg).links() == []                       # nothing recorded


def test_short_secret_refused_without_showing_it(cfg, capsys, monkeypatch):
    monkeypatch.setenv(links.SECRET_ENV, f"{SECRET_B},tooshort")
    assert main(["link", "--config", cfg, "--role", "trustee", "--expires", "30d"]) == 2
    err = capsys.readouterr().err
    assert "secret number 2 is 8 characters" in err and "tooshort" not in err and SECRET_B not in err


def test_no_secret_on_the_server_denies_with_a_reason(cfg, capsys, monkeypatch):
    token = mint_cli(capsys, cfg, "--role", "trustee", "--expires", "30d")
    monkeypatch.delenv(links.SECRET_ENV)
    with pytest.raises(AccessDenied, match="no link secret"):
        verify_token(token, store_of(cfg))


@pytest.mark.parametrize("extra, message", [
    (["--expires", "30d"], "give --role"),
    (["--role", "trustee"], "give --expires"),
    (["--role", "trustee", "--expires", "3w"], "is not a duration"),
    (["--role", "trustee", "--expires", "0d"], "longer than 0"),
    (["--role", "trustee", "--expires", "400d"], "at most 365d"),
    (["--role", "lead", "--expires", "30d"], "needs --charity"),
    (["--role", "lead", "--charity", "Nope", "--expires", "30d"], "'Nope' is not a charity"),
    (["--role", "trustee", "--charity", "Become", "--expires", "30d"], "only for --role lead"),
    (["--role", "trustee", "--expires", "30d", "--base-url", "javascript:alert(1)"], "--base-url"),
])
def test_mint_refuses_unusable_arguments(cfg, capsys, extra, message):
    assert main(["link", "--config", cfg, *extra]) == 2
    out, err = capsys.readouterr()
    assert message in err and out == ""
    assert store_of(cfg).links() == []


def test_unknown_role_option_is_an_argument_error(cfg, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["link", "--config", cfg, "--role", "admin", "--expires", "30d"])
    assert stop.value.code == 2


def test_open_mode_mint_warns(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(links.SECRET_ENV, SECRET_A)
    config_path = write_config(tmp_path, mode="open")
    assert main(["link", "--config", config_path, "--role", "trustee", "--expires", "1d"]) == 0
    assert '[access] mode is "open"' in capsys.readouterr().err


# -- link list / revoke ------------------------------------------------------------------

def test_link_list_shows_status_and_never_the_token(cfg, capsys, monkeypatch):
    assert main(["link", "--config", cfg, "list"]) == 0
    assert "No links" in capsys.readouterr().out
    trustee = mint_cli(capsys, cfg, "--role", "trustee", "--expires", "30d")
    lead = mint_cli(capsys, cfg, "--role", "lead", "--charity", "Become", "--expires", "1d")
    store = store_of(cfg)
    trustee_id = verify_token(trustee, store).link_id
    lead_id = verify_token(lead, store).link_id
    assert main(["link", "--config", cfg, "revoke", trustee_id]) == 0
    capsys.readouterr()
    monkeypatch.setenv("DASHBOARD_NOW", "2022-06-25T09:00:00+01:00")    # the lead link has run out
    assert main(["link", "--config", cfg, "list"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split() == ["id", "label", "role", "charity", "created", "expires", "status"]
    by_id = {line.split()[0]: line.split() for line in lines[1:]}
    assert by_id[trustee_id][1] == "trustee" and by_id[trustee_id][-1] == "revoked"
    assert by_id[lead_id][1:3] == ["lead", "Become"] and by_id[lead_id][-1] == "expired"
    assert "2022-06-24T09:00:00+01:00" in by_id[lead_id]
    assert trustee not in out and lead not in out
    assert trustee.split(".")[1] not in out


def test_link_list_active(cfg, capsys):
    mint_cli(capsys, cfg, "--role", "coalition", "--expires", "30d")
    assert main(["link", "--config", cfg, "list"]) == 0
    assert capsys.readouterr().out.splitlines()[1].split()[-1] == "active"


def test_link_revoke_unknown_twice_and_missing(cfg, capsys):
    assert main(["link", "--config", cfg, "revoke", "nope"]) == 1
    assert "no link has the id or label 'nope'" in capsys.readouterr().err
    assert main(["link", "--config", cfg, "revoke"]) == 2
    assert "give the id or label" in capsys.readouterr().err
    viewer = verify_token(mint_cli(capsys, cfg, "--role", "trustee", "--expires", "30d"), store_of(cfg))
    assert main(["link", "--config", cfg, "revoke", viewer.link_id]) == 0
    first = store_of(cfg).link(viewer.link_id)["revoked_at"]
    capsys.readouterr()
    assert main(["link", "--config", cfg, "revoke", viewer.link_id]) == 0
    assert "already revoked" in capsys.readouterr().out
    assert store_of(cfg).link(viewer.link_id)["revoked_at"] == first


def test_link_with_bad_config_is_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[campaign]\nstart = 2022-05-23\n", encoding="utf-8")
    assert main(["link", "--config", str(bad), "list"]) == 2
    assert "config error" in capsys.readouterr().err


# -- resolving the viewer of a page ------------------------------------------------------

def test_resolve_viewer_by_mode(cfg, capsys, tmp_path):
    store = store_of(cfg)
    links_config = load_config(cfg)
    denied = resolve_viewer(links_config, {}, store)
    assert isinstance(denied, AccessDenied) and "link" in denied.reason
    token = mint_cli(capsys, cfg, "--role", "lead", "--charity", "Become", "--expires", "30d")
    viewer = resolve_viewer(links_config, {"token": token}, store)
    assert viewer == Viewer("lead", "Become", viewer.link_id, viewer.expires_at)
    assert resolve_viewer(links_config, {"token": [token]}, store).role == "lead"
    bad = resolve_viewer(links_config, {"token": _flip(token, 3)}, store)
    assert isinstance(bad, AccessDenied) and "not valid" in str(bad)

    open_dir = tmp_path / "open"
    open_dir.mkdir()
    open_config = load_config(write_config(open_dir, mode="open"))
    assert resolve_viewer(open_config, {}, store) == Viewer("coalition")
    # A token still applies in open mode: a trustee link shows the trustee view.
    trustee_token = mint_cli(capsys, cfg, "--role", "trustee", "--expires", "30d")
    assert resolve_viewer(open_config, {"token": trustee_token}, store).role == "trustee"


def test_mint_link_api(cfg):
    store, config = store_of(cfg), load_config(cfg)
    link = mint_link(store, config, "lead", dt.timedelta(days=7), "CORAM")
    assert link.charity == "Coram" and store.link(link.link_id)["charity"] == "Coram"
    assert verify_token(link.token, store, config).expires_at == link.expires_at


# -- small-number suppression ------------------------------------------------------------

def test_suppress_value():
    assert [suppress_value(n) for n in (0, 1, 4, 5, 1200)] == ["0", LT5, LT5, "5", "1200"]
    assert suppress_value(None) == ""


def test_one_column_of_charities_hides_a_second_cell():
    # A=3 alone would be 33 - 10 - 20: the smallest other cell (B=10) is hidden too.
    frame = pd.DataFrame({"charity": ["A", "B", "C"], "attended": [3, 10, 20], "mps_met": [1, 2, 3]})
    out = suppress_counts(frame, ["attended"], add_totals=True)
    assert out["attended"].tolist() == [LT5, C, "20", "33"]
    assert out["charity"].tolist() == ["A", "B", "C", "Total"]
    assert out["mps_met"].tolist()[:3] == [1, 2, 3]        # not a count of young people


def test_two_small_cells_protect_each_other():
    frame = pd.DataFrame({"charity": ["A", "B", "C"], "attended": [2, 3, 20]})
    assert suppress_counts(frame, ["attended"])["attended"].tolist() == [LT5, LT5, "20"]


def test_zero_is_shown_and_is_the_first_choice_to_hide():
    # Hiding the 0 is enough: 3 = "<5" + "[c]" leaves several possibilities.
    frame = pd.DataFrame({"charity": ["A", "B", "C", "D"], "attended": [3, 0, 0, 6]})
    assert suppress_counts(frame, ["attended"])["attended"].tolist() == [LT5, C, "0", "6"]


def test_equal_candidates_hide_the_first():
    frame = pd.DataFrame({"charity": ["A", "B", "C"], "attended": [4, 5, 5]})
    assert suppress_counts(frame, ["attended"])["attended"].tolist() == [LT5, C, "5"]


def test_cross_table_iterates_until_every_line_is_safe():
    # Worked by hand, rows A=[3,6,8] (17), B=[7,9,12] (28); columns 10, 15, 20; total 45.
    # Row A has one hidden (3): hide its smallest other, 6. Column 16-17 now has one
    # hidden (3): hide B's 7. Column 18-21 has one hidden (6): hide B's 9. Row B has two.
    frame = pd.DataFrame({"16-17": [3, 7], "18-21": [6, 9], "22-25": [8, 12]}, index=["A", "B"])
    out = suppress_counts(frame, list(frame.columns), across_rows=True, add_totals=True)
    assert out.loc["A"].tolist() == [LT5, C, "8", "17"]
    assert out.loc["B"].tolist() == [C, C, "12", "28"]
    assert out.loc["Total"].tolist() == ["10", "15", "20", "45"]


def test_no_line_is_left_with_exactly_one_hidden_cell():
    frame = pd.DataFrame({"a": [1, 9, 30, 7], "b": [12, 2, 11, 40], "c": [15, 16, 3, 0], "d": [8, 0, 25, 4]})
    out = suppress_counts(frame, list(frame.columns), across_rows=True)
    hidden = out.isin([LT5, C])
    totals_small = lambda s: 1 <= s < 5  # noqa: E731
    for i in range(len(frame)):
        if not totals_small(frame.iloc[i].sum()):
            assert hidden.iloc[i].sum() != 1
    for column in frame.columns:
        if not totals_small(frame[column].sum()):
            assert hidden[column].sum() != 1
    # every 1-4 is "<5"; nothing else is "<5"
    assert ((frame >= 1) & (frame <= 4)).equals(out == LT5)


def test_rows_across_columns_only_when_asked():
    frame = pd.DataFrame({"registered": [10, 3], "attended": [6, 3]}, index=["A", "B"])
    # Columns: each has one small cell -> the other cell of that column is hidden too.
    out = suppress_counts(frame, ["registered", "attended"])
    assert out["registered"].tolist() == [C, LT5] and out["attended"].tolist() == [C, LT5]
    # Across rows without across columns: a row with one small cell hides its smallest other.
    row = pd.DataFrame({"a": [3], "b": [0], "c": [0], "d": [6]})
    out = suppress_counts(row, list(row.columns), across_rows=True, across_columns=False, add_totals=True)
    assert out.iloc[0].tolist() == [LT5, C, "0", "6", "9"]
    assert len(out) == 1                                  # no unprotected total row


def test_small_totals_are_shown_as_lt5_and_need_no_more_hiding():
    frame = pd.DataFrame({"charity": ["A", "B"], "attended": [3, 0]})
    out = suppress_counts(frame, ["attended"], add_totals=True)
    assert out["attended"].tolist() == [LT5, "0", LT5]


def test_missing_counts_are_blank_and_non_counts_refused():
    frame = pd.DataFrame({"n": [None, 12, 7]}, dtype="Int64")
    assert suppress_counts(frame, ["n"])["n"].tolist() == ["", "12", "7"]
    with pytest.raises(ValueError):
        suppress_counts(pd.DataFrame({"n": [-1, 5]}), ["n"])
    with pytest.raises(ValueError):
        suppress_counts(pd.DataFrame({"n": [1.5, 5]}), ["n"])


def test_suppression_rule_text_names_the_marks():
    assert LT5 in suppression.SUPPRESSION_RULE and C in suppression.SUPPRESSION_RULE


# -- the registry of what each role sees ---------------------------------------------

def test_every_surface_is_a_page_or_download_with_known_roles():
    keys = [s.key for s in roles.SURFACES]
    assert len(keys) == len(set(keys))
    for surface in roles.SURFACES:
        assert surface.kind in ("page", "download"), surface.key
        assert set(surface.roles) <= set(roles.ROLES), surface.key
        assert "coalition" in surface.roles, surface.key   # the team sees everything it shares


def test_trustees_see_figures_only_wherever_they_go():
    for surface in roles.SURFACES:
        seen = surface.roles.get("trustee")
        if seen is None:
            continue
        assert (seen.rows, seen.notes, seen.issues) == (roles.NONE,) * 3, surface.key
        assert not seen.commands, surface.key
        # Placement statistics are DfE's published (already suppressed) figures.
        assert seen.suppressed or surface.key == "placements", surface.key


def test_leads_see_no_other_charitys_rows_notes_or_issues():
    for surface in roles.SURFACES:
        seen = surface.roles.get("lead")
        if seen is None:
            continue
        assert roles.EVERY not in (seen.rows, seen.notes, seen.issues), surface.key


def test_visible_follows_the_registry_per_role():
    frame = pd.DataFrame({"charity": ["Become", "Coram", "Become, Coram"], "x": [1, 2, 3]})
    assert roles.visible(COALITION, "media", frame)["x"].tolist() == [1, 2, 3]
    # a line logged by two charities is the lead's own line too
    assert roles.visible(LEAD, "media", frame)["x"].tolist() == [1, 3]
    assert roles.visible(TRUSTEE, "media", frame).empty
    assert roles.visible(LEAD, "coverage", frame, "issues").empty       # no issues there
    assert roles.visible(LEAD, "quality", frame, "issues")["x"].tolist() == [1, 3]
    assert roles.visible(TRUSTEE, "quality", frame, "issues").empty     # not a trustee page
    with pytest.raises(ValueError):
        roles.visible(COALITION, "medya", frame)


def test_suppression_and_commands_per_role():
    assert roles.suppressed(TRUSTEE, "meeting") and roles.suppressed(TRUSTEE, "figures")
    assert not roles.suppressed(COALITION, "meeting") and not roles.suppressed(LEAD, "figures")
    assert roles.suppressed(TRUSTEE, "quality")        # not theirs at all: suppressed if shown
    assert roles.shows_commands(COALITION, "meeting") and not roles.shows_commands(TRUSTEE, "meeting")


def test_sharing_docs_table_is_the_registry():
    from dashboard import docs

    block = docs.block(docs.SHARING, docs.ROLES_BEGIN, docs.ROLES_END)
    assert block.strip() == docs.render_roles().strip(), \
        "docs/sharing.md's table differs from roles.SURFACES: run python -m dashboard.docs"
    assert "| Links (page) | yes | no | no |" in block


def test_a_registry_entry_cannot_show_notes_wider_than_rows():
    with pytest.raises(ValueError):
        roles.Sees(rows=roles.OWN, notes=roles.EVERY)
# -- labels and the base URL --------------------------------------------------------------

def test_link_label_is_listed_and_revokes(cfg, capsys):
    token = mint_cli(capsys, cfg, "--role", "trustee", "--expires", "30d", "--label", "Chair of  trustees")
    mint_cli(capsys, cfg, "--role", "trustee", "--expires", "30d", "--label", "Treasurer")
    assert main(["link", "--config", cfg, "list"]) == 0
    out = capsys.readouterr().out
    assert "Chair of trustees" in out and "Treasurer" in out and token not in out
    assert main(["link", "--config", cfg, "revoke", "chair of trustees"]) == 0
    assert "'Chair of trustees'" in capsys.readouterr().out
    with pytest.raises(AccessDenied, match="withdrawn"):
        verify_token(token, store_of(cfg))
    assert [r["revoked_at"] is None for r in store_of(cfg).links()] == [False, True]


def test_revoke_by_a_label_two_links_share_is_refused(cfg, capsys):
    mint_cli(capsys, cfg, "--role", "trustee", "--expires", "30d", "--label", "Trustees")
    mint_cli(capsys, cfg, "--role", "trustee", "--expires", "7d", "--label", "Trustees")
    assert main(["link", "--config", cfg, "revoke", "Trustees"]) == 1
    assert "2 links are labelled 'Trustees'" in capsys.readouterr().err
    assert all(r["revoked_at"] is None for r in store_of(cfg).links())


def test_base_url_comes_from_the_config_or_the_command(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(links.SECRET_ENV, SECRET_A)
    monkeypatch.setenv("DASHBOARD_NOW", NOW)
    cfg = write_config(tmp_path, base_url="https://trustees.example.org/dash")
    assert main(["link", "--config", cfg, "--role", "trustee", "--expires", "1d"]) == 0
    assert capsys.readouterr().out.startswith("https://trustees.example.org/dash?token=")
    assert main(["link", "--config", cfg, "--role", "trustee", "--expires", "1d",
                 "--base-url", "https://other.example.org/"]) == 0
    assert capsys.readouterr().out.startswith("https://other.example.org/?token=")


def test_no_base_url_anywhere_mints_nothing(tmp_path, capsys, monkeypatch):
    """No silent localhost: a link to an address nobody else can open reaches nobody."""
    monkeypatch.setenv(links.SECRET_ENV, SECRET_A)
    cfg = write_config(tmp_path, base_url="")
    assert main(["link", "--config", cfg, "--role", "trustee", "--expires", "1d"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "--base-url" in err and "[access] base_url" in err
    assert store_of(cfg).links() == []

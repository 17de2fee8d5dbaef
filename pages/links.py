"""Links: make, list and revoke the signed links people open the dashboard with.

For the coalition role only (PAGE_ROLES). The same rules as `python -m dashboard link`
(dashboard/access/links.py): a role, an expiry, a label saying whom it is for, the address from
the config's `[access] base_url` or typed here. A new link's URL is shown once, to copy;
the list never shows a token.
"""
import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import clock
from dashboard.access.roles import ROLES
from dashboard.access.links import (LinkSecretError, base_url_for_links, link_status, link_url,
                                    mint_link)
from dashboard.app.app_data import get_config, get_store, require_viewer
from dashboard.history import describe_time
from dashboard.safe import md_escape

viewer = require_viewer("links")
config, store = get_config(), get_store()

LIFETIMES = {"1 day": 1, "7 days": 7, "30 days": 30, "90 days": 90, "365 days": 365}
ROLE_HELP = {"trustee": "figures and charts only, small counts hidden",
             "lead": "one charity's lead: its rows and issues, and every figure",
             "coalition": "everything, for the coalition team"}

st.title("Links")
st.caption("Each link opens the dashboard in one role until it expires. Send each person "
           "their own link, privately; revoke it here when it should stop working.")

st.header("Make a link")
label = st.text_input("Whom it is for", max_chars=200, key="links_label",
                      help="Shown in the list below, e.g. 'Chair of trustees'")
role = st.selectbox("Role", ROLES, index=ROLES.index("trustee"), key="links_role",
                    format_func=lambda r: f"{r}: {ROLE_HELP[r]}")
charity = None
if role == "lead":
    charity = st.selectbox("Charity", [c.name for c in config.charities], key="links_charity")
lifetime = st.selectbox("Works for", list(LIFETIMES), index=2, key="links_lifetime")
base_url = config.base_url
if not base_url:
    base_url = st.text_input("The dashboard's address", key="links_base_url",
                             placeholder="https://dashboard.example.org/",
                             help="As viewers open it. Set [access] base_url in the config to "
                                  "skip this.")
if st.button("Make the link", type="primary", key="links_mint"):
    try:
        address = base_url_for_links(config, base_url)
        made = mint_link(store, config, role, dt.timedelta(days=LIFETIMES[lifetime]), charity,
                         label=label)
    except ValueError as err:
        st.error(str(err).replace("--base-url", "the dashboard's address"))
    except LinkSecretError as err:
        st.error(str(err))
    else:
        st.success(f"Link made ({made.link_id}); it works until {describe_time(made.expires_at)} "
                   "UK time. Copy it now: it is not shown again.")
        st.code(link_url(address, made.token), language=None)

st.header("Every link")
records = store.links()
if not records:
    st.write("No links have been made for this dashboard yet.")
else:
    now = clock.now()
    st.dataframe(pd.DataFrame([{
        "Label": r.get("label") or "", "Role": r["role"], "Charity": r["charity"] or "",
        "Made": describe_time(r["created_at"]), "Expires": describe_time(r["expires_at"]),
        "Status": link_status(r, now), "Id": r["id"],
    } for r in reversed(records)]), hide_index=True, width="stretch")

    active = [r for r in records if link_status(r, now) == "active"]
    if active:
        st.header("Revoke a link")
        chosen = st.selectbox(
            "Link", active, key="links_revoke_choice",
            format_func=lambda r: f"{r.get('label') or '(no label)'}: {r['role']}"
                                  f"{' for ' + r['charity'] if r['charity'] else ''}, {r['id']}")
        if st.button("Revoke this link", key="links_revoke"):
            store.revoke_link(chosen["id"], clock.now())
            st.session_state["links_revoked"] = chosen.get("label") or chosen["id"]
            st.rerun()       # the list above shows it revoked
if "links_revoked" in st.session_state:
    st.success(f"Revoked {md_escape(st.session_state.pop('links_revoked'))}: it no longer opens the "
               "dashboard, and tabs open on it close at their next click.")

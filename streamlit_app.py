"""The coalition dashboard: entry script. `make run` serves it on the bundled demo."""
import streamlit as st

from dashboard.app.app_data import get_config, get_viewer
from dashboard.config import ConfigError
from dashboard.memory import prefer_c_allocator
from dashboard.safe import md_escape
from dashboard.settings import SettingError, check_environment
from dashboard.app.ui import APP_ICON, access_denied, demo_banner, link_expiry_note, setup_error

prefer_c_allocator()        # before any coalition is loaded: see dashboard/memory.py
# A local icon: a ":material/…:" page icon is fetched by every viewer's browser from Google's
# font server, and the dashboard makes no request to any origin but its own.
st.set_page_config(page_title="Coalition dashboard", page_icon=str(APP_ICON), layout="wide")

try:
    check_environment()     # a mistyped variable is said in words, before anything is read
    config = get_config()
except (SettingError, ConfigError) as err:
    setup_error(str(err))
    st.stop()
viewer = get_viewer()

from dashboard.access.roles import AccessDenied, allowed_pages  # noqa: E402

if isinstance(viewer, AccessDenied):
    # No data at all: no figures, no charity names, nothing from the store.
    access_denied(str(viewer))
    st.stop()

PAGES = {
    "overview": st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    "meeting": st.Page("pages/meeting.py", title="Weekly meeting", icon=":material/event:"),
    "charities": st.Page("pages/charities.py", title="Charities", icon=":material/groups:"),
    "mps": st.Page("pages/mps.py", title="MPs & pledges", icon=":material/account_balance:"),
    "coverage": st.Page("pages/coverage.py", title="MP coverage & briefings", icon=":material/map:"),
    "media": st.Page("pages/media.py", title="Media", icon=":material/newspaper:"),
    "placements": st.Page("pages/placements.py", title="Placement statistics", icon=":material/show_chart:"),
    "quality": st.Page("pages/quality.py", title="Data quality", icon=":material/build:"),
    "links": st.Page("pages/links.py", title="Links", icon=":material/link:"),
}
allowed = [PAGES[name] for name in PAGES if name in allowed_pages(viewer)]

with st.sidebar:
    st.markdown("**Demo coalition**" if config.demo else f"**{md_escape(config.name)}**")
    st.caption(f"Viewing as: {viewer.role}" + (f" ({md_escape(viewer.charity)})" if viewer.charity else ""))
    if viewer.expires_at is not None:
        st.caption(link_expiry_note(viewer.expires_at))
demo_banner(config)
st.navigation(allowed).run()

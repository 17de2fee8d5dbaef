"""Signed links: the secret, minting, and checking a token on every run.

A link carries a token signed with itsdangerous: {id, role, charity, exp}. The secret
never leaves the server; every minted link is recorded in the store (never the token),
so a link can be listed and revoked by its id, and a token that is not on the list is
refused even if its signature is good (see `verify_token`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets as _random
from dataclasses import dataclass
from typing import Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from itsdangerous import BadData, URLSafeSerializer

from dashboard import clock, settings
from dashboard.config import Config
from dashboard.safe import safe_url
from dashboard.access.roles import ROLES, AccessDenied, Viewer

# -- secrets ----------------------------------------------------------------------------

LINK_SALT = "coalition-link"
SECRET_ENV = "DASHBOARD_LINK_SECRET"
STREAMLIT_SECRET_KEY = "link_secret"
MIN_SECRET_LENGTH = 32
MAX_LINK_LIFETIME = dt.timedelta(days=365)
MAX_TOKEN_LENGTH = 1000      # a real token is ~150 characters
_MAKE_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'


class LinkSecretError(Exception):
    """No usable signing secret: links can be neither minted nor checked."""


def _streamlit_link_secret():
    """st.secrets["link_secret"] when the app (or the CLI run beside .streamlit/) has one.

    Imported lazily so the CLI does not load Streamlit when the environment has the secret.
    """
    try:
        import streamlit as st
    except ImportError:
        return None
    if not st.secrets.load_if_toml_exists():
        return None
    return st.secrets.get(STREAMLIT_SECRET_KEY)


def link_secrets() -> list[str]:
    """The signing secrets, newest first: the first signs, every one verifies.

    From DASHBOARD_LINK_SECRET (several separated by commas or whitespace), else from
    Streamlit secrets' `link_secret` (a string in the same form, or a list). Raises
    LinkSecretError with a message that never contains a secret.
    """
    raw = settings.value(SECRET_ENV)
    where = SECRET_ENV
    if not raw.strip():
        raw = _streamlit_link_secret() or ""
        where = f'Streamlit secrets "{STREAMLIT_SECRET_KEY}"'
    if isinstance(raw, str):
        keys = [k for k in re.split(r"[\s,]+", raw.strip()) if k]
    else:
        keys = [str(k).strip() for k in raw if str(k).strip()]
    if not keys:
        raise LinkSecretError(
            f"no link secret is set: put one in {SECRET_ENV} (or link_secret in "
            f".streamlit/secrets.toml); make one with {_MAKE_SECRET}")
    for number, key in enumerate(keys, 1):
        if len(key) < MIN_SECRET_LENGTH:
            raise LinkSecretError(
                f"{where}: secret number {number} is {len(key)} characters; each must be at "
                f"least {MIN_SECRET_LENGTH}. Make one with {_MAKE_SECRET}")
    return keys


def _serializer(keys_newest_first: list[str]) -> URLSafeSerializer:
    # itsdangerous takes keys oldest to newest and signs with the last one.
    return URLSafeSerializer(list(reversed(keys_newest_first)), salt=LINK_SALT,
                             signer_kwargs={"digest_method": hashlib.sha256})


# -- minting ----------------------------------------------------------------------------

def mint_token(link_id: str, role: str, charity: str | None, expires_at: dt.datetime,
               keys: list[str] | None = None) -> str:
    """A signed token; `keys` newest first (default: link_secrets())."""
    keys = keys if keys is not None else link_secrets()
    payload = {"id": link_id, "role": role, "charity": charity, "exp": int(expires_at.timestamp())}
    return _serializer(keys).dumps(payload)


MAX_LABEL_LENGTH = 200


@dataclass(frozen=True)
class MintedLink:
    link_id: str
    token: str
    role: str
    charity: str | None
    expires_at: dt.datetime
    label: str | None = None


def clean_label(label: str | None) -> str | None:
    """Whom a link was sent to, as one line of text (None when not given); ValueError when too long."""
    text = " ".join(str(label or "").split())
    if len(text) > MAX_LABEL_LENGTH:
        raise ValueError(f"--label can be at most {MAX_LABEL_LENGTH} characters")
    return text or None


def mint_link(store, config: Config, role: str, lifetime: dt.timedelta, charity: str | None = None,
              *, keys: list[str] | None = None, label: str | None = None) -> MintedLink:
    """Record a new link in the store and sign its token.

    `label` says whom it is for ("Chair of trustees"), so a list of links can be read by
    a person. Raises ValueError (a sentence for the person minting) for a bad role,
    charity, label or lifetime, and LinkSecretError without a secret. Nothing is recorded
    if either fails.
    """
    label = clean_label(label)
    if role not in ROLES:
        raise ValueError(f"--role must be one of {', '.join(ROLES)}, not '{role}'")
    if role == "lead":
        charity = _config_charity(config, charity)
    elif charity:
        raise ValueError(f"a {role} link shows every charity; --charity is only for --role lead")
    else:
        charity = None
    if lifetime <= dt.timedelta(0):
        raise ValueError("--expires must be longer than 0")
    if lifetime > MAX_LINK_LIFETIME:
        raise ValueError(f"--expires can be at most {MAX_LINK_LIFETIME.days}d; mint a new link when it runs out")
    keys = keys if keys is not None else link_secrets()
    created = clock.now().replace(microsecond=0)
    expires_at = created + lifetime
    link_id = _random.token_hex(5)
    token = mint_token(link_id, role, charity, expires_at, keys)
    store.add_link(link_id, role, charity, created, expires_at, label)
    return MintedLink(link_id, token, role, charity, expires_at, label)


def _config_charity(config: Config, charity: str | None) -> str:
    names = [c.name for c in config.charities]
    shown = ", ".join(f"'{n}'" for n in names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
    if not charity or not charity.strip():
        raise ValueError(f"a lead link needs --charity, one of {shown}")
    for name in names:
        if name.casefold() == charity.strip().casefold():
            return name
    raise ValueError(f"'{charity}' is not a charity in {config.path.name}; the charities are {shown}")


def check_base_url(base_url: str) -> str:
    """The dashboard's address for links: an http(s) URL with a host, else ValueError."""
    url = safe_url(base_url)
    if url is None:
        raise ValueError(f"--base-url must be an http(s) address with a host, not '{base_url}'")
    return url


def base_url_for_links(config: Config, given: str | None = None) -> str:
    """The address links start with: `given` (--base-url), else the config's
    `[access] base_url`. Never a guess: a link to the wrong address reaches nobody."""
    url = (given or "").strip() or config.base_url
    if not url:
        raise ValueError(f"give --base-url, the dashboard's address as its viewers open it "
                         f"(e.g. https://dashboard.example.org/), or set [access] base_url in "
                         f"{config.path.name}")
    return check_base_url(url)


def find_link(store, id_or_label: str) -> dict | None:
    """The link with this id, else the one link with this label (case ignored); None
    when there is none. ValueError when several links carry the label."""
    record = store.link(id_or_label)
    if record is not None:
        return record
    wanted = " ".join(id_or_label.split()).casefold()
    matches = [r for r in store.links() if (r.get("label") or "").casefold() == wanted]
    if len(matches) > 1:
        raise ValueError(f"{len(matches)} links are labelled '{id_or_label}': give the id "
                         f"({', '.join(r['id'] for r in matches)})")
    return matches[0] if matches else None


def link_url(base_url: str, token: str) -> str:
    """`base_url` with token=… added to its query (any other parameters kept)."""
    parts = urlsplit(check_base_url(base_url))
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "token"]
    query.append(("token", token))
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query), ""))


# -- checking ---------------------------------------------------------------------------

_ASK = "Ask the coalition's data lead for a new link."


def _when(moment: dt.datetime) -> str:
    return f"{moment:%d %B %Y at %H:%M} ({moment.tzname() or moment.strftime('%z')})"


def verify_token(token: str, store, config: Config | None = None, *,
                 keys: list[str] | None = None) -> Viewer:
    """The Viewer a token stands for, or AccessDenied saying why not.

    Checked in order: signature (with every secret, so rotation keeps old links working),
    the payload's shape and role, that the store knows the link (a wiped or different
    store must not bring revoked links back to life), revocation, expiry against
    dashboard.clock.now(), and for a lead that the charity is still in the config.
    """
    if keys is None:
        try:
            keys = link_secrets()
        except LinkSecretError:
            raise AccessDenied("This dashboard cannot check links because no link secret is set "
                               "up on it. Tell the coalition's data lead.") from None
    tampered = AccessDenied("This link is not valid: it may have been cut short or changed when "
                            "it was copied. Open the exact link you were sent, or ask the "
                            "coalition's data lead for a new one.")
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise tampered
    try:
        payload = _serializer(keys).loads(token)
    except BadData:
        raise tampered from None
    if (not isinstance(payload, dict) or set(payload) != {"id", "role", "charity", "exp"}
            or not isinstance(payload["id"], str) or not isinstance(payload["exp"], int)
            or not (payload["charity"] is None or isinstance(payload["charity"], str))):
        raise tampered
    role, charity = payload["role"], payload["charity"]
    if role not in ROLES or (role == "lead") != (charity is not None):
        raise AccessDenied(f"This link is for a kind of access this dashboard does not know "
                           f"('{role}'). {_ASK}")
    record = _stored_link(store, payload["id"])
    if record is None or record["role"] != role or record["charity"] != charity:
        raise AccessDenied("This link is not on this dashboard's list of shared links (it may have "
                           f"been made for another copy of the dashboard). {_ASK}")
    now = clock.now()
    if record["revoked_at"] is not None:
        raise AccessDenied(f"This link was withdrawn by the coalition's data lead. {_ASK}")
    expires_at = dt.datetime.fromtimestamp(payload["exp"], tz=now.tzinfo)
    if now >= expires_at:
        raise AccessDenied(f"This link expired on {_when(expires_at)}. {_ASK}")
    if role == "lead" and config is not None and charity not in {c.name for c in config.charities}:
        raise AccessDenied(f"This link is for {charity}, which is no longer part of this "
                           f"dashboard's coalition. {_ASK}")
    return Viewer(role, charity, payload["id"], expires_at)


def _stored_link(store, link_id: str) -> dict | None:
    """The store's record of a link. With the store in trouble a link cannot be checked
    for revocation, so it is refused (in words) rather than trusted."""
    from dashboard.store import StoreError
    try:
        return store.link(link_id)
    except StoreError as err:
        logging.getLogger("dashboard.access").warning("link not checked: %s", err)
        raise AccessDenied("This dashboard cannot check links just now: its store cannot be "
                           "read. Try again in a few minutes, and tell the coalition's data "
                           "lead if it lasts.") from None


def resolve_viewer(config: Config, query_params: Mapping, store, *,
                   keys: list[str] | None = None) -> Viewer | AccessDenied:
    """Who is looking: from `?token=` if there is one, else by the config's access mode.

    A token, when present, is always checked and always applies, also in "open" mode:
    a trustee link then shows the trustee view it promises, and a broken link says so.
    Without a token, "open" mode is the coalition view and "links" mode is refused.
    Returns AccessDenied rather than raising it, so the app's gate is one isinstance.
    """
    token = query_params.get("token") if query_params is not None else None
    if isinstance(token, (list, tuple)):
        token = token[-1] if token else None
    token = token.strip() if isinstance(token, str) else ""
    if not token:
        if config.access_mode == "open":
            return Viewer("coalition")
        return AccessDenied("This dashboard opens only from a link the coalition's data lead "
                            "sends you. Open that link, or ask them for one.")
    try:
        return verify_token(token, store, config, keys=keys)
    except AccessDenied as denied:
        return denied


def link_status(record: Mapping, now: dt.datetime) -> str:
    """'revoked', 'expired' or 'active' for a row of Store.links()."""
    if record.get("revoked_at"):
        return "revoked"
    if now >= dt.datetime.fromisoformat(record["expires_at"]):
        return "expired"
    return "active"


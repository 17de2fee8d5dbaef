"""The coalition config (contract section 1): one TOML file, the bundled demo by default."""
from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import clock, settings
from dashboard.contract import FIGURES

DEMO_DIR = Path(__file__).resolve().parent / "demo_data"
DEMO_CONFIG = DEMO_DIR / "coalition.toml"
MAX_CHARITIES = 200
ACCESS_MODES = ("open", "links")


class ConfigError(Exception):
    """The config itself is unusable: exit code 2, one line a person can act on."""


@dataclass(frozen=True)
class CharityConfig:
    name: str
    source: str
    # [[charity]] targets = { mps_met = 30, ... }: this charity's own goals, as (figure,
    # target) pairs in contract order (a tuple keeps the config hashable).
    targets: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Config:
    path: Path
    name: str
    start: dt.date
    end: dt.date
    charities: tuple[CharityConfig, ...]
    targets: dict = field(default_factory=dict)
    storage_url: str = ""
    access_mode: str = "open"
    cache_ttl_seconds: int = 600
    last_meeting: dt.date | None = None
    demo: bool = False
    # [access] base_url: the dashboard's public address, that minted links start with.
    base_url: str = ""
    # [demo] now: where the demo's clock stands (inside its campaign); demo configs only.
    demo_now: dt.datetime | None = None

    @property
    def base_dir(self) -> Path:
        return self.path.parent

    def charity(self, name: str) -> CharityConfig:
        for c in self.charities:
            if c.name == name:
                return c
        raise KeyError(name)


def parse_duration(text: str) -> dt.timedelta:
    """'90s', '15m', '12h', '30d' (contract section 7)."""
    text = str(text).strip().lower()
    units = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
    if len(text) < 2 or text[-1] not in units or not text[:-1].isdigit():
        raise ValueError(f"'{text}' is not a duration: write it like 90s, 15m, 12h or 30d")
    return dt.timedelta(**{units[text[-1]]: int(text[:-1])})


def _date(value, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{what} must be a date like 2022-06-22, not '{value}'") from None


def _charity_targets(raw, file_name: str, charity: str) -> tuple[tuple[str, int], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise ConfigError(f"{file_name}: targets of '{charity}' must be a table like "
                          "{ mps_met = 30, pledges = 20 }")
    for key, value in raw.items():
        if key not in FIGURES:
            raise ConfigError(f"{file_name}: targets of '{charity}': {key} is not a figure; use one "
                              f"of {', '.join(FIGURES)}")
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"{file_name}: targets of '{charity}': {key} must be a whole number")
    return tuple((f, raw[f]) for f in FIGURES if f in raw)


def config_path(path: str | os.PathLike | None = None) -> Path:
    if path:
        return Path(path)
    env = settings.value("DASHBOARD_CONFIG")
    return Path(env) if env else DEMO_CONFIG


def load_config(path: str | os.PathLike | None = None) -> Config:
    p = config_path(path).expanduser().resolve()
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {p} does not exist") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"config file {p} is not valid TOML: {err}") from None
    except OSError as err:
        raise ConfigError(f"config file {p} cannot be read: {err.strerror}") from None

    campaign = data.get("campaign") or {}
    if not isinstance(campaign, dict) or "start" not in campaign or "end" not in campaign:
        raise ConfigError(f"{p.name}: [campaign] needs start and end dates")
    start = _date(campaign["start"], "[campaign] start")
    end = _date(campaign["end"], "[campaign] end")
    if end < start:
        raise ConfigError(f"{p.name}: [campaign] end {end} is before start {start}")

    raw_charities = data.get("charity") or []
    if not isinstance(raw_charities, list) or not raw_charities:
        raise ConfigError(f"{p.name}: add at least one [[charity]] with a name and a source")
    if len(raw_charities) > MAX_CHARITIES:
        raise ConfigError(f"{p.name}: {len(raw_charities)} charities; at most {MAX_CHARITIES}")
    charities, seen = [], set()
    for i, c in enumerate(raw_charities, 1):
        name = str((c or {}).get("name", "")).strip()
        source = str((c or {}).get("source", "")).strip()
        if not name or not source:
            raise ConfigError(f"{p.name}: [[charity]] number {i} needs both name and source")
        if name.casefold() == "coalition":
            raise ConfigError(f"{p.name}: 'Coalition' is the name the dashboard gives the whole "
                              "coalition's figures; give the charity its own name")
        if name.lower() in seen:
            raise ConfigError(f"{p.name}: the charity '{name}' is listed twice")
        seen.add(name.lower())
        charities.append(CharityConfig(name, source, _charity_targets(c.get("targets"), p.name, name)))

    targets = {}
    for key, value in (data.get("targets") or {}).items():
        if key not in FIGURES:
            raise ConfigError(f"{p.name}: [targets] {key} is not a figure; use one of {', '.join(FIGURES)}")
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ConfigError(f"{p.name}: [targets] {key} must be a whole number")
        targets[key] = value

    storage = data.get("storage") or {}
    storage_url = settings.value("DASHBOARD_STORAGE_URL") or str(storage.get("url", "")).strip()
    if not storage_url:
        storage_url = f"sqlite:///{p.parent / 'dashboard-state.sqlite'}"

    access = data.get("access") or {}
    mode = str(access.get("mode", "open")).strip().lower()
    if mode not in ACCESS_MODES:
        raise ConfigError(f"{p.name}: [access] mode must be \"open\" or \"links\", not '{mode}'")

    base_url = str(access.get("base_url", "")).strip()
    if base_url and not base_url.lower().startswith(("http://", "https://")):
        raise ConfigError(f"{p.name}: [access] base_url must be an http(s) address like "
                          f"https://dashboard.example.org/, not '{base_url}'")

    cache = data.get("cache") or {}
    try:
        ttl = int(parse_duration(cache.get("ttl", "10m")).total_seconds())
    except ValueError as err:
        raise ConfigError(f"{p.name}: [cache] ttl: {err}") from None

    meeting = data.get("meeting") or {}
    last_meeting = _date(meeting["last"], "[meeting] last") if meeting.get("last") else None

    demo = bool(campaign.get("demo", False))
    demo_now = None
    if demo and (data.get("demo") or {}).get("now") is not None:
        demo_now = (data.get("demo") or {})["now"]
        if not isinstance(demo_now, dt.datetime) or demo_now.tzinfo is None:
            raise ConfigError(f"{p.name}: [demo] now must be a time with its offset, like "
                              f"2022-07-07T09:00:00+01:00, not '{demo_now}'")
    # The clock follows the coalition loaded: a demo's stands inside its campaign.
    clock.stand_at(demo_now)

    return Config(
        path=p, name=str(campaign.get("name", "Coalition campaign")), start=start, end=end,
        charities=tuple(charities), targets=targets, storage_url=storage_url,
        access_mode=mode, cache_ttl_seconds=ttl, last_meeting=last_meeting,
        demo=demo, base_url=base_url, demo_now=demo_now,
    )

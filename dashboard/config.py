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
class LiveConfig:
    """`[live]`: pages that update themselves (Overview, the meeting's presentation mode)
    every `every` on the dates from `start` to `end` (UK dates, both included)."""
    start: dt.date
    end: dt.date
    every: dt.timedelta = dt.timedelta(minutes=1)

    def on(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


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
    # `[refresh] full_read_every`: read every sheet at least this often even when Drive
    # reports no change (dashboard/incremental.py).
    full_read_every: dt.timedelta = dt.timedelta(hours=6)
    live: LiveConfig | None = None
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
    """'90s', '15m', '12h', '30d' (contract section 7). ValueError, never OverflowError,
    for one too long to be a time (`99999999999999999d`)."""
    text = str(text).strip().lower()
    units = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
    if len(text) < 2 or text[-1] not in units or not text[:-1].isdigit():
        raise ValueError(f"'{text}' is not a duration: write it like 90s, 15m, 12h or 30d")
    try:
        return dt.timedelta(**{units[text[-1]]: int(text[:-1])})
    except (OverflowError, ValueError):   # past timedelta's 999999999 days, or a huge int
        raise ValueError(f"'{text}' is far too long a duration: write it like 90s, 15m, 12h or 30d") from None


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
    """The config at `path` (else $DASHBOARD_CONFIG, else the demo), or ConfigError with
    one line naming the first thing it cannot use (see dashboard/config_schema.py)."""
    from dashboard.config_schema import parse_config_file

    p = config_path(path).expanduser().resolve()
    parsed = parse_config_file(_read_toml(p), p.name)
    campaign = parsed.campaign
    charities = _charities(parsed.charity, p.name)
    storage_url = _storage_url(parsed.storage.url, p)
    demo_now = parsed.demo.now if campaign.demo and parsed.demo else None
    # The clock follows the coalition loaded: a demo's stands inside its campaign.
    clock.stand_at(demo_now)

    return Config(
        path=p, name=campaign.name, start=campaign.start, end=campaign.end,
        charities=charities, targets=parsed.targets.model_dump(exclude_none=True),
        storage_url=storage_url,
        access_mode=parsed.access.mode, cache_ttl_seconds=parsed.cache.ttl_seconds(),
        last_meeting=parsed.meeting.last, demo=campaign.demo,
        base_url=parsed.access.base_url, demo_now=demo_now,
        **_refresh_and_live(parsed),
    )


def _read_toml(p: Path) -> dict:
    """The config file's TOML, or ConfigError saying in words why it cannot be read."""
    try:
        return tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {p} does not exist") from None
    except IsADirectoryError:
        raise ConfigError(f"config file {p} is a folder, not a file") from None
    except UnicodeDecodeError as err:
        raise ConfigError(f"config file {p} is not UTF-8 text (byte {err.start} cannot be read); "
                          "save it as UTF-8") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"config file {p} is not valid TOML: {err}") from None
    except OSError as err:
        raise ConfigError(f"config file {p} cannot be read: {err.strerror}") from None


def _charities(listed, file_name: str) -> tuple[CharityConfig, ...]:
    """The `[[charity]]` entries in order; a name used twice (in any case) or the name the
    coalition's own figures go under is refused."""
    charities, seen = [], set()
    for c in listed:
        if c.name.casefold() == "coalition":
            raise ConfigError(f"{file_name}: 'Coalition' is the name the dashboard gives the whole "
                              "coalition's figures; give the charity its own name")
        if c.name.lower() in seen:
            raise ConfigError(f"{file_name}: the charity '{c.name}' is listed twice")
        seen.add(c.name.lower())
        charities.append(CharityConfig(c.name, c.source, _charity_targets(
            c.targets.model_dump(exclude_none=True) if c.targets else None, file_name, c.name)))
    return tuple(charities)


def _storage_url(configured: str | None, p: Path) -> str:
    """DASHBOARD_STORAGE_URL, else the config's `[storage] url`, else a SQLite file beside
    the config."""
    return (settings.value("DASHBOARD_STORAGE_URL") or configured
            or f"sqlite:///{p.parent / 'dashboard-state.sqlite'}")


def _refresh_and_live(parsed) -> dict:
    """`[refresh] full_read_every` and `[live] start, end, every`, as checked by the schema."""
    live = parsed.live
    return {"full_read_every": parse_duration(parsed.refresh.full_read_every),
            "live": LiveConfig(live.start, live.end, parse_duration(live.every)) if live else None}

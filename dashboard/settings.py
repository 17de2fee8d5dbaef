"""Every environment variable the dashboard reads, in one registry.

The registry drives the code (modules read a variable only through `value()`), the
README's environment table (`python -m dashboard.docs`) and the checks an IT volunteer
meets when a value is mistyped: `check_environment()` runs where the app and the command
line start, so `DASHBOARD_APP_READS=stores` stops with one line saying what to write
instead of quietly reading Google for every viewer. tests/test_settings.py fails when the
code, the README, deploy/coalition-dashboard.env.example and this registry disagree.
"""
from __future__ import annotations

import os
from dataclasses import dataclass


class SettingError(Exception):
    """An environment variable holds a value the dashboard cannot use: like a config
    error, exit code 2 and one line a person can act on."""


@dataclass(frozen=True)
class Setting:
    name: str
    meaning: str                   # for the README's table
    values: str = ""               # what may be written, for the README (when not `choices`)
    choices: tuple[str, ...] = ()  # allowed values (any case), when the set is closed


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

SETTINGS: tuple[Setting, ...] = (
    Setting("DASHBOARD_CONFIG", "the config file (default: the bundled demo)", "a file path"),
    Setting("DASHBOARD_NOW", "a time standing in for the clock everywhere (back-filling, tests)",
            "an ISO 8601 time in the years 2000 to 2100, e.g. `2022-06-23T09:00:00+01:00`"),
    Setting("DASHBOARD_STORAGE_URL", "overrides `[storage] url` (handy for a read-only install "
            "or tests)", "a database URL: `sqlite:///PATH` or `postgresql+psycopg://…`"),
    Setting("GOOGLE_APPLICATION_CREDENTIALS", "a Google service-account JSON file (or use "
            "Streamlit secrets)", "a file path"),
    Setting("DASHBOARD_LINK_SECRET", "the secret that signs shared links; several, newest "
            "first, while rotating", "secrets of at least 32 characters, separated by commas"),
    Setting("DASHBOARD_APP_READS", "`store`: app processes only load the store, and a "
            "`refresh` timer does all the reading; `sources` (the default): the app reads "
            "the sources itself, once per `[cache] ttl`", choices=("sources", "store")),
    Setting("DASHBOARD_LOG_LEVEL", "log level for the command line (default `WARNING`, `INFO` "
            "for `refresh`)", choices=LOG_LEVELS),
    Setting("ARROW_DEFAULT_MEMORY_POOL", "Arrow's allocator; unset, the dashboard uses `system` "
            "(the C library's malloc: less memory, same speed, see [docs/scale.md](docs/scale.md)); "
            "`jemalloc` or `mimalloc` to choose another", choices=("system", "jemalloc", "mimalloc")),
    Setting("OPENBLAS_NUM_THREADS", "threads numpy's OpenBLAS starts; unset, the command line "
            "starts none (it never multiplies matrices, and starting them took 0.06 s of each "
            "command)", "a whole number"),
)
BY_NAME = {s.name: s for s in SETTINGS}


def value(name: str) -> str:
    """The variable's value without surrounding spaces, "" when unset. Only a registered
    name may be asked for, so every variable the code reads is in the README."""
    setting = BY_NAME[name]           # KeyError: register the variable first
    return os.environ.get(setting.name, "").strip()


def choice(name: str, default: str) -> str:
    """A closed-set variable's value, lower case ("" unset means `default`)."""
    text = value(name)
    return text.lower() if text else default


def problems() -> list[str]:
    """One line per variable set to a value the dashboard cannot use. (Only closed-set
    variables and the clock are quoted; a link secret is checked where it is used, by
    dashboard.access, whose messages never contain it.)"""
    out = []
    for setting in SETTINGS:
        text = value(setting.name)
        if not text:
            continue
        if setting.choices and text.lower() not in {c.lower() for c in setting.choices}:
            out.append(f"{setting.name} is {text!r}; use one of: {', '.join(setting.choices)} "
                       "(or leave it unset)")
    now_text = value("DASHBOARD_NOW")
    if now_text:
        from dashboard.clock import parse_instant   # (clock reads this module: imported here)
        try:
            parse_instant(now_text)
        except ValueError:
            from dashboard.clock import FIRST_YEAR, LAST_YEAR
            out.append(f"DASHBOARD_NOW is {now_text!r}; write an ISO 8601 time from "
                       f"{FIRST_YEAR} to {LAST_YEAR} like 2022-06-23T09:00:00+01:00 "
                       "(or leave it unset)")
    return out


def check_environment() -> None:
    """Raise SettingError naming every unusable variable, before anything is read."""
    found = problems()
    if found:
        raise SettingError("; ".join(found))

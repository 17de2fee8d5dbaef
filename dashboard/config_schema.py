"""The config file's schema: one pydantic model per TOML section, unknown keys refused.

`parse_config_file` turns the parsed TOML into these models or raises ConfigError with one
line naming what it cannot use, with a did-you-mean for a misspelt section or key: a
typo in `[access]` must stop the dashboard, never leave it open to anyone. The README's
config reference is written from these models (`python -m dashboard.docs`), so a new
section is one new model here plus one field on `ConfigFile`.
"""
from __future__ import annotations

import datetime as dt
import difflib
from typing import Annotated, Any, Literal, Mapping

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt,
                      StrictStr, ValidationError, create_model, field_validator)

from dashboard.config import ConfigError, _date, parse_duration
from dashboard.contract import FIGURES

MAX_CHARITIES = 200
ACCESS_MODES = ("open", "links")
# [cache] ttl: at least a minute, so viewers cannot cause more than one read per source a
# minute; at most a week, so a stuck value is noticed.
SHORTEST_TTL = dt.timedelta(minutes=1)
LONGEST_TTL = dt.timedelta(days=7)


def _as_date(value):
    if isinstance(value, (dt.date, str)):
        try:
            return _date(value, "")
        except ConfigError:
            raise ValueError(f"must be a date like 2022-06-22, not '{value}'") from None
    return value                 # anything else: pydantic says it is not a date


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def _duration_within(value: str, shortest: dt.timedelta, longest: dt.timedelta, words: str) -> str:
    """`value` when it is a duration from `shortest` to `longest` (said as `words`);
    ValueError, said as the key's problem, when it is not."""
    if not shortest <= parse_duration(value) <= longest:
        raise ValueError(f"'{value}' is out of range: write from {words}")
    return value


Date = Annotated[dt.date, BeforeValidator(_as_date)]
Text = Annotated[StrictStr, BeforeValidator(_stripped)]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CampaignSection(Section):
    """The campaign: its name and the counting window."""
    name: Text = Field("Coalition campaign", description="the campaign's name, shown on every page")
    start: Date = Field(description="first day counted (a date, inclusive)")
    end: Date = Field(description="last day counted (a date, inclusive)")
    demo: StrictBool = Field(False, description="true only for the bundled synthetic demo")


# [targets]: one optional whole number per figure, built from the contract's figures (mypy
# cannot match create_model's overloads to fields given as ** at run time).
TargetsSection = create_model(  # type: ignore[call-overload]
    "TargetsSection", __base__=Section,
    __doc__="Coalition-wide goals shown as progress; any figure may be left out.",
    **{figure: (Annotated[StrictInt, Field(ge=0)] | None,
                Field(None, description=f"goal for {figure} (a whole number)")) for figure in FIGURES})


class CharitySection(Section):
    """One `[[charity]]` table per charity (1 to 200)."""
    name: Text = Field(min_length=1, description="the charity's name as shown")
    source: Text = Field(min_length=1, description="a Google Sheets URL, `gsheet:<key>`, a "
                         "workbook or a CSV folder (paths relative to the config)")
    targets: TargetsSection | None = Field(None, description="this charity's own goals, a table "
                                           "like { mps_met = 30, pledges = 20 }")


class StorageSection(Section):
    """Where last good reads, history and minted links are kept."""
    url: Text = Field("", description="a database URL; default SQLite "
                      "`dashboard-state.sqlite` beside the config")


class AccessSection(Section):
    """Who may look."""
    mode: Annotated[Literal["open", "links"], BeforeValidator(
        lambda v: v.strip().lower() if isinstance(v, str) else v)] = Field(
        "open", description='"open": anyone with the address; "links": signed links only')
    base_url: Text = Field("", description="the dashboard's public address (http or https), "
                           "that minted links start with")

    @field_validator("base_url")
    @classmethod
    def _http(cls, value: str) -> str:
        if value and not value.lower().startswith(("http://", "https://")):
            raise ValueError("must be an http(s) address like https://dashboard.example.org/, "
                             f"not '{value}'")
        return value


class CacheSection(Section):
    """How long the app keeps a read."""
    ttl: Text = Field("10m", description=f"a duration, {SHORTEST_TTL.seconds // 60}m to "
                      f"{LONGEST_TTL.days}d, e.g. 10m")

    @field_validator("ttl")
    @classmethod
    def _duration(cls, value: str) -> str:
        return _duration_within(value, SHORTEST_TTL, LONGEST_TTL, f"1m to {LONGEST_TTL.days}d")

    def ttl_seconds(self) -> int:
        return int(parse_duration(self.ttl).total_seconds())


class MeetingSection(Section):
    """The weekly meeting, for "change since the last meeting"."""
    last: Date | None = Field(None, description="the last coalition meeting (a date)")


class RefreshSection(Section):
    """How often every sheet is read in full, even when Drive reports no change."""
    full_read_every: Text = Field("6h", description="a duration, 10m to 7d (default 6h): the "
                                  "safety net for changes Drive does not report")

    @field_validator("full_read_every")
    @classmethod
    def _duration(cls, value: str) -> str:
        return _duration_within(value, dt.timedelta(minutes=10), dt.timedelta(days=7), "10m to 7d")


class LiveSection(Section):
    """Pages that update themselves (Overview, the meeting's presentation mode) on these days."""
    start: Date = Field(description="first day of live updates (a date)")
    end: Date = Field(description="last day of live updates (a date)")
    every: Text = Field("1m", description="how often open pages update, 10s to 1h (default 1m)")

    @field_validator("every")
    @classmethod
    def _step(cls, value: str) -> str:
        return _duration_within(value, dt.timedelta(seconds=10), dt.timedelta(hours=1), "10s to 1h")


class DemoSection(Section):
    """The bundled demo only: where its clock stands (DASHBOARD_NOW overrides it)."""
    now: dt.datetime = Field(description="a time with its offset, inside the demo's campaign")

    @field_validator("now")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        if value.tzinfo is None:
            raise ValueError("must be a time with its offset, like 2022-07-07T09:00:00+01:00")
        from dashboard.clock import in_bounds
        if not in_bounds(value):
            raise ValueError(f"{value.year} is outside the years the dashboard can use")
        return value


class ConfigFile(Section):
    campaign: CampaignSection
    targets: TargetsSection = Field(default_factory=TargetsSection)
    charity: list[CharitySection] = Field(min_length=1, max_length=MAX_CHARITIES)
    storage: StorageSection = Field(default_factory=StorageSection)
    access: AccessSection = Field(default_factory=AccessSection)
    cache: CacheSection = Field(default_factory=CacheSection)
    meeting: MeetingSection = Field(default_factory=MeetingSection)
    refresh: RefreshSection = Field(default_factory=RefreshSection)
    live: LiveSection | None = None
    demo: DemoSection | None = None


def _section_model(name: str):
    if name == "charity":
        return CharitySection
    annotation = ConfigFile.model_fields[name].annotation
    # an optional section (`live`) is annotated `Model | None`: the model is its first part
    return next((a for a in getattr(annotation, "__args__", ()) if a is not type(None)), annotation)


def _where(loc: tuple) -> str:
    if not loc:
        return "the file"
    if loc[0] == "charity" and len(loc) >= 2 and isinstance(loc[1], int):
        head, rest = f"[[charity]] number {loc[1] + 1}", loc[2:]
    elif len(loc) == 1:
        return f"[{loc[0]}]"
    else:
        head, rest = f"[{loc[0]}]", loc[1:]
    return " ".join([head, *map(str, rest)])


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else f"; use one of: {', '.join(options)}"


def _sentence(error: Mapping[str, Any]) -> str:
    loc, kind = tuple(error["loc"]), error["type"]
    where = _where(loc)
    if kind == "extra_forbidden":
        word = str(loc[-1])
        if len(loc) == 1:
            return f"[{word}] is not a section{_suggest(word, ConfigFile.model_fields)}"
        section = str(loc[0])
        if word in ConfigFile.model_fields:
            table = "a [[charity]]" if section == "charity" else f"the [{section}]"
            return (f"{where}: '{word}' is not a key of {table} table. A line belongs to the "
                    f"table above it: write {word} as its own [{word}] section"
                    + (", above the first [[charity]]" if section == "charity" else ""))
        if loc[-2] == "targets":     # [targets] or a charity's own targets
            return f"{_where(loc[:-1])} {word} is not a figure; use one of {', '.join(FIGURES)}"
        return f"{where} is not a key of [{section}]" \
               f"{_suggest(word, _section_model(section).model_fields)}"
    if kind == "missing":
        if loc in (("campaign", "start"), ("campaign", "end")) or loc == ("campaign",):
            return "[campaign] needs start and end dates"
        if loc in (("live", "start"), ("live", "end")):
            return "[live] needs start and end dates"
        if loc == ("charity",):
            return "add at least one [[charity]] with a name and a source"
        if loc[0] == "charity":
            return f"{_where(loc[:2])} needs both name and source"
        return f"{where} is missing"
    if kind in ("model_type", "dict_type"):
        return f"[{loc[0]}] must be a section (a [{loc[0]}] table of keys), " \
               f"not {error['input']!r}" if len(loc) == 1 else \
               f"{where} must be a table of keys, not {error['input']!r}"
    if kind == "list_type" and loc == ("charity",):
        return "write each charity as a [[charity]] table with a name and a source"
    if kind == "too_short" and loc == ("charity",):
        return "add at least one [[charity]] with a name and a source"
    if kind == "too_long" and loc == ("charity",):
        return f"{len(error['input'])} charities; at most {MAX_CHARITIES}"
    if kind == "string_too_short" and loc[0] == "charity":
        return f"{_where(loc[:2])} needs both name and source"
    if kind == "literal_error" and loc == ("access", "mode"):
        return f"[access] mode must be \"open\" or \"links\", not {error['input']!r}"
    if loc and loc[0] == "targets" and kind in ("int_type", "greater_than_equal"):
        return f"{where} must be a whole number of 0 or more, not {error['input']!r}"
    if kind == "string_type":
        return f"{where} must be text in quotes, not {error['input']!r}"
    if kind == "value_error":
        return f"{where}: {error['ctx']['error']}"
    return f"{where}: {error['msg'].lower()}, not {error['input']!r}"


def parse_config_file(data: dict, file_name: str) -> ConfigFile:
    """The parsed TOML as a ConfigFile; ConfigError, one line, when any of it is unusable."""
    try:
        parsed = ConfigFile.model_validate(data)
    except ValidationError as err:
        errors = err.errors(include_url=False)
        more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" \
            if len(errors) > 1 else ""
        raise ConfigError(f"{file_name}: {_sentence(errors[0])}{more}") from None
    if parsed.live is not None and parsed.live.end < parsed.live.start:
        raise ConfigError(f"{file_name}: [live] end {parsed.live.end} is before start "
                          f"{parsed.live.start}")
    if parsed.campaign.end < parsed.campaign.start:
        raise ConfigError(f"{file_name}: [campaign] end {parsed.campaign.end} is before start "
                          f"{parsed.campaign.start}")
    return parsed


def _kind(annotation) -> str:
    text = str(annotation)
    for needle, word in (("date", "date"), ("bool", "true or false"), ("int", "whole number"),
                         ("Literal", "one of the words given"), ("str", "text")):
        if needle in text:
            return word
    return text


def render_reference() -> str:
    """The README's config reference: every section and key, from the models."""
    out = ["| section | key | value | default | meaning |", "|---|---|---|---|---|"]
    for section, field in ConfigFile.model_fields.items():
        model = _section_model(section)
        title = f"`[[{section}]]`" if section == "charity" else f"`[{section}]`"
        out.append(f"| {title} | | | {'required' if field.is_required() else 'optional'} | "
                   f"{(model.__doc__ or '').strip()} |")
        for key, sub in model.model_fields.items():
            shown = str(sub.default).lower() if isinstance(sub.default, bool) else sub.default
            default = "required" if sub.is_required() else (
                "" if sub.default in (None, "") else f"`{shown}`")
            out.append(f"| | `{key}` | {_kind(sub.annotation)} | {default} | {sub.description or ''} |")
    return "\n".join(out) + "\n"
